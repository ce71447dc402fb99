"""Permission-matrix rows for the register of partnership pilots and a pilot's core record.

Every signed-in user reads the register and a published pilot's page; a draft pilot is a 404 for providers.
Officers, directory editors and the engagement manager propose and keep pilots, partners and reasons (directors
read only); only the engagement manager removes a partner. A POST with nothing filled in re-renders the form with
its errors (200), never a 500.
"""

from tests.permission_matrix import Row, council_only, managers_only, signed_in


def _pilot(objects: dict) -> dict:
    return {"slug": objects["pilot"].slug}


def _draft_pilot(objects: dict) -> dict:
    return {"slug": objects["draft_pilot"].slug}


def _partner_a(objects: dict) -> dict:
    return {"slug": objects["pilot"].slug, "pk": objects["partner_a"].pk}


def _officers_write(status: int = 200) -> dict[str, int]:
    """Officers, editors and the engagement manager write; directors read only; providers never."""
    return {**council_only(status), "director": 403}


def _council_sees(status: int = 200) -> dict[str, int]:
    """A draft: council staff see it, and to a provider it does not exist."""
    return {**council_only(status), "provider_a": 404, "provider_b": 404}


_OFFICER_FORMS = [
    ("partnerships:pilot-create", lambda objects: {}),
    ("partnerships:pilot-edit", _pilot),
    ("partnerships:partner-add", _pilot),
    ("partnerships:partner-edit", _partner_a),
    ("partnerships:reasons-edit", _pilot),
]

ROWS: list[Row] = [
    Row("partnerships:register", signed_in(200)),
    Row("partnerships:pilot", signed_in(200), kwargs=_pilot, label="published"),
    Row("partnerships:pilot", _council_sees(), kwargs=_draft_pilot, label="draft"),
    *(Row(name, _officers_write(), kwargs=kwargs) for name, kwargs in _OFFICER_FORMS),
    *(
        Row(name, _officers_write(), kwargs=kwargs, method="post", label="with nothing filled in")
        for name, kwargs in _OFFICER_FORMS
    ),
    Row("partnerships:pilot-edit", _officers_write(), kwargs=_draft_pilot, label="of a draft"),
    Row("partnerships:partner-remove", managers_only(), kwargs=_partner_a, label="asks to confirm"),
    Row(
        "partnerships:partner-remove", managers_only(302), kwargs=_partner_a, method="post", label="confirmed"
    ),
]
