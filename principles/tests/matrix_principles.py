"""Permission-matrix rows for the New Deal pages (see tests/permission_matrix.py).

Every signed-in user reads the published versions; a draft is a 404 for providers. Engagement managers (and
superusers) write and publish; everyone else gets a 403 there, before anything is looked up. Provider A signs for
its own organisation only: provider B gets a 404 for A's sign-up page, and council staff a 403. Council staff
sign as officers (the matrix's users have no who's-who entry, so they are told why they cannot yet); providers get
a 403. Council staff see who has signed up. A POST with nothing filled in re-renders the form with its errors.
"""

from tests.permission_matrix import SIGN_IN, Row, council_only, managers_only, signed_in


def _current(objects: dict) -> dict:
    return {"number": objects["principles_current"].number}


def _old(objects: dict) -> dict:
    return {"number": objects["principles_old"].number}


def _draft(objects: dict) -> dict:
    return {"number": objects["principles_draft"].number}


def _sign_for_a(objects: dict) -> dict:
    return {"number": objects["principles_current"].number, "pk": objects["provider_a"].pk}


def _sign_draft_for_a(objects: dict) -> dict:
    return {"number": objects["principles_draft"].number, "pk": objects["provider_a"].pk}


def _council_sees(status: int = 200) -> dict[str, int]:
    """A draft: council staff see it, providers get a 404."""
    return {**signed_in(status), "provider_a": 404, "provider_b": 404}


def _provider_a_signs(status: int = 200) -> dict[str, int]:
    return {**council_only(403), "provider_a": status, "provider_b": 404}


def _officers_sign(status: int = 200) -> dict[str, int]:
    return council_only(status, providers=403)


ROWS: list[Row] = [
    Row("principles:current", signed_in(200)),
    Row("principles:versions", signed_in(200)),
    Row("principles:version", signed_in(200), kwargs=_current, label="current"),
    Row("principles:version", signed_in(200), kwargs=_old, label="replaced"),
    Row("principles:version", _council_sees(), kwargs=_draft, label="draft"),
    Row("principles:version-add", managers_only()),
    Row("principles:version-add", managers_only(), method="post", label="while a draft exists"),
    Row("principles:version-edit", managers_only(), kwargs=_draft, label="of a draft"),
    Row(
        "principles:version-edit",
        managers_only(),
        kwargs=_draft,
        method="post",
        label="with nothing filled in",
    ),
    Row("principles:version-edit", managers_only(), kwargs=_current, label="of a published one"),
    Row("principles:version-publish", managers_only(), kwargs=_draft, label="confirmation"),
    Row("principles:version-publish", managers_only(302), kwargs=_draft, method="post", label="of a draft"),
    Row("principles:version-publish", managers_only(), kwargs=_old, method="post", label="already published"),
    Row("principles:sign-provider", _provider_a_signs(), kwargs=_sign_for_a, label="of provider A"),
    Row(
        "principles:sign-provider",
        _provider_a_signs(),
        kwargs=_sign_for_a,
        method="post",
        label="of provider A, with nothing filled in",
    ),
    Row("principles:sign-provider", {**_provider_a_signs(404)}, kwargs=_sign_draft_for_a, label="of a draft"),
    Row("principles:sign-officer", _officers_sign(), kwargs=_current),
    Row(
        "principles:sign-officer", _officers_sign(), kwargs=_current, method="post", label="without an entry"
    ),
    Row("principles:coverage", council_only()),
    Row("principles:providers-not-signed", council_only()),
    Row("principles:officers-not-signed", council_only()),
]
assert all(row.expected["anonymous"] == SIGN_IN for row in ROWS)


def matrix_objects(*, provider_a, officer_record) -> dict:
    """The records this part's rows point at, added to the `matrix_objects` fixture (root conftest.py)."""
    import datetime as dt

    from django.utils import timezone

    from principles.tests.factories import OfficerSignUpFactory, PrinciplesVersionFactory, draft

    now = timezone.now()
    old = PrinciplesVersionFactory(number=1, published_at=now - dt.timedelta(days=365), what_changed="")
    current = PrinciplesVersionFactory(number=2, published_at=now - dt.timedelta(days=20))
    OfficerSignUpFactory(version=current, officer=officer_record)
    return {"principles_old": old, "principles_current": current, "principles_draft": draft(number=3)}
