"""The register of partnership pilots and a pilot's page: who sees what, the filters, and constant query counts."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory, area, service_type
from partnerships.models import Evaluation, StrategicReason
from partnerships.selectors.register import register_pilots, with_register_names
from partnerships.tests import factories

pytestmark = pytest.mark.django_db

# Session, user, roles, the filter's area and service type choices, the count, the page of pilots with their
# names as arrays. Which actions to offer follows from the roles (portal.roles.may): no permission queries.
REGISTER_MAX_QUERIES = 7
# Session, user, roles, the pilot with its lead officer (and procurement), and every list of the page in one
# query (partnerships/selectors/pilot_page_sql.py).
PILOT_PAGE_MAX_QUERIES = 5

REGISTER = reverse("partnerships:register")


def _page(pilot) -> str:
    return reverse("partnerships:pilot", kwargs={"slug": pilot.slug})


def _signed_in(client, user):
    client.force_login(user)
    return client


def _full_pilot(title: str, *, each: int, is_published: bool = True):
    """A pilot with `each` partners (half providers), objectives, milestones, risks, progress entries."""
    pilot = factories.PartnershipPilotFactory(
        title=title,
        is_published=is_published,
        areas=[area("mid"), area("south")],
        service_types=[service_type("home-care")],
    )
    factories.StrategicReasonFactory(pilot=pilot, reason=StrategicReason.Reason.INNOVATION)
    factories.StrategicReasonFactory(
        pilot=pilot, reason=StrategicReason.Reason.LOCALITY, explanation="Mid only."
    )
    owner = OfficerFactory()
    for number in range(each):
        if number % 2:
            factories.OtherPartnerFactory(pilot=pilot)
        else:
            factories.ProviderPartnerFactory(pilot=pilot)
        factories.ObjectiveFactory(pilot=pilot, owner=owner)
        factories.MilestoneFactory(pilot=pilot)
        factories.RiskFactory(pilot=pilot, owner=owner, is_internal=bool(number % 2))
        factories.ProgressEntryFactory(pilot=pilot, is_internal=bool(number % 2))
    factories.ProcurementRecordFactory(pilot=pilot)
    factories.EvaluationFactory(pilot=pilot)
    factories.EvaluationFactory(pilot=pilot, point=Evaluation.Point.END, is_published=False)
    return pilot


# The register


def test_register_shows_each_pilot_with_its_stage_lead_partners_areas_services_and_reasons(client, users):
    provider = ProviderOrganisationFactory(name="Meadow Home Care Ltd")
    lead = OfficerFactory(full_name="Robin Lead")
    pilot = factories.PartnershipPilotFactory(
        title="Trusted assessors",
        lead_officer=lead,
        areas=[area("west")],
        service_types=[service_type("home-care"), service_type("nursing-care")],
    )
    factories.ProviderPartnerFactory(pilot=pilot, provider=provider)
    factories.OtherPartnerFactory(pilot=pilot, organisation_name="West Hospitals NHS Trust")
    factories.StrategicReasonFactory(pilot=pilot, reason=StrategicReason.Reason.SPECIALIST)

    response = _signed_in(client, users["provider_b"]).get(REGISTER)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{_page(pilot)}"' in html
    for text in (
        "Trusted assessors",
        "Scoping",
        "Robin Lead",
        "Meadow Home Care Ltd, West Hospitals NHS Trust",
        "West",
        "Home care, Nursing care",
        "Specialist services",
    ):
        assert text in html


def test_providers_see_only_published_pilots_on_the_register(client, users):
    factories.PartnershipPilotFactory(title="Open pilot")
    factories.PartnershipPilotFactory(title="Secret pilot", is_published=False)

    html = _signed_in(client, users["provider_a"]).get(REGISTER).content.decode()

    assert "Open pilot" in html
    assert "Secret pilot" not in html
    assert "Propose a pilot" not in html


def test_officers_see_drafts_marked_as_drafts_and_may_propose_a_pilot(client, users):
    factories.PartnershipPilotFactory(title="Secret pilot", is_published=False)

    html = _signed_in(client, users["officer"]).get(REGISTER).content.decode()

    assert "Secret pilot" in html
    assert "Draft</strong>" in html
    assert reverse("partnerships:pilot-create") in html


def test_directors_see_the_register_without_the_propose_button(client, users):
    factories.PartnershipPilotFactory(title="Open pilot")

    html = _signed_in(client, users["director"]).get(REGISTER).content.decode()

    assert "Open pilot" in html
    assert "Propose a pilot" not in html


def test_every_signed_in_user_finds_the_register_in_the_header(client, users):
    html = _signed_in(client, users["provider_a"]).get(reverse("home")).content.decode()

    assert f'href="{REGISTER}">Partnership pilots</a>' in html


def test_an_empty_register_says_so(client, users):
    html = _signed_in(client, users["provider_a"]).get(REGISTER).content.decode()

    assert "There are no partnership pilots on the register yet" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"stage": "in_delivery"}, {"Delivering"}),
        ({"area": "north-east"}, {"North East only"}),
        ({"service_type": "day-opportunities"}, {"Day services"}),
        ({"reason": "client_groups"}, {"Day services"}),
        ({"q": "joint recruitment"}, {"North East only"}),
        ({"q": "riverside"}, {"Delivering"}),
        ({"q": "delivering"}, {"Delivering"}),
    ],
)
def test_register_filters_by_stage_area_service_type_reason_and_words(client, users, query, expected):
    delivering = factories.PartnershipPilotFactory(title="Delivering", stage="in_delivery")
    factories.ProviderPartnerFactory(pilot=delivering, provider__name="Riverside Care")
    factories.PartnershipPilotFactory(
        title="North East only", areas=[area("north-east")], aim="A joint recruitment drive."
    )
    day = factories.PartnershipPilotFactory(
        title="Day services", service_types=[service_type("day-opportunities")]
    )
    factories.StrategicReasonFactory(pilot=day, reason=StrategicReason.Reason.CLIENT_GROUPS)

    response = _signed_in(client, users["provider_a"]).get(REGISTER, query)

    assert {pilot.title for pilot in response.context["pilots"]} == expected
    assert "Clear filters" in response.content.decode()


def test_a_filter_naming_nothing_on_the_list_is_an_error_not_a_crash(client, users):
    factories.PartnershipPilotFactory(title="Open pilot")

    response = _signed_in(client, users["provider_a"]).get(REGISTER, {"area": "atlantis"})

    assert response.status_code == 200
    assert "Choose an area from the list" in response.content.decode()
    assert list(response.context["pilots"]) == []


def test_register_filter_finds_no_pilot_and_says_so(client, users):
    factories.PartnershipPilotFactory(title="Open pilot")

    html = _signed_in(client, users["provider_a"]).get(REGISTER, {"q": "nothing like this"}).content.decode()

    assert "No pilots found" in html
    assert "Try removing a filter" in html


def test_register_is_paged_25_at_a_time(client, users):
    for number in range(27):
        factories.PartnershipPilotFactory(title=f"Pilot {number:02d}")

    first = _signed_in(client, users["officer"]).get(REGISTER)
    second = client.get(REGISTER, {"page": 2})

    assert len(first.context["pilots"]) == 25
    assert [pilot.title for pilot in second.context["pilots"]] == ["Pilot 25", "Pilot 26"]


@pytest.mark.parametrize("role", ["provider_a", "officer"])
def test_register_reads_a_constant_number_of_queries_however_many_pilots_and_partners(
    client, users, role, django_assert_max_num_queries
):
    for number in range(30):
        pilot = factories.PartnershipPilotFactory(
            title=f"Pilot {number:02d}",
            areas=[area("mid"), area("west")],
            service_types=[service_type("home-care")],
        )
        factories.ProviderPartnerFactory.create_batch(3, pilot=pilot)
        factories.OtherPartnerFactory(pilot=pilot)
        factories.StrategicReasonFactory(pilot=pilot)
    _signed_in(client, users[role])

    with django_assert_max_num_queries(REGISTER_MAX_QUERIES):
        response = client.get(REGISTER, {"area": "mid", "q": "pilot"})

    assert len(response.context["pilots"]) == 25
    assert all(len(pilot.partner_names) == 4 for pilot in response.context["pilots"])


def test_register_names_are_read_for_rows_that_came_without_them():
    """Off PostgreSQL the names are read for the page's rows; the same reading works on any rows."""
    pilot = factories.PartnershipPilotFactory(areas=[area("south")])
    factories.ProviderPartnerFactory(pilot=pilot, provider__name="Zed Care")
    factories.OtherPartnerFactory(pilot=pilot, organisation_name="Mid ICB")
    factories.StrategicReasonFactory(pilot=pilot, reason=StrategicReason.Reason.LOCALITY)
    plain = list(type(pilot).objects.filter(pk=pilot.pk))

    (row,) = with_register_names(plain)

    assert (row.area_names, row.partner_names, row.reason_names) == (
        ["South"],
        ["Zed Care", "Mid ICB"],
        ["Locality working"],
    )
    (annotated,) = with_register_names(list(register_pilots(_staff()).filter(pk=pilot.pk)))
    assert annotated.partner_names == row.partner_names


def _staff():
    from portal.tests.factories import SuperuserFactory

    return SuperuserFactory()


# A pilot's page


def test_pilot_page_shows_the_pilots_open_record_to_a_provider_of_another_organisation(client, users):
    pilot = _full_pilot("Discharge home", each=2)
    partner = pilot.partners.filter(provider__isnull=True).get()

    response = _signed_in(client, users["provider_b"]).get(_page(pilot))

    assert response.status_code == 200
    html = response.content.decode()
    assert pilot.aim in html
    assert "Innovation and integration" in html
    assert "Mid only." in html
    assert partner.organisation_name in html
    assert "Discharge team" in html
    assert reverse("partnerships:stage-history", kwargs={"slug": pilot.slug}) in html
    assert reverse("partnerships:relationship", kwargs={"slug": pilot.slug}) in html
    published = pilot.evaluations.get(is_published=True)
    assert reverse("partnerships:evaluation", kwargs={"slug": pilot.slug, "pk": published.pk}) in html


def test_provider_never_sees_what_scoping_hides_on_a_pilot_page(client, users):
    pilot = _full_pilot("Discharge home", each=2)
    internal_risk = pilot.risks.get(is_internal=True)
    open_risk = pilot.risks.get(is_internal=False)
    internal_entry = pilot.progress_entries.get(is_internal=True)
    draft = pilot.evaluations.get(is_published=False)
    contact = pilot.partners.filter(provider__isnull=True).get()

    html = _signed_in(client, users["provider_a"]).get(_page(pilot)).content.decode()

    assert open_risk.description in html
    for hidden in (
        pilot.commercial_details,
        pilot.internal_notes,
        pilot.risk_sharing,
        internal_risk.description,
        internal_entry.text,
        reverse("partnerships:evaluation", kwargs={"slug": pilot.slug, "pk": draft.pk}),
        "End of pilot",
        contact.contact_email,
        contact.contact_name,
        "For council staff only",
        "Commissioning board",
    ):
        assert escape(hidden) not in html, hidden
    assert "Internal</strong>" not in html


def test_council_staff_see_the_council_only_section_internal_entries_and_contacts(client, users):
    pilot = _full_pilot("Discharge home", each=2)
    internal_risk = pilot.risks.get(is_internal=True)
    internal_entry = pilot.progress_entries.get(is_internal=True)
    contact = pilot.partners.filter(provider__isnull=True).get()

    html = _signed_in(client, users["director"]).get(_page(pilot)).content.decode()

    for shown in (
        "For council staff only",
        "Providers do not see this section",
        pilot.commercial_details,
        pilot.internal_notes,
        pilot.risk_sharing,
        "Variation of an existing contract",
        "Commissioning board",
        internal_risk.description,
        internal_entry.text,
        "End of pilot",
        contact.contact_email,
        contact.contact_name,
    ):
        assert escape(shown) in html, shown
    assert "Internal</strong>" in html


def test_a_draft_pilot_is_not_found_for_a_provider_even_one_that_is_a_partner(client, users, provider_a):
    draft = factories.PartnershipPilotFactory(title="Secret pilot", is_published=False)
    factories.ProviderPartnerFactory(pilot=draft, provider=provider_a)

    response = _signed_in(client, users["provider_a"]).get(_page(draft))

    assert response.status_code == 404


def test_officers_see_a_draft_pilot_marked_as_not_on_the_register(client, users):
    draft = factories.PartnershipPilotFactory(title="Secret pilot", is_published=False)

    html = _signed_in(client, users["officer"]).get(_page(draft)).content.decode()

    assert "This pilot is not on the register yet" in html


def test_pilot_page_shows_at_most_the_ten_latest_progress_entries(client, users):
    pilot = factories.PartnershipPilotFactory()
    entries = factories.ProgressEntryFactory.create_batch(12, pilot=pilot)

    response = _signed_in(client, users["officer"]).get(_page(pilot))

    shown = response.context["page"].progress
    assert len(shown) == 10
    assert entries[0] not in shown and entries[-1] in shown


def test_pilot_page_gives_officers_their_action_links(client, users):
    pilot = _full_pilot("Discharge home", each=1)
    partner = pilot.partners.get()
    slug = {"slug": pilot.slug}

    html = _signed_in(client, users["officer"]).get(_page(pilot)).content.decode()

    for name in (
        "pilot-edit",
        "partner-add",
        "reasons-edit",
        "stage-change",
        "procurement",
        "objective-add",
        "milestone-add",
        "risk-add",
        "progress-add",
        "evaluation-add",
        "check-open",
    ):
        assert reverse(f"partnerships:{name}", kwargs=slug) in html, name
    assert reverse("partnerships:partner-edit", kwargs={**slug, "pk": partner.pk}) in html
    # Removing a partner is for the engagement manager.
    assert reverse("partnerships:partner-remove", kwargs={**slug, "pk": partner.pk}) not in html


@pytest.mark.parametrize("role", ["provider_a", "director"])
def test_pilot_page_has_no_action_links_for_those_who_may_not_act(client, users, role):
    pilot = _full_pilot("Discharge home", each=1)

    html = _signed_in(client, users[role]).get(_page(pilot)).content.decode()

    for name in ("pilot-edit", "partner-add", "reasons-edit", "stage-change", "risk-add", "check-open"):
        assert reverse(f"partnerships:{name}", kwargs={"slug": pilot.slug}) not in html, name


def test_engagement_manager_may_remove_a_partner_from_the_page(client, users):
    pilot = _full_pilot("Discharge home", each=1)
    partner = pilot.partners.get()

    html = _signed_in(client, users["manager"]).get(_page(pilot)).content.decode()

    assert reverse("partnerships:partner-remove", kwargs={"slug": pilot.slug, "pk": partner.pk}) in html


@pytest.mark.parametrize("role", ["provider_a", "officer"])
def test_pilot_page_reads_a_constant_number_of_queries_however_much_the_pilot_holds(
    client, users, role, django_assert_max_num_queries
):
    small, large = _full_pilot("Small pilot", each=2), _full_pilot("Large pilot", each=20)
    _signed_in(client, users[role])
    counts = []
    for pilot in (small, large):
        with django_assert_max_num_queries(PILOT_PAGE_MAX_QUERIES) as captured:
            assert client.get(_page(pilot)).status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_the_lessons_library_address_is_not_taken_for_a_pilot(client, users):
    response = _signed_in(client, users["provider_a"]).get(reverse("partnerships:lessons"))

    assert response.resolver_match.url_name == "lessons"
