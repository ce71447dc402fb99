"""A provider user's subscription to market direction emails."""

import pytest
from django.urls import reverse

from directory.tests.factories import area, service_type
from market.models import Subscription
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_user(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="pat@provider-a.example.org")


def test_a_provider_user_subscribes_to_chosen_service_types_and_every_area(client, provider_user):
    client.force_login(provider_user)

    response = client.post(
        reverse("market:subscription"),
        {
            "service_types": [service_type("home-care").pk, service_type("supported-living").pk],
            "all_areas": "on",
        },
    )

    assert response.status_code == 302
    subscription = Subscription.objects.get(user=provider_user)
    assert subscription.all_areas and not subscription.all_service_types
    assert {t.slug for t in subscription.service_types.all()} == {"home-care", "supported-living"}
    page = client.get(reverse("market:subscription")).content.decode()
    assert "Subscribed" in page and "Stop these emails" in page


def test_choosing_nothing_says_what_to_choose(client, provider_user):
    client.force_login(provider_user)

    response = client.post(reverse("market:subscription"), {"areas": [area("west").pk]})

    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Choose at least one type of service, or all types of service" in page
    assert not Subscription.objects.exists()


def test_a_made_up_choice_is_an_error_not_a_500(client, provider_user):
    client.force_login(provider_user)

    response = client.post(reverse("market:subscription"), {"all_service_types": "on", "areas": ["999999"]})

    assert response.status_code == 200 and "Choose areas from the list" in response.content.decode()


def test_stopping_the_emails_removes_the_subscription(client, provider_user):
    client.force_login(provider_user)
    client.post(reverse("market:subscription"), {"all_service_types": "on", "all_areas": "on"})

    response = client.post(reverse("market:unsubscribe"))

    assert response.status_code == 302
    assert not Subscription.objects.filter(user=provider_user).exists()
