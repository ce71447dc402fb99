"""Permission-matrix rows for the partnership pilots' process pages (see tests/permission_matrix.py).

The matrix's `pilot` is published and at the scoping stage; `draft_pilot` is not on the register.
"""

from tests.permission_matrix import Row, council_only, signed_in


def _pilot(objects: dict) -> dict:
    return {"slug": objects["pilot"].slug}


def _draft(objects: dict) -> dict:
    return {"slug": objects["draft_pilot"].slug}


def _entry(name: str):
    def kwargs(objects: dict) -> dict:
        return {"slug": objects["pilot"].slug, "pk": objects[name].pk}

    return kwargs


def _officers(status: int = 200) -> dict[str, int]:
    """Officers with the partnership permissions: not directors (they only look), not providers."""
    return {**council_only(status), "director": 403}


# Nothing filled in: the page comes back with its error summary.
_EMPTY = "with nothing filled in"

ROWS: list[Row] = [
    Row("partnerships:stage-change", _officers(), kwargs=_pilot),
    Row("partnerships:stage-change", _officers(), kwargs=_pilot, method="post", label=_EMPTY),
    Row("partnerships:stage-change", _officers(), kwargs=_draft, label="of a draft pilot"),
    Row("partnerships:procurement", _officers(), kwargs=_pilot),
    Row("partnerships:procurement", _officers(), kwargs=_pilot, method="post", label=_EMPTY),
    Row("partnerships:stage-history", signed_in(200), kwargs=_pilot, label="of a published pilot"),
    Row(
        "partnerships:stage-history",
        {**council_only(200, providers=404)},
        kwargs=_draft,
        label="of a draft pilot",
    ),
    Row("partnerships:objective-add", _officers(), kwargs=_pilot),
    Row("partnerships:objective-add", _officers(), kwargs=_pilot, method="post", label=_EMPTY),
    Row("partnerships:objective-edit", _officers(), kwargs=_entry("objective")),
    Row("partnerships:objective-edit", _officers(), kwargs=_entry("objective"), method="post", label=_EMPTY),
    # Another pilot's objective is not found within this pilot.
    Row(
        "partnerships:objective-edit",
        _officers(404),
        kwargs=lambda objects: {"slug": objects["draft_pilot"].slug, "pk": objects["objective"].pk},
        label="of another pilot",
    ),
    Row("partnerships:milestone-add", _officers(), kwargs=_pilot),
    Row("partnerships:milestone-add", _officers(), kwargs=_pilot, method="post", label=_EMPTY),
    Row("partnerships:milestone-edit", _officers(), kwargs=_entry("milestone")),
    Row("partnerships:milestone-edit", _officers(), kwargs=_entry("milestone"), method="post", label=_EMPTY),
    Row("partnerships:risk-add", _officers(), kwargs=_pilot),
    Row("partnerships:risk-add", _officers(), kwargs=_pilot, method="post", label=_EMPTY),
    Row("partnerships:risk-edit", _officers(), kwargs=_entry("risk")),
    Row("partnerships:risk-edit", _officers(), kwargs=_entry("risk"), method="post", label=_EMPTY),
    Row("partnerships:progress-add", _officers(), kwargs=_pilot),
    Row("partnerships:progress-add", _officers(), kwargs=_pilot, method="post", label=_EMPTY),
]
