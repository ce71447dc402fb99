import datetime as dt

import factory
from django.utils import timezone

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory
from engagement.models import Activity, Booking, EngagementGroup, TermsOfReference


def in_days(days: int, *, hour: int = 10) -> dt.datetime:
    """A time `days` from now at `hour` o'clock in London."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class EngagementGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Provider forum {n}")
    slug = factory.Sequence(lambda n: f"provider-forum-{n}")
    kind = EngagementGroup.Kind.AREA_FORUM
    purpose = "Share news and raise issues with the council."
    chair = factory.SubFactory(OfficerFactory)


class TermsOfReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsOfReference

    group = factory.SubFactory(EngagementGroupFactory)
    version = factory.Sequence(lambda n: n + 1)
    purpose = "To share news and raise issues."
    membership = "Providers in the area and the council's commissioners."
    decision_making = "By consensus; the chair decides when there is none."
    approved_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    review_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=335))


class ActivityFactory(factory.django.DjangoModelFactory):
    """A forum eight weeks ahead, in the plan in good time."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Provider forum meeting {n}")
    kind = Activity.Kind.PROVIDER_FORUM
    starts_at = factory.LazyFunction(lambda: in_days(56))
    ends_at = factory.LazyAttribute(lambda activity: activity.starts_at + dt.timedelta(hours=2))
    place = "County Hall, Committee Room 1"
    facilitator = factory.SubFactory(OfficerFactory)
    status = Activity.Status.CONFIRMED

    class Params:
        bookable = factory.Trait(
            takes_bookings=True,
            capacity=20,
            bookings_open_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1)),
        )


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    activity = factory.SubFactory(ActivityFactory, bookable=True)
    provider = factory.SubFactory(ProviderOrganisationFactory)
    attendee_name = factory.Faker("name", locale="en_GB")
    attendee_email = factory.Sequence(lambda n: f"attendee{n}@provider.example.org")
    status = Booking.Status.CONFIRMED
    requested_at = factory.LazyFunction(timezone.now)
