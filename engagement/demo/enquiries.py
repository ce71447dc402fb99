"""A year of demo provider enquiries, routed to whoever answers each topic, with their timelines.

Most are resolved, some answered late; the last few weeks' are still open, some waiting for the provider, and a
few older ones are overdue. The demo officer (officer@example.org) has some of their own once their who's-who
entry exists. Each enquiry is known by its demo reference, so running again adds nothing, and each is drawn from
its own seeded generator, so a larger scale adds enquiries without changing those already made.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone

from directory.models import Officer, ProviderOrganisation, Topic
from directory.selectors.finder import ContactAnswer, Question, contacts_resolve
from engagement.models import Enquiry, EnquiryEvent, EnquiryTarget
from portal.working_days import is_working_day, working_days_after

ENQUIRIES_PER_SCALE = 300
REFERENCE_PREFIX = "ENQ-DEMO-"
DEMO_OFFICER_EMAIL = "officer@example.org"
DAYS_BACK = 365
OVERDUE_WITHIN_DAYS = 45

Kind, Status = EnquiryEvent.Kind, Enquiry.Status

# Working days promised per topic; the others get settings.ENQUIRY_DEFAULT_TARGET_WORKING_DAYS.
TARGETS = {"safeguarding": 2, "payments-and-invoices": 5, "fees-and-pricing": 15}
# How often each topic is asked about, out of the total.
TOPIC_WEIGHTS = {
    "payments-and-invoices": 30,
    "contract-management": 18,
    "safeguarding": 12,
    "quality": 10,
    "fees-and-pricing": 10,
    "workforce-and-training": 8,
    "commissioning": 6,
    "policy-and-practice": 4,
    "market-leadership": 2,
}
SUBJECTS = {
    "payments-and-invoices": [
        "Invoice {n} not paid after 30 days",
        "Late payment for {month} placements",
        "Remittance advice does not match invoice {n}",
        "Payment stopped for a person we still support",
    ],
    "contract-management": [
        "Contract variation for additional hours",
        "Monitoring visit report: factual corrections",
        "Renewal of our framework contract",
        "Key performance indicator return for {month}",
    ],
    "safeguarding": [
        "Concern raised about a resident's finances",
        "Outcome of safeguarding enquiry {n}",
        "Advice on a medication error",
    ],
    "quality": [
        "Support with our improvement plan",
        "Quality assurance visit in {month}",
        "Sharing our latest inspection report",
    ],
    "fees-and-pricing": ["Question about this year's fee uplift", "Cost of care return for {month}"],
    "workforce-and-training": ["Places on the moving and handling course", "Recruitment campaign support"],
    "commissioning": ["Plans for new supported living schemes", "Tender timetable for home care"],
    "policy-and-practice": ["Change to the charging policy", "Reviews not held for people we support"],
    "market-leadership": ["Meeting request with the market lead"],
}
REPLIES = [
    "Thank you for raising this. I have looked into it and set out what happens next below.",
    "I have checked our records and spoken to colleagues; here is where things stand.",
    "Thanks for getting in touch. I can confirm the position as follows.",
]
RESOLUTIONS = [
    "This is now sorted. Please get in touch if anything else comes up.",
    "Resolved: the corrected figures have been sent and the change is in place.",
    "Closed after our conversation; the agreed actions are recorded on your file.",
]


@dataclass
class _Council:
    """What the enquiries are drawn from, read once."""

    providers: list[tuple[int, str, list[int], list[int]]]
    topics: list[Topic]
    weights: list[int]
    targets: dict[int, int]
    answers: dict[Question, ContactAnswer | None]
    demo_officer: Officer | None

    @classmethod
    def load(cls) -> "_Council":
        topics = list(Topic.objects.filter(slug__in=TOPIC_WEIGHTS).order_by("slug"))
        areas, service_types = defaultdict(list), defaultdict(list)
        for provider_id, area_id in ProviderOrganisation.areas.through.objects.order_by("pk").values_list(
            "providerorganisation_id", "area_id"
        ):
            areas[provider_id].append(area_id)
        for provider_id, type_id in ProviderOrganisation.service_types.through.objects.order_by(
            "pk"
        ).values_list("providerorganisation_id", "servicetype_id"):
            service_types[provider_id].append(type_id)
        providers = [
            (pk, name, areas[pk], service_types[pk])
            for pk, name in ProviderOrganisation.objects.filter(is_active=True)
            .order_by("name")
            .values_list("pk", "name")
        ]
        asked_for = {
            (area_id, type_id)
            for _, _, provider_areas, provider_types in providers
            for area_id in provider_areas or [None]
            for type_id in provider_types or [None]
        }
        questions = [
            Question(topic.pk, area_id, type_id) for topic in topics for area_id, type_id in asked_for
        ]
        return cls(
            providers=providers,
            topics=topics,
            weights=[TOPIC_WEIGHTS[topic.slug] for topic in topics],
            targets=dict(EnquiryTarget.objects.values_list("topic_id", "working_days")),
            answers=contacts_resolve(questions),
            demo_officer=Officer.objects.filter(user__email=DEMO_OFFICER_EMAIL).select_related("team").first()
            or Officer.objects.filter(email=DEMO_OFFICER_EMAIL).select_related("team").first(),
        )


@dataclass
class _Planned:
    enquiry: Enquiry
    raised_at: dt.datetime
    events: list[tuple[str, dt.datetime, str]] = field(default_factory=list)


def _seed_targets() -> int:
    topics = Topic.objects.filter(slug__in=TARGETS).exclude(enquiry_target__isnull=False)
    made = [EnquiryTarget(topic=topic, working_days=TARGETS[topic.slug]) for topic in topics]
    EnquiryTarget.objects.bulk_create(made)
    return len(made)


def _at(day: dt.date, rng: random.Random, *, earliest: int = 8) -> dt.datetime:
    hour = rng.randint(earliest, 17)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59))))


def _working_day_on_or_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _plan(index: int, council: _Council, *, today: dt.date) -> _Planned | None:
    """One enquiry and its timeline, drawn from a generator of its own; None when nobody answers it."""
    rng = random.Random(f"demo-enquiry-{index}")
    provider_id, provider_name, areas, types = council.providers[rng.randrange(len(council.providers))]
    topic = rng.choices(council.topics, council.weights)[0]
    area_id = rng.choice(areas) if areas else None
    type_id = rng.choice(types) if types else None
    answer = council.answers.get(Question(topic.pk, area_id, type_id))
    officer = (answer.officer or answer.deputy) if answer else None
    team = answer.team if answer else None
    if officer is None and team is None:
        return None
    if council.demo_officer is not None and index % 12 == 0:
        officer, team = council.demo_officer, council.demo_officer.team
    elif officer is not None and index % 10 == 0:
        officer = None  # left with the team to pick up
    if officer is not None and team is None:
        team = officer.team

    raised_on = _working_day_on_or_before(today - dt.timedelta(days=rng.randint(0, DAYS_BACK - 1)))
    raised_at = _at(raised_on, rng)
    target = council.targets.get(topic.pk, settings.ENQUIRY_DEFAULT_TARGET_WORKING_DAYS)
    due_on = working_days_after(raised_on, target)
    subject = rng.choice(SUBJECTS[topic.slug]).format(
        n=f"{rng.randint(10000, 99999)}", month=f"{raised_on - dt.timedelta(days=30):%B}"
    )
    enquiry = Enquiry(
        reference=f"{REFERENCE_PREFIX}{index:06d}",
        provider_id=provider_id,
        topic=topic,
        area_id=area_id,
        service_type_id=type_id,
        subject=subject,
        message=f"{subject}. Could you look into this for {provider_name}, please?",
        assigned_officer=officer,
        assigned_team=team,
        due_on=due_on,
        status=Status.OPEN,
    )
    planned = _Planned(enquiry, raised_at)
    planned.events.append((Kind.RAISED, raised_at, enquiry.message))
    with_whom = officer.full_name if officer else team.name
    planned.events.append((Kind.ASSIGNED, raised_at + dt.timedelta(seconds=1), f"Sent to {with_whom}"))
    _answer(planned, rng, target=target, today=today)
    return planned


def _answer(planned: _Planned, rng: random.Random, *, target: int, today: dt.date) -> None:
    """The council's side: a first response, maybe a pause for more information, maybe a resolution."""
    enquiry, raised_on = planned.enquiry, timezone.localdate(planned.raised_at)
    # One in twelve of the last few weeks' was never picked up: overdue now, if its date has passed.
    if rng.random() < 1 / 12 and raised_on >= today - dt.timedelta(days=OVERDUE_WITHIN_DAYS):
        return
    first_day = working_days_after(raised_on, min(rng.choice([0, 1, 1, 2, 2, 3, 4, 6]), target + 2))
    if first_day > today:
        return
    first_at = max(_at(first_day, rng), planned.raised_at + dt.timedelta(hours=1))
    enquiry.first_response_at = first_at
    resume_day = None
    if rng.random() < 0.15:
        planned.events.append((Kind.INFORMATION_REQUESTED, first_at, "Could you send the invoice and dates?"))
        paused = rng.randint(1, 6)
        resume_day = working_days_after(first_day, paused)
        if resume_day > today:
            enquiry.status, enquiry.paused_since = Status.AWAITING_PROVIDER, first_at
            return
        enquiry.due_on = working_days_after(enquiry.due_on, paused)
        planned.events.append((Kind.INFORMATION_GIVEN, _at(resume_day, rng), "Attached as asked."))
    else:
        planned.events.append((Kind.REPLY, first_at, rng.choice(REPLIES)))
    if rng.random() < 0.1:
        planned.events.append(
            (Kind.INTERNAL_NOTE, first_at + dt.timedelta(minutes=5), "Checked with finance.")
        )
    # Most are resolved by the promised date; one in seven runs late.
    late = rng.random() < 1 / 7
    start = resume_day or first_day
    resolved_day = working_days_after(start, rng.randint(0, 3))
    if late:
        resolved_day = working_days_after(max(enquiry.due_on, resolved_day), rng.randint(1, 5))
    elif resolved_day > enquiry.due_on:
        resolved_day = max(enquiry.due_on, start)
    if resolved_day >= today:
        return
    resolved_at = max(
        _at(resolved_day, rng), max(at for _, at, _ in planned.events) + dt.timedelta(minutes=10)
    )
    enquiry.status, enquiry.resolved_at = Status.RESOLVED, resolved_at
    planned.events.append((Kind.RESOLVED, resolved_at, rng.choice(RESOLUTIONS)))


def _set_created_at(model, pairs: list[tuple[int, dt.datetime]]) -> None:
    """Give bulk-made rows their demo times: created_at is otherwise the moment they were inserted."""
    if connection.vendor != "postgresql":
        # SQLite (make run): row by row is quick enough at the scales it is used at.
        for pk, at in pairs:
            model.objects.filter(pk=pk).update(created_at=at)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS row SET created_at = given.at "  # noqa: S608 - the table name is the model's
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS given(id, at) WHERE row.id = given.id",
            [[pk for pk, _ in pairs], [at for _, at in pairs]],
        )


def seed_enquiries(*, scale: int) -> dict[str, int]:
    """Make the demo enquiries still missing at this scale; returns how many enquiries and events were made."""
    targets = _seed_targets()
    wanted = ENQUIRIES_PER_SCALE * scale
    made = set(
        Enquiry.objects.filter(reference__startswith=REFERENCE_PREFIX).values_list("reference", flat=True)
    )
    missing = [index for index in range(wanted) if f"{REFERENCE_PREFIX}{index:06d}" not in made]
    if not missing:
        return {"enquiry targets": targets, "enquiries": 0, "enquiry events": 0}
    council = _Council.load()
    today = timezone.localdate()
    plans = [plan for index in missing if (plan := _plan(index, council, today=today))]
    enquiries = Enquiry.objects.bulk_create([plan.enquiry for plan in plans], batch_size=1000)
    _set_created_at(
        Enquiry, [(enquiry.pk, plan.raised_at) for enquiry, plan in zip(enquiries, plans, strict=True)]
    )
    events = [
        EnquiryEvent(enquiry=plan.enquiry, kind=kind, text=text, is_internal=kind == Kind.INTERNAL_NOTE)
        for plan in plans
        for kind, _, text in plan.events
    ]
    times = [at for plan in plans for _, at, _ in plan.events]
    EnquiryEvent.objects.bulk_create(events, batch_size=2000)
    _set_created_at(EnquiryEvent, [(event.pk, at) for event, at in zip(events, times, strict=True)])
    return {"enquiry targets": targets, "enquiries": len(enquiries), "enquiry events": len(events)}
