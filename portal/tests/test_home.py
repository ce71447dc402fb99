import pytest
from django.urls import reverse

from directory.tests.factories import ProviderOrganisationFactory
from portal.tests.factories import DirectorFactory, OfficerFactory, ProviderUserFactory, SuperuserFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, page figures, plus a little headroom; never grows with the number of providers.
HOME_MAX_QUERIES = 6


@pytest.fixture
def county():
    return ProviderOrganisationFactory.create_batch(30, tier_one=True)


def test_officer_home_counts_providers_and_links_to_the_who_is_who(
    client, county, django_assert_max_num_queries
):
    client.force_login(OfficerFactory(full_name="Olivia Officer"))

    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = client.get(reverse("home"))

    page = response.content.decode()
    assert "Welcome, Olivia" in page
    assert reverse("directory:provider-list") in page
    assert response.context["figures"] == {"active": 30, "tier_one": 30}


def test_director_home_is_the_relationship_overview(client, county, django_assert_max_num_queries):
    client.force_login(DirectorFactory())

    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        response = client.get(reverse("home"))

    assert "Relationship overview" in response.content.decode()
    assert response.context["figures"]["active"] == 30


def test_provider_home_shows_its_own_organisation_only(client, county, django_assert_max_num_queries):
    user = ProviderUserFactory(provider_organisation__name="Harbour Homecare Ltd")
    client.force_login(user)

    with django_assert_max_num_queries(HOME_MAX_QUERIES + 2):
        response = client.get(reverse("home"))

    page = response.content.decode()
    assert "Harbour Homecare Ltd" in page
    assert county[0].name not in page
    assert f'href="{reverse("directory:provider-list")}"' not in page


def test_navigation_follows_the_role(client):
    client.force_login(SuperuserFactory())
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()

    client.force_login(OfficerFactory())
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()


def test_pages_use_council_branding_without_the_crown(client):
    page = client.get(reverse("login")).content.decode()

    assert "Provider Relationship Portal" in page
    assert "govuk-logo" not in page
    assert "crown" not in page.lower()
    assert 'class="govuk-skip-link"' in page
    assert "govuk-phase-banner" in page


def test_editor_home_links_to_keeping_the_whos_who_right(client):
    from portal import roles

    client.force_login(OfficerFactory(roles=[roles.OFFICER, roles.DIRECTORY_EDITOR]))

    page = client.get(reverse("home")).content.decode()

    for name in (
        "directory:needs-checking",
        "directory:proposal-queue",
        "directory:handover-list",
        "directory:transfer",
    ):
        assert reverse(name) in page, name
    assert reverse("directory:manage-officer-list") in page


def test_officer_without_editing_rights_is_not_offered_the_editing_pages(client):
    client.force_login(OfficerFactory())

    page = client.get(reverse("home")).content.decode()

    assert reverse("directory:needs-checking") in page
    assert reverse("directory:manage-officer-list") not in page


def test_provider_home_offers_to_propose_a_contact(client):
    client.force_login(ProviderUserFactory())

    page = client.get(reverse("home")).content.decode()

    assert reverse("directory:proposal-create") in page
    assert reverse("directory:proposal-list") in page


def test_everyone_signed_in_can_reach_the_contact_list(client):
    for user in (OfficerFactory(), ProviderUserFactory()):
        client.force_login(user)
        assert reverse("directory:contact-list") in client.get(reverse("home")).content.decode()


def test_circulations_are_in_the_council_navigation_only(client):
    client.force_login(OfficerFactory())
    assert reverse("directory:circulation-run-list") in client.get(reverse("home")).content.decode()

    client.force_login(ProviderUserFactory())
    page = client.get(reverse("home")).content.decode()
    assert reverse("directory:circulation-run-list") not in page
    assert reverse("directory:contact-list-sent") in page
