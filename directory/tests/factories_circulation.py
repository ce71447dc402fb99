"""Factories for contact-list versions, circulation runs and their deliveries, made without sending anything."""

import datetime

import factory
from django.utils import timezone

from directory.models import CirculationDelivery, CirculationRun, ContactListVersion
from directory.tests.factories import ProviderOrganisationFactory, ProviderPersonFactory


class ContactListVersionFactory(factory.django.DjangoModelFactory):
    """A version row naming a PDF that is not on disk: the circulation pages never open the file."""

    class Meta:
        model = ContactListVersion

    version_date = factory.Sequence(lambda n: datetime.date(2025, 1, 6) + datetime.timedelta(days=91 * n))
    file = factory.LazyAttribute(lambda version: f"contact-lists/contact-list-{version.version_date}.pdf")
    sha256 = "0" * 64
    size_bytes = 120_000
    page_count = 6


class CirculationRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CirculationRun

    version = factory.SubFactory(ContactListVersionFactory)
    status = CirculationRun.Status.SENDING


class CirculationDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CirculationDelivery

    run = factory.SubFactory(CirculationRunFactory)
    person = factory.SubFactory(
        ProviderPersonFactory, provider=factory.SubFactory(ProviderOrganisationFactory)
    )
    provider = factory.SelfAttribute("person.provider")
    email = factory.SelfAttribute("person.email")
    status = CirculationDelivery.Status.PENDING

    class Params:
        sent = factory.Trait(
            status=CirculationDelivery.Status.SENT,
            attempts=1,
            sent_at=factory.LazyFunction(timezone.now),
        )
        failed = factory.Trait(
            status=CirculationDelivery.Status.FAILED,
            attempts=5,
            error="SMTPRecipientsRefused: {'manager@provider.example.org': (550, b'Mailbox unavailable')}",
        )


def run_with_deliveries(*, sent: int = 0, failed: int = 0, pending: int = 0, **run_fields) -> CirculationRun:
    """A run with that many deliveries in each state, each to a provider of its own."""
    run = CirculationRunFactory(**run_fields)
    CirculationDeliveryFactory.create_batch(sent, run=run, sent=True)
    CirculationDeliveryFactory.create_batch(failed, run=run, failed=True)
    CirculationDeliveryFactory.create_batch(pending, run=run)
    return run
