"""Factories for partnership pilots and their records."""

import datetime as dt

import factory
from django.utils import timezone
from django.utils.text import slugify

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory
from partnerships.models import (
    Evaluation,
    Lesson,
    Milestone,
    Objective,
    ObjectiveOutcome,
    PartnershipPilot,
    PilotPartner,
    ProcurementRecord,
    ProgressEntry,
    RelationshipCheck,
    RelationshipCheckRating,
    RelationshipCheckResponse,
    Risk,
    Stage,
    StrategicReason,
)


def today() -> dt.date:
    return timezone.localdate()


class PartnershipPilotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipPilot
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Pilot {n}: home care and hospital discharge")
    slug = factory.LazyAttribute(lambda pilot: slugify(pilot.title)[:200])
    aim = "Test whether joint planning with the hospital trust gets people home sooner."
    lead_officer = factory.SubFactory(OfficerFactory)
    stage = Stage.SCOPING
    is_published = True
    risk_sharing = "Commercial: the council underwrites the first 20 hours a week."
    commercial_details = "Commercial: a fixed price of £42,000 for the pilot year."
    internal_notes = "Internal: the trust's board signs off in March."

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def service_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_types.set(extracted)


class StrategicReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicReason

    pilot = factory.SubFactory(PartnershipPilotFactory)
    reason = StrategicReason.Reason.INNOVATION
    explanation = "Brings home care and the discharge team together."


class ProviderPartnerFactory(factory.django.DjangoModelFactory):
    """A provider from the who's-who as a partner."""

    class Meta:
        model = PilotPartner

    pilot = factory.SubFactory(PartnershipPilotFactory)
    kind = PilotPartner.Kind.PROVIDER
    provider = factory.SubFactory(ProviderOrganisationFactory)
    role = "Delivers the home care"


class OtherPartnerFactory(factory.django.DjangoModelFactory):
    """An organisation that is not a provider, with its contact."""

    class Meta:
        model = PilotPartner

    pilot = factory.SubFactory(PartnershipPilotFactory)
    kind = PilotPartner.Kind.NHS_TRUST
    organisation_name = factory.Sequence(lambda n: f"County Hospitals NHS Trust {n}")
    role = "Discharge team"
    contact_name = "Jo Discharge"
    contact_email = factory.Sequence(lambda n: f"discharge{n}@nhs.example.org")


class ProcurementRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcurementRecord

    pilot = factory.SubFactory(PartnershipPilotFactory)
    route = ProcurementRecord.Route.VARIATION
    decision = "Varied the home care framework contract; other framework providers were told and may apply."
    decided_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=3))
    decided_by = "Commissioning board"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    pilot = factory.SubFactory(PartnershipPilotFactory)
    title = factory.Sequence(lambda n: f"Objective {n}: fewer delayed discharges")
    measure = "Days from medically fit to home"
    target = "Under 2 days on average"
    owner = factory.SubFactory(OfficerFactory)
    due_on = factory.LazyFunction(lambda: today() + dt.timedelta(days=180))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    pilot = factory.SubFactory(PartnershipPilotFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = factory.LazyFunction(lambda: today() + dt.timedelta(days=60))


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    pilot = factory.SubFactory(PartnershipPilotFactory)
    description = factory.Sequence(lambda n: f"Risk {n}: not enough care workers in the area")
    likelihood = Risk.Level.MEDIUM
    impact = Risk.Level.HIGH
    mitigation = "Joint recruitment drive."
    owner = factory.SubFactory(OfficerFactory)


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressEntry

    pilot = factory.SubFactory(PartnershipPilotFactory)
    entry_on = factory.LazyFunction(today)
    text = factory.Sequence(lambda n: f"Progress {n}: first joint planning meeting held.")


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    pilot = factory.SubFactory(PartnershipPilotFactory)
    point = Evaluation.Point.MID_POINT
    evaluated_on = factory.LazyFunction(today)
    summary = "Halfway through, discharges are faster but staffing is stretched."
    is_published = True
    published_at = factory.LazyAttribute(
        lambda evaluation: timezone.now() if evaluation.is_published else None
    )


class ObjectiveOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectiveOutcome

    evaluation = factory.SubFactory(EvaluationFactory)
    objective = factory.SubFactory(ObjectiveFactory, pilot=factory.SelfAttribute("..evaluation.pilot"))
    result = ObjectiveOutcome.Result.PARTLY_MET
    evidence = "Average of 2.6 days, down from 4."


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    evaluation = factory.SubFactory(EvaluationFactory)
    pilot = factory.SelfAttribute("evaluation.pilot")
    theme = Lesson.Theme.NHS_INTEGRATION
    title = factory.Sequence(lambda n: f"Lesson {n}: agree shared measures before starting")
    what_happened = "The trust and the council counted delays differently for the first two months."
    do_next_time = "Agree one definition of each measure, in writing, at the scoping stage."


class RelationshipCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelationshipCheck

    pilot = factory.SubFactory(PartnershipPilotFactory)
    opened_on = factory.Sequence(lambda n: today() - dt.timedelta(days=90 * n))
    closes_on = factory.LazyAttribute(lambda check: check.opened_on + dt.timedelta(days=21))


class RelationshipCheckResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelationshipCheckResponse

    check_round = factory.SubFactory(RelationshipCheckFactory)


class RelationshipCheckRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelationshipCheckRating

    response = factory.SubFactory(RelationshipCheckResponseFactory)
    theme = "trust"
    rating = 3
