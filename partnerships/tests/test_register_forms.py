"""The officers' pages that keep a pilot's core record: what they save, and the messages for bad input."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory, area
from partnerships.models import PartnershipPilot, PilotPartner, Stage, StageChange
from partnerships.services import pilots as services
from partnerships.tests import factories

pytestmark = pytest.mark.django_db

CREATE = reverse("partnerships:pilot-create")


def _signed_in(client, user):
    client.force_login(user)
    return client


def _url(name: str, pilot, **kwargs) -> str:
    return reverse(f"partnerships:{name}", kwargs={"slug": pilot.slug, **kwargs})


def _errors(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    return html


# Proposing and editing a pilot


def test_an_officer_proposes_a_pilot_and_lands_on_its_page(client, users):
    lead = OfficerFactory(full_name="Robin Lead")

    response = _signed_in(client, users["officer"]).post(
        CREATE,
        {
            "title": "Shared care records",
            "aim": "Let home care workers read the hospital's discharge notes.",
            "lead_officer": lead.pk,
            "areas": [area("mid").pk],
            "commercial_details": "No money changes hands.",
            "is_published": "on",
        },
        follow=True,
    )

    pilot = PartnershipPilot.objects.get(title="Shared care records")
    assert response.redirect_chain[-1][0] == _url("pilot", pilot)
    assert "Shared care records was proposed" in response.content.decode()
    assert (pilot.stage, pilot.is_published, pilot.created_by) == (Stage.PROPOSED, True, users["officer"])
    assert StageChange.objects.filter(pilot=pilot, from_stage="", to_stage=Stage.PROPOSED).exists()


def test_proposing_a_pilot_with_nothing_filled_in_names_each_missing_answer(client, users):
    html = _errors(_signed_in(client, users["officer"]).post(CREATE, {}))

    for message in (
        "Enter the pilot&#x27;s title",
        "Enter the pilot&#x27;s aim",
        "Choose the officer who leads the pilot",
    ):
        assert message in html
    assert not PartnershipPilot.objects.exists()


def test_a_lead_officer_who_has_left_cannot_be_chosen(client, users):
    gone = OfficerFactory(active_to=timezone.localdate() - dt.timedelta(days=1))

    html = _errors(
        _signed_in(client, users["officer"]).post(CREATE, {"title": "T", "aim": "A", "lead_officer": gone.pk})
    )

    assert "Choose an officer in post to lead the pilot" in html


def test_a_taken_title_is_shown_against_the_title(client, users):
    factories.PartnershipPilotFactory(title="Shared care records")

    html = _errors(
        _signed_in(client, users["officer"]).post(
            CREATE, {"title": "shared care records", "aim": "A", "lead_officer": OfficerFactory().pk}
        )
    )

    assert services.TITLE_TAKEN in html


def test_the_edit_page_starts_from_the_pilot_and_saves_its_changes(client, users):
    pilot = factories.PartnershipPilotFactory(title="Old title", areas=[area("south")])
    _signed_in(client, users["editor"])

    page = client.get(_url("pilot-edit", pilot))
    assert page.context["form"].initial["areas"] == [area("south").pk]
    assert "Old title" in page.content.decode()

    response = client.post(
        _url("pilot-edit", pilot),
        {
            "title": "New title",
            "aim": "New aim",
            "lead_officer": pilot.lead_officer_id,
            "internal_notes": "Hush",
        },
    )

    pilot.refresh_from_db()
    assert response.status_code == 302
    assert (pilot.title, pilot.slug, pilot.internal_notes, pilot.is_published) == (
        "New title",
        "old-title",
        "Hush",
        False,
    )
    assert list(pilot.areas.all()) == []


def test_a_director_cannot_propose_a_pilot(client, users):
    response = _signed_in(client, users["director"]).post(
        CREATE, {"title": "T", "aim": "A", "lead_officer": OfficerFactory().pk}
    )

    assert response.status_code == 403
    assert not PartnershipPilot.objects.exists()


# Partners


def test_an_officer_adds_a_provider_from_the_whos_who_as_a_partner(client, users):
    pilot = factories.PartnershipPilotFactory()
    provider = ProviderOrganisationFactory(name="Meadow Care")

    response = _signed_in(client, users["officer"]).post(
        _url("partner-add", pilot), {"provider": provider.pk, "role": "Delivers home care"}, follow=True
    )

    partner = pilot.partners.get()
    assert (partner.provider, partner.kind, partner.role) == (
        provider,
        PilotPartner.Kind.PROVIDER,
        "Delivers home care",
    )
    assert "Meadow Care was added as a partner" in response.content.decode()


def test_an_officer_adds_an_nhs_trust_with_its_contact(client, users):
    pilot = factories.PartnershipPilotFactory()

    _signed_in(client, users["officer"]).post(
        _url("partner-add", pilot),
        {
            "organisation_name": "County Hospitals NHS Trust",
            "kind": PilotPartner.Kind.NHS_TRUST,
            "contact_name": "Jo Discharge",
            "contact_email": "jo@nhs.example.org",
            "contact_phone": "01234 567890",
        },
    )

    partner = pilot.partners.get()
    assert (partner.kind, partner.name, partner.contact_phone) == (
        PilotPartner.Kind.NHS_TRUST,
        "County Hospitals NHS Trust",
        "01234 567890",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, services.PROVIDER_OR_NAME),
        ({"provider": "made", "organisation_name": "A trust", "kind": "nhs_trust"}, services.NOT_BOTH),
        ({"organisation_name": "A trust"}, services.CHOOSE_KIND),
        ({"organisation_name": "A trust", "kind": "provider"}, services.CHOOSE_KIND),
        (
            {"organisation_name": "A trust", "kind": "nhs_trust", "contact_email": "jo at nhs"},
            "Enter an email address",
        ),
        ({"provider": "999999"}, "Choose a provider from the list"),
    ],
)
def test_partner_form_explains_what_is_wrong(client, users, data, message):
    pilot = factories.PartnershipPilotFactory()
    if data.get("provider") == "made":
        data = {**data, "provider": ProviderOrganisationFactory().pk}

    html = _errors(_signed_in(client, users["officer"]).post(_url("partner-add", pilot), data))

    assert escape(message) in html
    assert not pilot.partners.exists()


def test_the_same_provider_cannot_be_added_twice(client, users):
    partner = factories.ProviderPartnerFactory(provider__name="Meadow Care")

    html = _errors(
        _signed_in(client, users["officer"]).post(
            _url("partner-add", partner.pilot), {"provider": partner.provider_id}
        )
    )

    assert "Meadow Care is already a partner in this pilot" in html
    assert partner.pilot.partners.count() == 1


def test_an_officer_changes_a_partners_role_and_contact(client, users):
    partner = factories.OtherPartnerFactory()
    _signed_in(client, users["officer"])

    assert client.get(_url("partner-edit", partner.pilot, pk=partner.pk)).context["form"].initial["kind"] == (
        partner.kind
    )
    client.post(
        _url("partner-edit", partner.pilot, pk=partner.pk),
        {"organisation_name": partner.organisation_name, "kind": partner.kind, "role": "Chairs the board"},
    )

    partner.refresh_from_db()
    assert (partner.role, partner.contact_email) == ("Chairs the board", "")


def test_a_partner_of_another_pilot_is_not_found(client, users):
    partner = factories.OtherPartnerFactory()
    other_pilot = factories.PartnershipPilotFactory()
    _signed_in(client, users["manager"])

    assert client.get(_url("partner-edit", other_pilot, pk=partner.pk)).status_code == 404
    assert client.post(_url("partner-remove", other_pilot, pk=partner.pk)).status_code == 404
    assert PilotPartner.objects.filter(pk=partner.pk).exists()


def test_removing_a_partner_asks_first_and_removes_only_on_confirming(client, users):
    partner = factories.OtherPartnerFactory(organisation_name="Good Neighbours")
    _signed_in(client, users["manager"])

    page = client.get(_url("partner-remove", partner.pilot, pk=partner.pk))
    assert "Remove Good Neighbours from the pilot?" in page.content.decode()
    assert PilotPartner.objects.filter(pk=partner.pk).exists()

    response = client.post(_url("partner-remove", partner.pilot, pk=partner.pk), follow=True)

    assert not PilotPartner.objects.filter(pk=partner.pk).exists()
    assert "Good Neighbours was removed from the pilot" in response.content.decode()


def test_a_partner_that_answered_a_check_is_not_removed_and_the_page_says_why(client, users):
    partner = factories.ProviderPartnerFactory()
    factories.RelationshipCheckResponseFactory(
        check_round=factories.RelationshipCheckFactory(pilot=partner.pilot), partner=partner
    )

    html = _errors(
        _signed_in(client, users["manager"]).post(_url("partner-remove", partner.pilot, pk=partner.pk))
    )

    assert "This partner has answered a relationship check" in html
    assert PilotPartner.objects.filter(pk=partner.pk).exists()


def test_an_officer_may_not_remove_a_partner(client, users):
    partner = factories.OtherPartnerFactory()

    response = _signed_in(client, users["officer"]).post(_url("partner-remove", partner.pilot, pk=partner.pk))

    assert response.status_code == 403
    assert PilotPartner.objects.filter(pk=partner.pk).exists()


# Why a pilot is strategic


def test_an_officer_chooses_the_reasons_each_with_its_explanation(client, users):
    pilot = factories.PartnershipPilotFactory()
    factories.StrategicReasonFactory(pilot=pilot, reason="innovation", explanation="Old.")
    _signed_in(client, users["officer"])

    form = client.get(_url("reasons-edit", pilot)).context["form"]
    assert (form.initial["innovation"], form.initial["innovation_explanation"]) == (True, "Old.")

    response = client.post(
        _url("reasons-edit", pilot),
        {
            "locality": "on",
            "locality_explanation": "Mid's neighbourhood teams.",
            "innovation_explanation": "Old.",
        },
    )

    assert response.status_code == 302
    assert list(pilot.strategic_reasons.values_list("reason", "explanation")) == [
        ("locality", "Mid's neighbourhood teams.")
    ]


def test_reasons_form_needs_at_least_one_reason(client, users):
    pilot = factories.PartnershipPilotFactory()

    html = _errors(_signed_in(client, users["officer"]).post(_url("reasons-edit", pilot), {}))

    assert services.NO_REASON in html


def test_reasons_form_needs_an_explanation_for_each_chosen_reason(client, users):
    pilot = factories.PartnershipPilotFactory()

    html = _errors(
        _signed_in(client, users["officer"]).post(
            _url("reasons-edit", pilot),
            {"specialist": "on", "specialist_explanation": "Autism support.", "client_groups": "on"},
        )
    )

    assert escape("Explain how “Joining up client groups” applies to this pilot") in html
    assert not pilot.strategic_reasons.exists()
