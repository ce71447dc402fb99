"""Permission-matrix rows for the who's-who search, the finder, officer and team pages (see tests/permission_matrix.py).

Everyone signed in may use them. An officer no longer in post, or a closed team, is a 404 for providers and still
shown to council staff.
"""

import datetime

from tests.permission_matrix import Row, council_only, signed_in


def _officer_no_longer_in_post(objects) -> dict:
    from directory.tests.factories import OfficerFactory

    return {"pk": OfficerFactory(active_to=datetime.date(2020, 3, 31)).pk}


def _closed_team(objects) -> dict:
    from directory.tests.factories import TeamFactory

    return {"pk": TeamFactory(is_active=False).pk}


HIDDEN_FROM_PROVIDERS = council_only(200, providers=404)

ROWS: list[Row] = [
    Row("directory:search", signed_in(200)),
    Row("directory:finder", signed_in(200)),
    Row(
        "directory:officer-detail",
        signed_in(200),
        kwargs=lambda objects: {"pk": objects["officer_record"].pk},
        label="of an officer in post",
    ),
    Row(
        "directory:officer-detail",
        HIDDEN_FROM_PROVIDERS,
        kwargs=_officer_no_longer_in_post,
        label="of an officer no longer in post",
    ),
    Row(
        "directory:officer-vcard",
        signed_in(200),
        kwargs=lambda objects: {"pk": objects["officer_record"].pk},
        label="of an officer in post",
    ),
    Row(
        "directory:officer-vcard",
        HIDDEN_FROM_PROVIDERS,
        kwargs=_officer_no_longer_in_post,
        label="of an officer no longer in post",
    ),
    Row(
        "directory:team-detail",
        signed_in(200),
        kwargs=lambda objects: {"pk": objects["team"].pk},
        label="of an open team",
    ),
    Row("directory:team-detail", HIDDEN_FROM_PROVIDERS, kwargs=_closed_team, label="of a closed team"),
]
