"""Officer, team and provider pages, the vCard download, and the links that lead to the who's-who."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Officer, ProviderPerson
from directory.selectors.provider_page import provider_page, provider_profile
from directory.tests.factories import (
    OfficerFactory,
    ProviderAssociationFactory,
    ProviderOrganisationFactory,
    ProviderPersonFactory,
    ResponsibilityFactory,
    TeamFactory,
    area,
    service_type,
    topic,
)
from directory.vcard import escape, officer_vcard
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from portal.tests.factories import OfficerFactory as OfficerUserFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
# Session, user, roles; the officer with team, directorate and deputy; areas; responsibilities with their
# topics, areas and service types; the viewer's permissions (for the editing links), read once; the New Deal
# section (the current version with the officer's sign-up).
OFFICER_PAGE_QUERIES = 11
# Session, user, roles; the team with directorate; members; responsibilities with officers, areas, types.
TEAM_PAGE_QUERIES = 8
# Session, user, roles; the provider with its contract manager; the names of its areas, service types, client
# groups and associations, with the lead topics; its people; which responsibilities answer, and whom they name;
# the New Deal section (the current version with the provider's sign-up).
PROVIDER_PAGE_QUERIES = 9


@pytest.fixture
def officer():
    deputy = OfficerFactory(full_name="Dana Deputy", job_title="Senior safeguarding officer")
    officer = OfficerFactory(
        full_name="Morgan Reid",
        job_title="Head of safeguarding",
        seniority=Officer.Seniority.HEAD_OF_SERVICE,
        email="morgan.reid@council.example.org",
        phone="0300 555 0142",
        deputy=deputy,
        market_lead=Officer.MarketLead.OPERATIONAL,
        areas=[area("mid"), area("west")],
        team=TeamFactory(name="Safeguarding Adults", mailbox="safeguarding@council.example.org"),
    )
    ResponsibilityFactory(officer=officer, areas=[area("mid")], service_types=[service_type("home-care")])
    ResponsibilityFactory(officer=officer, topic=topic("quality"))
    ResponsibilityFactory(officer=officer, topic=topic("commissioning"), retired_on=YESTERDAY)
    return officer


def test_officer_page_shows_who_they_are_and_what_they_answer(client, officer):
    client.force_login(ProviderUserFactory())

    response = client.get(reverse("directory:officer-detail", args=[officer.pk]))

    page = response.content.decode()
    for shown in (
        "Morgan Reid",
        "Head of safeguarding",
        "Head of service",
        "morgan.reid@council.example.org",
        "0300 555 0142",
        "safeguarding@council.example.org",
        "Mid, West",
        "Dana Deputy",
        "Operational lead for the care market",
        "Safeguarding",
        "Home care",
        "Quality",
        "All areas",
        "All types",
        reverse("directory:officer-vcard", args=[officer.pk]),
        reverse("directory:team-detail", args=[officer.team_id]),
    ):
        assert shown in page, shown
    assert "Commissioning" not in page


def test_deputy_no_longer_in_post_is_not_named(client, officer):
    Officer.objects.filter(pk=officer.deputy_id).update(active_to=YESTERDAY)
    client.force_login(ProviderUserFactory())

    page = client.get(reverse("directory:officer-detail", args=[officer.pk])).content.decode()

    assert "Dana Deputy" not in page


def test_providers_get_404_for_an_officer_no_longer_in_post(client, officer):
    Officer.objects.filter(pk=officer.pk).update(active_to=YESTERDAY)
    client.force_login(ProviderUserFactory())

    assert client.get(reverse("directory:officer-detail", args=[officer.pk])).status_code == 404
    assert client.get(reverse("directory:officer-vcard", args=[officer.pk])).status_code == 404


def test_council_staff_see_an_officer_no_longer_in_post_marked_so(client, officer):
    Officer.objects.filter(pk=officer.pk).update(active_to=YESTERDAY)
    client.force_login(DirectorFactory())

    response = client.get(reverse("directory:officer-detail", args=[officer.pk]))

    assert response.status_code == 200
    assert "Morgan Reid is no longer in post" in response.content.decode()


def test_officer_page_queries_do_not_grow_with_their_responsibilities(
    client, officer, django_assert_num_queries
):
    for index in range(30):
        ResponsibilityFactory(
            officer=officer,
            topic=topic(("payments-and-invoices", "workforce-and-training")[index % 2]),
            areas=[area("south")],
            service_types=[service_type("nursing-care")],
        )
    client.force_login(OfficerUserFactory())

    with django_assert_num_queries(OFFICER_PAGE_QUERIES):
        response = client.get(reverse("directory:officer-detail", args=[officer.pk]))

    assert len(response.context["officer"].answering) == 32


def test_vcard_holds_the_officers_details_escaped(client):
    officer = OfficerFactory(
        full_name="Sam O'Neil-Smith",
        job_title="Manager, contracts; quality\nand pricing",
        email="sam@council.example.org",
        phone="0300 555 0100",
        team=TeamFactory(name="Contracts, South"),
    )
    client.force_login(ProviderUserFactory())

    response = client.get(reverse("directory:officer-vcard", args=[officer.pk]))

    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sam-oneil-smith.vcf"'
    card = response.content.decode()
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert card.endswith("END:VCARD\r\n")
    lines = card.split("\r\n")
    assert "N:O'Neil-Smith;Sam;;;" in lines
    assert "FN:Sam O'Neil-Smith" in lines
    assert "TITLE:Manager\\, contracts\\; quality\\nand pricing" in lines
    assert "ORG:County Council;Contracts\\, South" in lines
    assert "EMAIL;TYPE=INTERNET,WORK:sam@council.example.org" in lines
    assert "TEL;TYPE=WORK,VOICE:0300 555 0100" in lines


def test_vcard_escapes_backslashes_first_and_folds_long_lines_without_splitting_a_character():
    assert escape("a\\b,c;d\r\ne") == "a\\\\b\\,c\\;d\\ne"

    officer = OfficerFactory(full_name="Zoë Long", job_title="Officer for " + "é" * 60, phone="")
    card = officer_vcard(officer)

    assert all(len(line.encode()) <= 75 for line in card.split("\r\n"))
    unfolded = card.replace("\r\n ", "")
    assert "TITLE:Officer for " + "é" * 60 in unfolded.split("\r\n")
    assert "TEL" not in card


def test_team_page_shows_directorate_mailbox_members_in_post_and_responsibilities(client):
    team = TeamFactory(
        name="Quality and Improvement", mailbox="quality@council.example.org", phone="0300 555 0177"
    )
    OfficerFactory(full_name="Ines In Post", team=team)
    OfficerFactory(full_name="Lee Left", team=team, active_to=YESTERDAY)
    ResponsibilityFactory(officer=None, team=team, topic=topic("quality"), areas=[area("south")])
    client.force_login(ProviderUserFactory())

    page = client.get(reverse("directory:team-detail", args=[team.pk])).content.decode()

    for shown in (
        team.directorate.name,
        "quality@council.example.org",
        "0300 555 0177",
        "Ines In Post",
        "South",
    ):
        assert shown in page, shown
    assert "Lee Left" not in page


def test_providers_get_404_for_a_closed_team_that_staff_still_see(client):
    team = TeamFactory(is_active=False)

    client.force_login(ProviderUserFactory())
    assert client.get(reverse("directory:team-detail", args=[team.pk])).status_code == 404
    client.force_login(OfficerUserFactory())
    assert (
        "This team has closed"
        in client.get(reverse("directory:team-detail", args=[team.pk])).content.decode()
    )


def test_team_page_queries_do_not_grow_with_its_members(client, django_assert_num_queries):
    team = TeamFactory()
    for officer in OfficerFactory.create_batch(30, team=team):
        ResponsibilityFactory(officer=officer, team=team, areas=[area("mid")])
    client.force_login(OfficerUserFactory())

    with django_assert_num_queries(TEAM_PAGE_QUERIES):
        response = client.get(reverse("directory:team-detail", args=[team.pk]))

    assert len(response.context["team"].members) == 30


@pytest.fixture
def provider():
    """A Tier One home care and nursing provider in Mid and South, with leads named for each."""
    manager = OfficerFactory(full_name="Casey Contracts", deputy=OfficerFactory(full_name="Drew Deputy"))
    provider = ProviderOrganisationFactory(
        name="Harbour Care Ltd",
        location_id="1-2345678901",
        tier=1,
        contract_manager=manager,
        contract_type="spot",
        people_supported=120,
    )
    provider.areas.set([area("mid"), area("south")])
    provider.service_types.set([service_type("home-care"), service_type("nursing-care")])
    provider.client_groups.set([])
    provider.associations.set([ProviderAssociationFactory(name="County Care Association")])
    ProviderPersonFactory(
        provider=provider, full_name="Rita Registered", role=ProviderPerson.Role.REGISTERED_MANAGER
    )
    ProviderPersonFactory(
        provider=provider,
        full_name="Finn Finance",
        role=ProviderPerson.Role.FINANCE,
        receives_contact_list=False,
    )
    for slug in ("mid", "south"):
        ResponsibilityFactory(
            officer=OfficerFactory(full_name=f"Safe {slug.title()} Home"),
            areas=[area(slug)],
            service_types=[service_type("home-care")],
        )
        ResponsibilityFactory(
            officer=OfficerFactory(full_name=f"Safe {slug.title()} Buildings"),
            areas=[area(slug)],
            service_types=[service_type("nursing-care")],
        )
    ResponsibilityFactory(topic=topic("quality"), officer=OfficerFactory(full_name="Quinn Quality"))
    return provider


def test_area_leads_follow_the_finder_for_each_area_and_service_type(provider):
    record = provider_page(OfficerUserFactory()).get(pk=provider.pk)

    profile = provider_profile(record)

    assert profile.contract_manager.officer.full_name == "Casey Contracts"
    assert profile.contract_manager.deputy.full_name == "Drew Deputy"
    mid, south = profile.area_leads
    assert [mid.area.slug, south.area.slug] == ["mid", "south"]
    leads = [
        (lead.topic.slug, [s.slug for s in lead.service_types], lead.answer and lead.answer.officer.full_name)
        for lead in mid.leads
    ]
    assert leads == [
        ("safeguarding", ["home-care"], "Safe Mid Home"),
        ("safeguarding", ["nursing-care"], "Safe Mid Buildings"),
        # One county-wide answer serves both service types on one line.
        ("quality", ["home-care", "nursing-care"], "Quinn Quality"),
        ("contract-management", ["home-care", "nursing-care"], None),
    ]
    assert south.leads[0].answer.officer.full_name == "Safe South Home"


def test_provider_page_shows_its_record_contacts_and_key_people(client, provider):
    client.force_login(ProviderUserFactory(provider_organisation=provider))

    response = client.get(reverse("directory:provider-detail", args=[provider.pk]))

    page = response.content.decode()
    for shown in (
        "1-2345678901",
        "Tier 1",
        "Spot",
        "120",
        "Mid, South",
        "Home care, Nursing care",
        "County Care Association",
        "Casey Contracts",
        "Drew Deputy",
        "Safe Mid Home",
        "Safe South Buildings",
        "Quinn Quality",
        "No named contact yet",
        "Rita Registered",
        "Registered manager",
        "Finn Finance",
    ):
        assert shown in page, shown
    # The registered manager comes before the finance contact.
    assert page.index("Rita Registered") < page.index("Finn Finance")


def test_provider_cannot_see_another_providers_page(client, provider):
    client.force_login(ProviderUserFactory(provider_organisation=ProviderOrganisationFactory()))

    assert client.get(reverse("directory:provider-detail", args=[provider.pk])).status_code == 404


def test_provider_page_queries_do_not_grow_with_areas_service_types_or_people(
    client, provider, django_assert_num_queries
):
    client.force_login(OfficerUserFactory())
    with django_assert_num_queries(PROVIDER_PAGE_QUERIES):
        client.get(reverse("directory:provider-detail", args=[provider.pk]))

    provider.areas.set([area(slug) for slug in ("north-east", "mid", "south", "west")])
    provider.service_types.set(
        [service_type(slug) for slug in ("home-care", "nursing-care", "residential-care", "supported-living")]
    )
    ProviderPersonFactory.create_batch(20, provider=provider)
    for slug in ("north-east", "west"):
        ResponsibilityFactory(topic=topic("contract-management"), areas=[area(slug)])

    with django_assert_num_queries(PROVIDER_PAGE_QUERIES):
        response = client.get(reverse("directory:provider-detail", args=[provider.pk]))

    assert len(response.context["profile"].area_leads) == 4
    assert len(response.context["profile"].people) == 22


@pytest.mark.parametrize("kind", ["provider", "officer", "director"])
def test_everyone_signed_in_is_offered_the_finder_and_the_whos_who(client, kind):
    user = {
        "provider": ProviderUserFactory,
        "officer": OfficerUserFactory,
        "director": DirectorFactory,
    }[kind]()
    client.force_login(user)

    page = client.get(reverse("home")).content.decode()

    # Once in the header's navigation, once on the home page.
    assert page.count(f'href="{reverse("directory:finder")}"') == 2
    assert page.count(f'href="{reverse("directory:search")}"') == 2
