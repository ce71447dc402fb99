import datetime as dt

import factory
from django.utils import timezone

from directory.tests.factories import OfficerFactory, service_type
from market.models import (
    CommercialOpportunity,
    CommissioningIntention,
    FeeExplanation,
    MarketPositionStatement,
    Published,
    Subscription,
)


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


class _PublishedFactory(factory.django.DjangoModelFactory):
    """Published yesterday unless `status=Published.Status.DRAFT`; review due in a year."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    owner = factory.SubFactory(OfficerFactory)
    status = Published.Status.PUBLISHED
    published_on = factory.LazyAttribute(
        lambda item: in_days(-1) if item.status == Published.Status.PUBLISHED else None
    )
    review_on = factory.LazyFunction(lambda: in_days(365))


class IntentionFactory(_PublishedFactory):
    class Meta:
        model = CommissioningIntention
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"More home care in rural villages {n}")
    service_type = factory.LazyFunction(lambda: service_type("home-care"))
    direction = CommissioningIntention.Direction.MORE
    what_and_why = "Fewer people can get home care in the villages than in the towns."
    when = "From April next year"
    starts_on = factory.LazyFunction(lambda: in_days(120))

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class StatementFactory(_PublishedFactory):
    class Meta:
        model = MarketPositionStatement

    title = factory.Sequence(lambda n: f"Adult social care market position statement {n}")
    year = "2026 to 2027"
    summary = "What the council needs from the care market over the next three years."
    body = "The county's population of people over 85 grows by a fifth in the next ten years."


class OpportunityFactory(_PublishedFactory):
    class Meta:
        model = CommercialOpportunity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Supported living framework lot {n}")
    description = "A new lot of the supported living framework for people with a learning disability."
    procurement_route = CommercialOpportunity.Route.OPEN_TENDER
    opens_on = factory.LazyFunction(lambda: in_days(30))
    closes_on = factory.LazyFunction(lambda: in_days(60))
    contract_starts_on = factory.LazyFunction(lambda: in_days(150))

    @factory.post_generation
    def service_types(self, create, extracted, **kwargs):
        if create:
            self.service_types.set(extracted or [service_type("supported-living")])

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class FeeExplanationFactory(_PublishedFactory):
    class Meta:
        model = FeeExplanation

    service_type = factory.LazyFunction(lambda: service_type("residential-care"))
    year = factory.Sequence(lambda n: f"{2026 + n} to {2027 + n}")
    fee_level = "£1,050 to £1,240 a week"
    method = "A cost of care exercise with providers, uprated each April."
    inputs = "Care workers' pay at the real living wage, on-costs, food, utilities and a return on capital."
    changes = "The National Living Wage rose by 6.7 percent."


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    @factory.post_generation
    def service_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_types.set(extracted)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)
