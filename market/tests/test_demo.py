"""The market direction demo: every type of service in every area, fees explained, and a second run adds nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from directory import demo as directory_demo
from directory.models import Area, ServiceType
from market.demo import seed_market
from market.models import (
    CommercialOpportunity,
    CommissioningIntention,
    FeeExplanation,
    Published,
    Subscription,
)
from portal.models import User
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_type_of_service_and_area_and_runs_again_without_change():
    # The who's-who and the demo provider user first, as seed_demo makes them before this part.
    directory_demo.seed_directory(scale=1)
    ProviderUserFactory(email="provider@example.org", provider_organisation=directory_demo.demo_provider())
    made = seed_market(scale=1)

    pairs = set(CommissioningIntention.objects.values_list("service_type__slug", "areas__slug"))
    assert pairs == {
        (t, a)
        for t in ServiceType.objects.values_list("slug", flat=True)
        for a in Area.objects.values_list("slug", flat=True)
    }
    assert CommissioningIntention.objects.filter(status=Published.Status.DRAFT).exists()
    fees_per_type = (
        FeeExplanation.objects.filter(status=Published.Status.PUBLISHED).values("service_type").distinct()
    )
    assert fees_per_type.count() == ServiceType.objects.count()
    assert CommercialOpportunity.objects.filter(status=Published.Status.PUBLISHED).count() >= 3
    assert Subscription.objects.filter(user__email="provider@example.org").exists()
    assert made["commissioning intentions"] == len(pairs)

    assert all(count == 0 for count in seed_market(scale=1).values())

    client = Client()
    client.force_login(User.objects.get(email="provider@example.org"))
    for name in ("market:direction", "market:opportunities", "market:fees"):
        assert client.get(reverse(name)).status_code == 200, name
