import datetime as dt

import factory
from django.utils import timezone

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory, TeamFactory, topic
from engagement.models import Enquiry, EnquiryAttachment, EnquiryEvent
from portal.tests.factories import ProviderUserFactory


class EnquiryFactory(factory.django.DjangoModelFactory):
    """An open enquiry about payments, with an officer, due in two weeks."""

    class Meta:
        model = Enquiry

    # Not the service's ENQ-<year>-<key>, so that the two never meet.
    reference = factory.Sequence(lambda n: f"ENQ-TEST-{n:06d}")
    provider = factory.SubFactory(ProviderOrganisationFactory)
    raised_by = factory.SubFactory(
        ProviderUserFactory, provider_organisation=factory.SelfAttribute("..provider")
    )
    topic = factory.LazyFunction(lambda: topic("payments-and-invoices"))
    subject = factory.Sequence(lambda n: f"Invoice {4400 + n} not paid")
    message = "Our invoice for March has not been paid."
    assigned_officer = factory.SubFactory(OfficerFactory)
    assigned_team = factory.LazyAttribute(
        lambda enquiry: enquiry.assigned_officer.team if enquiry.assigned_officer else TeamFactory()
    )
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


class EnquiryEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnquiryEvent

    enquiry = factory.SubFactory(EnquiryFactory)
    kind = EnquiryEvent.Kind.REPLY
    text = "We are looking into it."
    is_internal = factory.LazyAttribute(lambda event: event.kind == EnquiryEvent.Kind.INTERNAL_NOTE)


class EnquiryAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnquiryAttachment

    enquiry = factory.SubFactory(EnquiryFactory)
    file = factory.django.FileField(filename="stored.pdf", data=b"%PDF-1.4 an invoice")
    original_name = "invoice-4471.pdf"
    content_type = "application/pdf"
    size_bytes = 19


def late_payments_desk(provider) -> dict:
    """Who answers payments for home care in Mid: Pat Payments (who signs in to the portal) in Provider Payments.

    The provider is put in Mid, for home care, and given a user who raises enquiries.
    """
    from directory.tests.factories import ResponsibilityFactory, area, service_type
    from portal.tests.factories import OfficerFactory as CouncilUserFactory

    provider.areas.set([area("mid")])
    provider.service_types.set([service_type("home-care")])
    team = TeamFactory(name="Provider Payments", mailbox="provider.payments@council.example.org")
    user = CouncilUserFactory(email="pat.payments@council.example.org", full_name="Pat Payments")
    officer = OfficerFactory(
        full_name="Pat Payments",
        job_title="Provider payments officer",
        team=team,
        email="pat.payments@council.example.org",
        user=user,
    )
    responsibility = ResponsibilityFactory(
        topic=topic("payments-and-invoices"),
        officer=officer,
        team=team,
        areas=[area("mid")],
        service_types=[service_type("home-care")],
    )
    raiser = ProviderUserFactory(
        email=f"finance@{provider.pk}.provider.example.org",
        full_name="Fran Finance",
        provider_organisation=provider,
    )
    return {
        "provider": provider,
        "raiser": raiser,
        "team": team,
        "officer": officer,
        "officer_user": user,
        "responsibility": responsibility,
        "topic": topic("payments-and-invoices"),
        "area": area("mid"),
        "service_type": service_type("home-care"),
    }
