"""The services that keep a pilot's core record: the pilot, its partners and why it is strategic."""

import pytest
from django.utils import timezone

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory, area, service_type
from partnerships.models import PilotPartner, Stage, StageChange, StrategicReason
from partnerships.services import pilots as services
from partnerships.tests import factories

pytestmark = pytest.mark.django_db


def _propose(by, title: str = "Trusted assessors in care homes", **extra):
    return services.pilot_create(
        by=by,
        title=title,
        aim="Let care homes assess people for discharge.",
        lead_officer=OfficerFactory(),
        **extra,
    )


# Proposing and changing a pilot


def test_a_proposed_pilot_starts_at_proposed_with_its_first_stage_change_recorded_by_the_officer(users):
    officer = users["officer"]
    before = timezone.now()

    pilot = _propose(
        officer, areas=[area("mid")], service_types=[service_type("home-care")], is_published=True
    )

    assert (pilot.slug, pilot.stage, pilot.created_by, pilot.is_published) == (
        "trusted-assessors-in-care-homes",
        Stage.PROPOSED,
        officer,
        True,
    )
    assert pilot.stage_changed_at >= before
    change = StageChange.objects.get(pilot=pilot)
    assert (change.from_stage, change.to_stage, change.changed_by) == ("", Stage.PROPOSED, officer)
    assert change.changed_at == pilot.stage_changed_at
    assert [a.name for a in pilot.areas.all()] == ["Mid"]
    assert pilot.history.get().history_user == officer


def test_a_pilot_is_a_draft_unless_put_on_the_register(users):
    assert _propose(users["officer"]).is_published is False


def test_a_title_that_makes_a_taken_slug_gets_a_number(users):
    first = _propose(users["officer"], title="Home care: hospital discharge")
    second = _propose(users["officer"], title="Home care hospital discharge")

    assert (first.slug, second.slug) == ("home-care-hospital-discharge", "home-care-hospital-discharge-2")


@pytest.mark.parametrize("title", ["New", "Lessons"])
def test_a_pilot_titled_like_a_page_gets_a_slug_that_does_not_hide_the_page(users, title):
    assert _propose(users["officer"], title=title).slug == f"{title.lower()}-2"


def test_two_pilots_cannot_share_a_title(users):
    _propose(users["officer"], title="Shared care records")

    with pytest.raises(services.PilotError) as error:
        _propose(users["officer"], title="  shared CARE records ")

    assert (error.value.field, error.value.message) == ("title", services.TITLE_TAKEN)


def test_changing_a_pilot_keeps_its_slug_and_stage_and_records_who_changed_it(users):
    pilot = _propose(users["officer"], title="Old title")
    lead = OfficerFactory()

    changed = services.pilot_update(
        pilot=pilot,
        by=users["editor"],
        title="New title",
        aim="A clearer aim.",
        lead_officer=lead,
        areas=[area("west"), area("south")],
        commercial_details="£10,000",
        is_published=True,
    )

    assert (changed.title, changed.slug, changed.stage, changed.lead_officer) == (
        "New title",
        "old-title",
        Stage.PROPOSED,
        lead,
    )
    assert sorted(a.name for a in changed.areas.all()) == ["South", "West"]
    assert changed.history.first().history_user == users["editor"]
    assert StageChange.objects.filter(pilot=pilot).count() == 1


def test_a_pilot_cannot_be_renamed_to_another_pilots_title(users):
    factories.PartnershipPilotFactory(title="Taken")
    pilot = factories.PartnershipPilotFactory(title="Mine")

    with pytest.raises(services.PilotError) as error:
        services.pilot_update(
            pilot=pilot, by=users["officer"], title="TAKEN", aim="x", lead_officer=pilot.lead_officer
        )

    assert error.value.field == "title"


# Partners


def test_a_provider_partner_is_of_kind_provider_and_named_by_the_whos_who(users):
    pilot = factories.PartnershipPilotFactory()
    provider = ProviderOrganisationFactory(name="Meadow Care")

    partner = services.pilot_partner_add(
        pilot=pilot, by=users["officer"], provider=provider, role="Delivers home care", contact_name="Sam"
    )

    assert (partner.kind, partner.name, partner.organisation_name) == (
        PilotPartner.Kind.PROVIDER,
        "Meadow Care",
        "",
    )
    assert partner.history.get().history_user == users["officer"]


def test_another_organisation_is_named_with_its_kind(users):
    pilot = factories.PartnershipPilotFactory()

    partner = services.pilot_partner_add(
        pilot=pilot,
        by=users["officer"],
        kind=PilotPartner.Kind.NHS_ICB,
        organisation_name=" Mid and South ICB ",
    )

    assert (partner.kind, partner.name, partner.provider) == (
        PilotPartner.Kind.NHS_ICB,
        "Mid and South ICB",
        None,
    )


@pytest.mark.parametrize(
    ("choice", "field", "message"),
    [
        ({}, "provider", services.PROVIDER_OR_NAME),
        ({"organisation_name": "   "}, "provider", services.PROVIDER_OR_NAME),
        ({"provider": "made", "organisation_name": "Also named"}, "organisation_name", services.NOT_BOTH),
        ({"organisation_name": "A trust"}, "kind", services.CHOOSE_KIND),
        ({"organisation_name": "A trust", "kind": "provider"}, "kind", services.CHOOSE_KIND),
    ],
)
def test_a_partner_is_a_provider_or_a_named_organisation_of_a_kind(users, choice, field, message):
    pilot = factories.PartnershipPilotFactory()
    if choice.get("provider") == "made":
        choice = {**choice, "provider": ProviderOrganisationFactory()}

    with pytest.raises(services.PilotError) as error:
        services.pilot_partner_add(pilot=pilot, by=users["officer"], **choice)

    assert (error.value.field, error.value.message) == (field, message)
    assert not pilot.partners.exists()


def test_the_same_provider_cannot_be_a_partner_twice(users):
    partner = factories.ProviderPartnerFactory(provider__name="Meadow Care")

    with pytest.raises(services.PilotError) as error:
        services.pilot_partner_add(pilot=partner.pilot, by=users["officer"], provider=partner.provider)

    assert (error.value.field, error.value.message) == (
        "provider",
        "Meadow Care is already a partner in this pilot",
    )


def test_a_provider_may_be_a_partner_in_two_pilots(users):
    partner = factories.ProviderPartnerFactory()

    other = services.pilot_partner_add(
        pilot=factories.PartnershipPilotFactory(), by=users["officer"], provider=partner.provider
    )

    assert other.provider == partner.provider


def test_a_partner_cannot_be_changed_into_a_provider_already_in_the_pilot(users):
    taken = factories.ProviderPartnerFactory()
    other = factories.OtherPartnerFactory(pilot=taken.pilot)

    with pytest.raises(services.PilotError) as error:
        services.pilot_partner_update(partner=other, by=users["officer"], provider=taken.provider)

    assert error.value.field == "provider"


def test_a_partner_changed_from_a_provider_to_another_organisation_loses_the_provider(users):
    partner = factories.ProviderPartnerFactory()

    changed = services.pilot_partner_update(
        partner=partner,
        by=users["editor"],
        kind=PilotPartner.Kind.VOLUNTARY,
        organisation_name="Good Neighbours",
        contact_email="hello@goodneighbours.example.org",
    )

    assert (changed.kind, changed.provider, changed.name) == (
        PilotPartner.Kind.VOLUNTARY,
        None,
        "Good Neighbours",
    )
    assert changed.history.first().history_user == users["editor"]


def test_removing_a_partner_keeps_who_removed_it_in_the_history(users):
    partner = factories.OtherPartnerFactory()

    services.pilot_partner_remove(partner=partner, by=users["manager"])

    assert not PilotPartner.objects.filter(pk=partner.pk).exists()
    removal = PilotPartner.history.filter(id=partner.pk).first()
    assert (removal.history_type, removal.history_user) == ("-", users["manager"])


def test_a_partner_that_answered_a_relationship_check_cannot_be_removed(users):
    partner = factories.ProviderPartnerFactory()
    factories.RelationshipCheckResponseFactory(
        check_round=factories.RelationshipCheckFactory(pilot=partner.pilot), partner=partner
    )

    with pytest.raises(services.PilotError) as error:
        services.pilot_partner_remove(partner=partner, by=users["manager"])

    assert error.value.message == services.HAS_CHECK_RESPONSES
    assert PilotPartner.objects.filter(pk=partner.pk).exists()


# Strategic reasons


def test_setting_the_reasons_replaces_the_whole_set(users):
    pilot = factories.PartnershipPilotFactory()
    factories.StrategicReasonFactory(pilot=pilot, reason=StrategicReason.Reason.INNOVATION)

    services.pilot_reasons_set(
        pilot=pilot,
        by=users["officer"],
        reasons={"locality": " Mid's neighbourhood teams. ", "specialist": "Autism support."},
    )

    assert list(pilot.strategic_reasons.values_list("reason", "explanation")) == [
        ("locality", "Mid's neighbourhood teams."),
        ("specialist", "Autism support."),
    ]


@pytest.mark.parametrize(
    ("reasons", "field", "message"),
    [
        ({}, "people_supported", services.NO_REASON),
        ({"locality": "  "}, "locality_explanation", "Explain how “Locality working” applies to this pilot"),
        ({"everything": "Why not"}, None, "“everything” is not one of the strategic reasons"),
    ],
)
def test_reasons_need_at_least_one_each_explained_and_the_old_set_stays_when_refused(
    users, reasons, field, message
):
    pilot = factories.PartnershipPilotFactory()
    factories.StrategicReasonFactory(pilot=pilot, reason=StrategicReason.Reason.INNOVATION)

    with pytest.raises(services.PilotError) as error:
        services.pilot_reasons_set(pilot=pilot, by=users["officer"], reasons=reasons)

    assert (error.value.field, error.value.message) == (field, message)
    assert list(pilot.strategic_reasons.values_list("reason", flat=True)) == ["innovation"]
