import pytest
from django.urls import reverse

from directory.models import Area, ServiceType
from directory.tests.factories import ProviderOrganisationFactory
from portal.tests.factories import OfficerFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, count, page of providers, their areas and service types: the same for 60 or 6,000.
PROVIDER_LIST_MAX_QUERIES = 8


@pytest.fixture
def providers():
    areas = list(Area.objects.all())
    service_types = list(ServiceType.objects.all())
    created = ProviderOrganisationFactory.create_batch(60)
    for index, provider in enumerate(created):
        provider.areas.set([areas[index % len(areas)]])
        provider.service_types.set(service_types[: 1 + index % 2])
    return created


def test_officer_pages_through_providers_without_a_query_per_row(
    client, providers, django_assert_max_num_queries
):
    client.force_login(OfficerFactory())

    with django_assert_max_num_queries(PROVIDER_LIST_MAX_QUERIES):
        response = client.get(reverse("directory:provider-list"))

    page = response.content.decode()
    assert response.context["page_obj"].paginator.count == 60
    assert len(response.context["providers"]) == 50
    assert "Page 1 of 2" in page
    with django_assert_max_num_queries(PROVIDER_LIST_MAX_QUERIES):
        second = client.get(reverse("directory:provider-list"), {"page": 2})
    assert len(second.context["providers"]) == 10


def test_provider_list_says_so_when_empty(client):
    client.force_login(OfficerFactory())

    response = client.get(reverse("directory:provider-list"))

    assert "No providers have been added yet." in response.content.decode()


def test_provider_sees_its_own_record(client, providers):
    user = ProviderUserFactory(provider_organisation=providers[0])
    client.force_login(user)

    response = client.get(reverse("directory:provider-detail", args=[providers[0].pk]))

    assert response.status_code == 200
    assert providers[0].name in response.content.decode()


def test_provider_cannot_see_another_providers_record(client, providers):
    client.force_login(ProviderUserFactory(provider_organisation=providers[0]))

    response = client.get(reverse("directory:provider-detail", args=[providers[1].pk]))

    assert response.status_code == 404


def test_provider_cannot_browse_the_provider_list(client, providers):
    client.force_login(ProviderUserFactory(provider_organisation=providers[0]))

    assert client.get(reverse("directory:provider-list")).status_code == 403


def test_editor_is_offered_edit_and_handover_from_the_officer_page(client):
    from directory.tests.factories import OfficerFactory as OfficerRecordFactory
    from portal import roles

    officer = OfficerRecordFactory()
    client.force_login(OfficerFactory(roles=[roles.OFFICER, roles.DIRECTORY_EDITOR]))

    page = client.get(reverse("directory:officer-detail", args=[officer.pk])).content.decode()

    assert reverse("directory:manage-officer-detail", args=[officer.pk]) in page
    assert reverse("directory:officer-hand-over", args=[officer.pk]) in page


def test_officer_page_offers_no_editing_to_providers(client):
    from directory.tests.factories import OfficerFactory as OfficerRecordFactory

    officer = OfficerRecordFactory()
    client.force_login(ProviderUserFactory())

    page = client.get(reverse("directory:officer-detail", args=[officer.pk])).content.decode()

    assert reverse("directory:officer-hand-over", args=[officer.pk]) not in page
