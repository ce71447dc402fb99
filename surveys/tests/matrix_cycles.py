"""Permission-matrix rows for the relationship survey's cycles pages.

The engagement manager and directors read the cycles and their questionnaires; only the engagement manager
starts and changes them. Officers, directory editors and providers answer through invitation links and see none
of these pages. The matrix's cycle has opened, so its questions are locked: a change is refused with the reason
(the form again, 200; or back to the questionnaire with a message, 302), never a 500.
"""

from tests.permission_matrix import Row, council_only, managers_only


def _readers(status: int = 200) -> dict[str, int]:
    """Those who run the survey, and directors."""
    return {**council_only(403), "manager": status, "director": status, "superuser": status}


def _cycle(objects: dict) -> dict:
    return {"year": objects["cycle"].year}


def _closed_cycle(objects: dict) -> dict:
    return {"year": objects["closed_cycle"].year}


def _providers(objects: dict) -> dict:
    return {"year": objects["cycle"].year, "audience": "providers"}


def _officers(objects: dict) -> dict:
    return {"year": objects["cycle"].year, "audience": "officers"}


def _question(objects: dict) -> dict:
    return {"year": objects["cycle"].year, "audience": "providers", "pk": objects["question"].pk}


_FORMS = [
    ("surveys:cycle-create", lambda objects: {}),
    ("surveys:cycle-edit", _cycle),
    ("surveys:question-add", _providers),
    ("surveys:question-edit", _question),
]

ROWS: list[Row] = [
    Row("surveys:cycles", _readers()),
    Row("surveys:cycle", _readers(), kwargs=_cycle, label="open"),
    Row("surveys:cycle", _readers(), kwargs=_closed_cycle, label="closed"),
    Row("surveys:questionnaire", _readers(), kwargs=_providers, label="for providers"),
    Row("surveys:questionnaire", _readers(), kwargs=_officers, label="for officers"),
    *(Row(name, managers_only(), kwargs=kwargs) for name, kwargs in _FORMS),
    *(
        Row(name, managers_only(), kwargs=kwargs, method="post", label="with nothing filled in")
        for name, kwargs in _FORMS
    ),
    Row("surveys:question-remove", managers_only(), kwargs=_question, label="asks to confirm"),
    Row(
        "surveys:question-remove", managers_only(), kwargs=_question, method="post", label="refused once open"
    ),
    Row(
        "surveys:question-move",
        managers_only(302),
        kwargs=_question,
        method="post",
        label="refused once open",
    ),
    Row("surveys:question-move", managers_only(405), kwargs=_question, label="is a button, not a page"),
    Row(
        "surveys:questionnaire-copy",
        managers_only(302),
        kwargs=_officers,
        method="post",
        label="refused once open",
    ),
]
