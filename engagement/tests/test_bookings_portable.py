"""The activity figures read in one PostgreSQL query agree with the portable reading used on SQLite."""

import pytest

from directory.tests.factories import ProviderOrganisationFactory, area, service_type
from engagement.models import Booking
from engagement.selectors import bookings as selectors
from engagement.tests.factories import ActivityFactory, BookingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("shares", [True, False])
def test_both_readings_of_an_activitys_figures_agree(shares):
    provider = ProviderOrganisationFactory(tier=2)
    provider.areas.set([area("mid") if shares else area("west")])
    provider.service_types.set([service_type("home-care")])
    activity = ActivityFactory(bookable=True, capacity=5)
    activity.areas.set([area("mid"), area("south")])
    activity.service_types.set([service_type("home-care")])
    BookingFactory.create_batch(2, activity=activity, provider=provider)
    BookingFactory(activity=activity, status=Booking.Status.WAITING)
    BookingFactory(activity=activity)

    in_sql = selectors.activity_figures(activity=activity, provider_id=provider.pk)
    portable = selectors._activity_figures_portable(activity=activity, provider_id=provider.pk)

    assert portable == in_sql
    assert (in_sql.confirmed, in_sql.waiting, in_sql.provider_confirmed, in_sql.provider_tier) == (3, 1, 2, 2)
    assert in_sql.shares_area is shares
    assert selectors._activity_figures_portable(activity=activity, provider_id=None).provider_tier is None
