"""Permission-matrix rows for the partnership pilots' relationship checks."""

from tests.permission_matrix import Row, council_only, provider_a_record, provider_b_record, signed_in


def _round_of_a_pilot_with_provider_b(objects: dict) -> dict:
    """A round of another published pilot, whose only provider partner is provider B."""
    from partnerships.tests import factories

    pilot = factories.PartnershipPilotFactory(title="Home first", lead_officer=objects["officer_record"])
    factories.ProviderPartnerFactory(pilot=pilot, provider=objects["provider_b"])
    return {"slug": pilot.slug, "pk": factories.RelationshipCheckFactory(pilot=pilot).pk}


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
    Row(
        "partnerships:check-respond",
        {**provider_b_record(200), "director": 403},
        kwargs=_round_of_a_pilot_with_provider_b,
        label="of a pilot where provider B is the partner",
    ),
]
