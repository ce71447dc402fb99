"""Permission-matrix rows for the partnership pilots' relationship checks."""

from tests.permission_matrix import Row, council_only, provider_a_record, signed_in

ROWS: list[Row] = [
    Row(
        "partnerships:relationship",
        signed_in(200),
        kwargs=lambda objects: {"slug": objects["pilot"].slug},
        label="of a published pilot",
    ),
    Row(
        "partnerships:relationship",
        council_only(200, providers=404),
        kwargs=lambda objects: {"slug": objects["draft_pilot"].slug},
        label="of a draft pilot",
    ),
    # Officers open rounds; the director only looks.
    Row(
        "partnerships:check-open",
        {**council_only(200), "director": 403},
        kwargs=lambda objects: {"slug": objects["pilot"].slug},
    ),
    Row(
        "partnerships:check-open",
        {**council_only(200), "director": 403},
        kwargs=lambda objects: {"slug": objects["pilot"].slug},
        method="post",
        label="with nothing filled in",
    ),
    # Provider A is a partner of the pilot and answers for itself; provider B is not, so the round is a 404.
    Row(
        "partnerships:check-respond",
        {**provider_a_record(200), "director": 403},
        kwargs=lambda objects: {"slug": objects["pilot"].slug, "pk": objects["relationship_check"].pk},
    ),
    Row(
        "partnerships:check-respond",
        {**provider_a_record(200), "director": 403},
        kwargs=lambda objects: {"slug": objects["pilot"].slug, "pk": objects["relationship_check"].pk},
        method="post",
        label="with nothing filled in",
    ),
]
