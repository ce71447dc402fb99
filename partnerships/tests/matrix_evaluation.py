"""Permission-matrix rows for the partnership pilots' evaluation pages (see tests/permission_matrix.py).

Every signed-in user reads a published pilot's published evaluations and the lessons library; a draft evaluation
is a 404 for providers. Officers, directory editors and the engagement manager evaluate, publish and add lessons
(the partnership models' permissions); directors and providers get a 403 there, before anything is looked up.
A POST with nothing filled in re-renders the form with its errors (200), never a 500.
"""

from tests.permission_matrix import Row, council_only, signed_in


def _evaluation(objects: dict) -> dict:
    return {"slug": objects["pilot"].slug, "pk": objects["evaluation"].pk}


def _draft(objects: dict) -> dict:
    return {"slug": objects["pilot"].slug, "pk": objects["draft_evaluation"].pk}


def _pilot(objects: dict) -> dict:
    return {"slug": objects["pilot"].slug}


def _officers_write(status: int = 200) -> dict[str, int]:
    """Officers, editors and the engagement manager write; directors read only; providers may not."""
    return {**council_only(status), "director": 403}


def _council_sees(status: int = 200) -> dict[str, int]:
    """A draft: council staff see it, providers get a 404."""
    return {**signed_in(status), "provider_a": 404, "provider_b": 404}


ROWS: list[Row] = [
    Row("partnerships:lessons", signed_in(200)),
    Row("partnerships:evaluation", signed_in(200), kwargs=_evaluation, label="published"),
    Row("partnerships:evaluation", _council_sees(), kwargs=_draft, label="draft"),
    Row("partnerships:evaluation-add", _officers_write(), kwargs=_pilot),
    Row(
        "partnerships:evaluation-add",
        _officers_write(),
        kwargs=_pilot,
        method="post",
        label="with nothing filled in",
    ),
    Row("partnerships:evaluation-edit", _officers_write(), kwargs=_draft, label="of a draft"),
    Row(
        "partnerships:evaluation-edit",
        _officers_write(),
        kwargs=_draft,
        method="post",
        label="of a draft, with nothing filled in",
    ),
    Row("partnerships:evaluation-edit", _officers_write(), kwargs=_evaluation, label="of a published one"),
    Row("partnerships:evaluation-publish", _officers_write(), kwargs=_draft, label="confirmation"),
    Row(
        "partnerships:evaluation-publish",
        _officers_write(),
        kwargs=_draft,
        method="post",
        label="of a draft with no outcomes",
    ),
    Row("partnerships:lesson-add", _officers_write(), kwargs=_evaluation),
    Row(
        "partnerships:lesson-add",
        _officers_write(),
        kwargs=_evaluation,
        method="post",
        label="with nothing filled in",
    ),
]
