"""Demo partnership pilots: one at each stage, with partners, plans, evaluations, lessons and relationship checks.

Runs after the who's-who and the engagement demo are seeded. Each pilot is known by its slug and made whole in one
go, so a second run adds nothing. Dates are counted back from today, so the demo always looks current; the pilot in
delivery has a relationship check open now that the demo provider has still to answer.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from directory.demo import demo_provider, provider_names
from directory.demo.providers import PROVIDERS_PER_SCALE
from directory.models import Area, Officer, ProviderOrganisation, ServiceType
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
    StageChange,
    StrategicReason,
)
from portal.models import User
from portal.relationship_themes import RelationshipTheme

DEMO_OFFICER_EMAIL = "officer@example.org"
# The pilot in delivery that the demo provider is a partner in.
DEMO_PILOT_TITLE = "Trusted assessors for hospital discharge"
ORDER = [Stage.PROPOSED, Stage.SCOPING, Stage.AGREED, Stage.IN_DELIVERY, Stage.EVALUATING, Stage.CLOSED]
AGREED_OR_BEYOND = frozenset(ORDER[2:])
ROUND_EVERY_DAYS, ROUND_LENGTH_DAYS, MAX_ROUNDS = 91, 21, 6
Kind, Reason, Theme = PilotPartner.Kind, StrategicReason.Reason, Lesson.Theme


@dataclass(frozen=True)
class PilotPlan:
    title: str
    stage: str
    aim: str
    service_types: tuple[str, ...]
    areas: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...]
    providers: int  # how many providers from the who's-who are partners
    others: tuple[tuple[str, str, str], ...]  # (kind, organisation, role)
    # Days ago the pilot entered each stage it has reached, from proposed to the one it is at.
    days_ago: tuple[int, ...]
    route: str = ProcurementRecord.Route.VARIATION
    lessons: tuple[str, ...] = ()
    with_demo_provider: bool = False
    published: bool = True
    stop_note: str = ""
    risk_sharing: str = ""
    commercial_details: str = ""
    internal_notes: str = ""
    objectives: tuple[tuple[str, str, str], ...] = field(
        default=(
            (
                "Fewer people waiting for care",
                "People waiting at the month's end",
                "Half as many as at the start",
            ),
            (
                "Partners plan together",
                "Joint planning meetings held",
                "One a month, with actions followed up",
            ),
        )
    )


PLANS = [
    PilotPlan(
        DEMO_PILOT_TITLE,
        Stage.IN_DELIVERY,
        "Test whether home care providers' own trusted assessors, working on the wards with the discharge team, "
        "get people home sooner and safely.",
        ("home-care",),
        ("Mid", "South"),
        (
            (
                Reason.INNOVATION,
                "Providers assess on the ward instead of waiting for the council's assessment.",
            ),
            (Reason.PEOPLE_SUPPORTED, "The three home care partners support a third of the people at home."),
        ),
        providers=2,
        others=(
            (Kind.NHS_TRUST, "County Hospitals NHS Foundation Trust", "Discharge team and ward access"),
            (Kind.NHS_ICB, "County Integrated Care Board", "Co-funds the trusted assessor posts"),
        ),
        days_ago=(400, 340, 300, 240),
        lessons=(Theme.NHS_INTEGRATION, Theme.INFORMATION_SHARING),
        with_demo_provider=True,
        risk_sharing="The council and the board underwrite the assessors' hours for the first year.",
        commercial_details="£96,000 for the pilot year, half from the integrated care board.",
        internal_notes="One partner's finances are watched monthly by contract management.",
    ),
    PilotPlan(
        "Home care rounds by neighbourhood",
        Stage.EVALUATING,
        "Give each neighbourhood one lead home care provider, so that rounds are shorter and carers spend more "
        "time with people.",
        ("home-care",),
        ("North East",),
        ((Reason.LOCALITY, "Rounds are planned by neighbourhood, not by contract."),),
        providers=3,
        others=((Kind.VOLUNTARY, "North East Good Neighbours", "Befriending between visits"),),
        days_ago=(560, 500, 450, 400, 40),
        route=ProcurementRecord.Route.FRAMEWORK,
        lessons=(Theme.FAIRNESS, Theme.WORKFORCE, Theme.COMMUNICATION),
        commercial_details="Call-off from the home care framework at framework rates plus a £1.20 rural uplift.",
    ),
    PilotPlan(
        "Shared training academy for care workers",
        Stage.CLOSED,
        "Run one training academy with providers, so that new care workers are trained once and can move between "
        "employers without starting again.",
        ("residential-care", "nursing-care", "home-care"),
        ("North East", "Mid", "South", "West"),
        (
            (Reason.CLIENT_GROUPS, "Training covers older people, learning disability and mental health."),
            (Reason.PEOPLE_SUPPORTED, "Open to every provider in the county."),
        ),
        providers=3,
        others=((Kind.OTHER, "County College", "Runs the academy's courses"),),
        days_ago=(800, 740, 700, 640, 200, 20),
        route=ProcurementRecord.Route.GRANT,
        lessons=(Theme.WORKFORCE, Theme.GOVERNANCE, Theme.OUTCOMES, Theme.PROCUREMENT),
        with_demo_provider=True,
    ),
    PilotPlan(
        "Outcome-based supported living contracts",
        Stage.AGREED,
        "Pay two supported living providers for the outcomes people choose, not for hours of support.",
        ("supported-living",),
        ("West",),
        ((Reason.SPECIALIST, "Both providers support people with complex learning disabilities."),),
        providers=2,
        others=(),
        days_ago=(240, 200, 60),
        risk_sharing="Up to 10% of the price depends on outcomes; the council carries any loss above that.",
        commercial_details="£310,000 a year across the two contracts.",
    ),
    PilotPlan(
        "Day opportunities with the voluntary sector",
        Stage.SCOPING,
        "Find out whether day opportunities run with voluntary groups can reach people who do not use day centres.",
        ("day-opportunities",),
        ("South",),
        ((Reason.LOCALITY, "Built around the groups already meeting in each town."),),
        providers=1,
        others=((Kind.VOLUNTARY, "South County Voluntary Action", "Brings in the local groups"),),
        days_ago=(90, 60),
    ),
    PilotPlan(
        "Nursing home in-reach from the community trust",
        Stage.PROPOSED,
        "Proposed: community nurses visit nursing homes weekly to avoid hospital admissions.",
        ("nursing-care",),
        ("Mid",),
        ((Reason.INNOVATION, "Joins up community nursing and nursing homes."),),
        providers=1,
        others=((Kind.NHS_TRUST, "County Community Health Trust", "Community nursing"),),
        days_ago=(20,),
        published=False,
        internal_notes="Waiting for the trust to confirm it can release nurses.",
    ),
    PilotPlan(
        "Joint night-time support service",
        Stage.STOPPED,
        "Share one night-time support team between supported living services in a town.",
        ("supported-living",),
        ("North East",),
        ((Reason.INNOVATION, "One team instead of a sleep-in at every service."),),
        providers=2,
        others=(),
        days_ago=(300, 260, 200),
        stop_note="Stopped at scoping: the people supported and their families did not want a shared team.",
    ),
]


@dataclass
class Reference:
    """What the demo pilots are made of, found once: officers, the demo users, providers, areas, service types."""

    leads: list[Officer]
    officer_user: User | None
    providers: list[ProviderOrganisation]
    demo_provider: ProviderOrganisation | None
    areas: dict[str, Area]
    service_types: dict[str, ServiceType]
    provider_users: dict[int, User]
    today: dt.date = field(default_factory=timezone.localdate)


def _reference() -> Reference | None:
    officers = list(Officer.objects.order_by("email")[:40])
    providers = list(
        ProviderOrganisation.objects.filter(name__in=provider_names(PROVIDERS_PER_SCALE)).order_by("name")
    )
    if not officers or len(providers) < 20:
        return None
    demo_officer = Officer.objects.filter(email=DEMO_OFFICER_EMAIL).first()
    first = ProviderOrganisation.objects.filter(name=provider_names(1)[0]).first()
    users = User.objects.filter(provider_organisation__isnull=False, is_active=True).order_by("email")
    return Reference(
        leads=[demo_officer, *officers] if demo_officer else officers,
        officer_user=User.objects.filter(email=DEMO_OFFICER_EMAIL).first(),
        providers=[provider for provider in providers if provider != first],
        demo_provider=demo_provider() if first else None,
        areas={area.name: area for area in Area.objects.all()},
        service_types={kind.slug: kind for kind in ServiceType.objects.all()},
        provider_users={user.provider_organisation_id: user for user in users},
    )


def _extra_plans(scale: int) -> list[PilotPlan]:
    """At a larger scale, a locality hub in delivery for up to four areas: a few more, not many."""
    return [
        PilotPlan(
            f"Locality care hub: {area}",
            Stage.IN_DELIVERY,
            f"Providers and the council's locality team in {area} share one office and one waiting list.",
            ("home-care", "supported-living"),
            (area,),
            ((Reason.LOCALITY, f"Everything is planned for {area}."),),
            providers=3,
            others=((Kind.VOLUNTARY, f"{area} Voluntary Network", "Links people to community groups"),),
            days_ago=(380, 330, 290, 220),
        )
        for area in ["North East", "Mid", "South", "West"][: max(0, min(scale - 1, 4))]
    ]


def seed_partnerships(*, scale: int) -> dict[str, int]:
    """Create the demo pilots that do not exist yet; returns how many of each record were created."""
    created = dict.fromkeys(
        ("partnership pilots", "pilot partners", "pilot evaluations", "lessons", "relationship checks"), 0
    )
    created["relationship check responses"] = 0
    reference = _reference()
    if reference is None:
        return created
    existing = set(PartnershipPilot.objects.values_list("slug", flat=True))
    for index, plan in enumerate([*PLANS, *_extra_plans(scale)]):
        if slugify(plan.title) in existing:
            continue
        made = _seed_pilot(plan, index, reference)
        for kind, count in made.items():
            created[kind] += count
    return created


def _reached(plan: PilotPlan) -> list[str]:
    """The stages the pilot has passed through, in order, up to the one it is at."""
    if plan.stage == Stage.STOPPED:
        return [Stage.PROPOSED, Stage.SCOPING, Stage.STOPPED]
    return ORDER[: ORDER.index(plan.stage) + 1]


def _stage_day(plan: PilotPlan, stage: str, today: dt.date) -> dt.date | None:
    """The day the pilot entered `stage`, or None if it has not reached it."""
    reached = _reached(plan)
    return today - dt.timedelta(days=plan.days_ago[reached.index(stage)]) if stage in reached else None


def _seed_pilot(plan: PilotPlan, index: int, reference: Reference) -> dict[str, int]:
    lead = reference.leads[index % len(reference.leads)]
    pilot = PartnershipPilot(
        title=plan.title,
        slug=slugify(plan.title),
        aim=plan.aim,
        lead_officer=lead,
        stage=plan.stage,
        risk_sharing=plan.risk_sharing,
        commercial_details=plan.commercial_details,
        internal_notes=plan.internal_notes,
        is_published=plan.published,
        created_by=reference.officer_user,
    )
    pilot._history_user = reference.officer_user
    pilot.save()
    pilot.areas.set([reference.areas[name] for name in plan.areas if name in reference.areas])
    pilot.service_types.set(
        [reference.service_types[slug] for slug in plan.service_types if slug in reference.service_types]
    )
    StrategicReason.objects.bulk_create(
        StrategicReason(pilot=pilot, reason=reason, explanation=explanation)
        for reason, explanation in plan.reasons
    )
    partners = _seed_partners(pilot, plan, index, reference)
    _seed_stages(pilot, plan, reference)
    agreed_on = _stage_day(plan, Stage.AGREED, reference.today)
    if agreed_on is not None:
        ProcurementRecord.objects.create(
            pilot=pilot,
            route=plan.route,
            decision="Agreed by the commissioning board. Other providers on the framework were told of the pilot "
            "and how they may join it once it is evaluated.",
            decided_on=agreed_on - dt.timedelta(days=7),
            decided_by="Commissioning board",
            recorded_by=reference.officer_user,
        )
    objectives = _seed_plan(pilot, plan, lead, reference) if Stage.SCOPING in _reached(plan) else []
    evaluations, lessons = _seed_evaluations(pilot, plan, objectives, reference)
    checks, responses = _seed_checks(pilot, plan, partners, reference)
    return {
        "partnership pilots": 1,
        "pilot partners": len(partners),
        "pilot evaluations": evaluations,
        "lessons": lessons,
        "relationship checks": checks,
        "relationship check responses": responses,
    }


def _seed_partners(pilot, plan: PilotPlan, index: int, reference: Reference) -> list[PilotPartner]:
    providers = reference.providers
    chosen = [providers[(index * 7 + step * 3) % len(providers)] for step in range(plan.providers)]
    if plan.with_demo_provider and reference.demo_provider:
        chosen = [reference.demo_provider, *chosen[1:]]
    partners = [
        PilotPartner(
            pilot=pilot, kind=Kind.PROVIDER, provider=provider, role="Delivers the care in the pilot"
        )
        for provider in chosen
    ]
    for kind, name, role in plan.others:
        first, last = ("Sam", "Okafor") if kind.startswith("nhs") else ("Jo", "Marsh")
        partners.append(
            PilotPartner(
                pilot=pilot,
                kind=kind,
                organisation_name=name,
                role=role,
                contact_name=f"{first} {last}",
                contact_email=f"{first.lower()}.{last.lower()}@{slugify(name)[:30]}.example.org",
            )
        )
    return PilotPartner.objects.bulk_create(partners)


def _seed_stages(pilot, plan: PilotPlan, reference: Reference) -> None:
    changes, previous = [], ""
    for stage in _reached(plan):
        on = _stage_day(plan, stage, reference.today)
        changes.append(
            StageChange(
                pilot=pilot,
                from_stage=previous,
                to_stage=stage,
                changed_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
                changed_by=reference.officer_user,
                note=plan.stop_note if stage == Stage.STOPPED else "",
            )
        )
        previous = stage
    StageChange.objects.bulk_create(changes)
    PartnershipPilot.objects.filter(pk=pilot.pk).update(stage_changed_at=changes[-1].changed_at)


def _seed_plan(pilot, plan: PilotPlan, lead: Officer, reference: Reference) -> list[Objective]:
    """Objectives, milestones, risks (one internal) and, once agreed, the progress log."""
    today = reference.today
    started = _stage_day(plan, Stage.PROPOSED, today)
    finished = plan.stage in (Stage.CLOSED, Stage.STOPPED)
    due_on = _stage_day(plan, plan.stage, today) if finished else today + dt.timedelta(days=180)
    objectives = [
        Objective.objects.create(
            pilot=pilot, title=title, measure=measure, target=target, owner=lead, due_on=due_on
        )
        for title, measure, target in plan.objectives
    ]
    milestones = ("Partners sign the agreement", "First people supported", "Mid-point review", "End review")
    for number, title in enumerate(milestones):
        due = started + dt.timedelta(days=60 + number * 150)
        done = due < today - dt.timedelta(days=14) and plan.stage != Stage.STOPPED
        Milestone.objects.create(pilot=pilot, title=title, due_on=due, completed_on=due if done else None)
    Risk.objects.create(
        pilot=pilot,
        description="Not enough care workers to start on time",
        likelihood=Risk.Level.MEDIUM,
        impact=Risk.Level.HIGH,
        mitigation="Joint recruitment campaign with the partners.",
        owner=lead,
    )
    Risk.objects.create(
        pilot=pilot,
        description="A partner's finances may not last the pilot",
        likelihood=Risk.Level.LOW,
        impact=Risk.Level.HIGH,
        mitigation="Contract management reviews the accounts each quarter.",
        owner=lead,
        is_internal=True,
    )
    agreed_on = _stage_day(plan, Stage.AGREED, today)
    if agreed_on is not None:
        _seed_progress(pilot, agreed_on, reference)
    return objectives


def _seed_progress(pilot, agreed_on: dt.date, reference: Reference) -> None:
    entries = [
        (20, "Partners met to agree how the pilot will run.", False),
        (80, "First people supported under the pilot.", False),
        (140, "Spend is 8% above plan; finance are reviewing the rates.", True),
        (200, "Partners shared the first quarter's figures at the strategic group.", False),
    ]
    ProgressEntry.objects.bulk_create(
        ProgressEntry(
            pilot=pilot,
            entry_on=agreed_on + dt.timedelta(days=days),
            text=text,
            is_internal=internal,
            recorded_by=reference.officer_user,
        )
        for days, text, internal in entries
        if agreed_on + dt.timedelta(days=days) <= reference.today
    )


_LESSONS = {
    Theme.NHS_INTEGRATION: (
        "Agree shared measures with the trust first",
        "The trust and the council counted delays differently for the first two months.",
        "Write one definition of each measure, agreed by every partner, at the scoping stage.",
    ),
    Theme.INFORMATION_SHARING: (
        "Sign the data sharing agreement before starting",
        "Assessors waited six weeks for access to the ward systems.",
        "Start the data sharing agreement at scoping, alongside the procurement decision.",
    ),
    Theme.FAIRNESS: (
        "Tell every framework provider early",
        "Providers outside the pilot heard of it at a forum and felt left out.",
        "Write to every framework provider when a pilot is agreed, saying how they may take part later.",
    ),
    Theme.WORKFORCE: (
        "Recruit together, not against each other",
        "Partners competed for the same care workers in the first months.",
        "Run one joint recruitment campaign and agree not to poach staff during the pilot.",
    ),
    Theme.COMMUNICATION: (
        "Share the figures every month",
        "Partners only saw the figures at the mid-point review.",
        "Send every partner a one-page update each month.",
    ),
    Theme.GOVERNANCE: (
        "Name one decision-maker per partner",
        "Decisions waited for partners' boards to meet.",
        "Agree in writing who can decide what for each partner.",
    ),
    Theme.OUTCOMES: (
        "Measure what people say matters",
        "Course completions rose, but whether new staff stayed was not measured.",
        "Agree the outcome measures with people who use services and with staff.",
    ),
    Theme.PROCUREMENT: (
        "Ask procurement for the route at the proposal stage",
        "Legal advice took two months to confirm that a grant was the right route.",
        "Bring procurement in when the pilot is proposed, not when it is agreed.",
    ),
}


def _evaluation_points(plan: PilotPlan, today: dt.date) -> list[tuple[str, dt.date, bool, str]]:
    """(point, evaluated on, published, result): a published mid-point review halfway through delivery; an end
    review once evaluating (a draft until the pilot closes)."""
    delivery = _stage_day(plan, Stage.IN_DELIVERY, today)
    if delivery is None or plan.stage == Stage.STOPPED:
        return []
    evaluating = _stage_day(plan, Stage.EVALUATING, today)
    halfway = delivery + ((evaluating or today) - delivery) / 2
    points = [(Evaluation.Point.MID_POINT, halfway, True, ObjectiveOutcome.Result.PARTLY_MET)]
    if evaluating is not None:
        end_on = min(evaluating + dt.timedelta(days=30), today - dt.timedelta(days=1))
        points.append((Evaluation.Point.END, end_on, plan.stage == Stage.CLOSED, ObjectiveOutcome.Result.MET))
    return points


_SUMMARIES = {
    Evaluation.Point.MID_POINT: "Waiting times fell and partners plan together; staffing remains the main risk.",
    Evaluation.Point.END: "The pilot met its objectives; the council will extend the approach across the county.",
}


def _seed_evaluations(
    pilot, plan: PilotPlan, objectives: list[Objective], reference: Reference
) -> tuple[int, int]:
    points = _evaluation_points(plan, reference.today)
    lessons = 0
    for number, (point, evaluated_on, published, result) in enumerate(points):
        evaluation = Evaluation(
            pilot=pilot,
            point=point,
            evaluated_on=evaluated_on,
            summary=_SUMMARIES[point],
            is_published=published,
            published_at=timezone.make_aware(dt.datetime.combine(evaluated_on, dt.time(12)))
            if published
            else None,
            evaluated_by=reference.officer_user,
        )
        evaluation._history_user = reference.officer_user
        evaluation.save()
        ObjectiveOutcome.objects.bulk_create(
            ObjectiveOutcome(
                evaluation=evaluation,
                objective=objective,
                result=result,
                evidence="From the partners' monthly figures.",
            )
            for objective in objectives
        )
        # The lessons are shared between the reviews: the first, third... with the mid-point one.
        for theme in plan.lessons[number :: len(points)]:
            title, happened, next_time = _LESSONS[theme]
            lesson = Lesson(
                evaluation=evaluation,
                pilot=pilot,
                theme=theme,
                title=title,
                what_happened=happened,
                do_next_time=next_time,
            )
            lesson._history_user = reference.officer_user
            lesson.save()
            lessons += 1
    return len(points), lessons


def _round_openings(plan: PilotPlan, today: dt.date) -> list[dt.date]:
    """A round every quarter from agreement until the pilot finished; the latest open now while in delivery."""
    agreed_on = _stage_day(plan, Stage.AGREED, today)
    if agreed_on is None:
        return []
    finished = plan.stage in (Stage.CLOSED, Stage.STOPPED)
    last_day = _stage_day(plan, plan.stage, today) if finished else today
    openings = []
    opens_on = agreed_on + dt.timedelta(days=14)
    while opens_on <= last_day and len(openings) < MAX_ROUNDS:
        openings.append(opens_on)
        opens_on += dt.timedelta(days=ROUND_EVERY_DAYS)
    if plan.stage == Stage.IN_DELIVERY and openings:
        # So that the demo provider has a round to answer.
        openings[-1] = today - dt.timedelta(days=3)
    return openings


def _seed_checks(
    pilot, plan: PilotPlan, partners: list[PilotPartner], reference: Reference
) -> tuple[int, int]:
    today = reference.today
    checks = RelationshipCheck.objects.bulk_create(
        RelationshipCheck(
            pilot=pilot,
            opened_on=on,
            closes_on=on + dt.timedelta(days=ROUND_LENGTH_DAYS),
            opened_by=reference.officer_user,
        )
        for on in _round_openings(plan, today)
    )
    rng = random.Random(pilot.slug)
    demo_provider_id = getattr(reference.demo_provider, "pk", None)
    responses = 0
    for number, check in enumerate(checks):
        still_open = check.closes_on >= today
        for position, partner in enumerate([*partners, None]):
            if partner is not None and still_open and partner.provider_id == demo_provider_id:
                continue  # left for the demo provider to answer
            if partner is not None and number == 0 and position == 1:
                continue  # one partner missed the first round
            _respond(check, partner, rng, number, reference)
            responses += 1
    return len(checks), responses


_COMMENTS = [
    "Meetings are useful and actions are followed up.",
    "We hear about changes late; more notice would help.",
    "Much better since the shared figures started.",
    "",
]


def _rating(rng: random.Random, base: float, round_number: int, theme_index: int) -> int:
    """Ratings that start middling and improve a little each round, varying by theme and partner."""
    theme_lean = 0.6 if theme_index % 3 == 0 else -0.3 * (theme_index % 2)
    value = base + 0.4 * round_number + theme_lean + rng.uniform(-0.8, 0.8)
    return max(1, min(5, round(value)))


def _respond(
    check: RelationshipCheck,
    partner: PilotPartner | None,
    rng: random.Random,
    number: int,
    reference: Reference,
) -> None:
    if partner is None or not partner.provider_id:
        given_by = reference.officer_user  # the council's own answer, or one recorded for a partner
    else:
        given_by = reference.provider_users.get(partner.provider_id)
    response = RelationshipCheckResponse.objects.create(
        check_round=check,
        partner=partner,
        given_by=given_by,
        comment=_COMMENTS[rng.randrange(len(_COMMENTS))],
    )
    base = 3.0 if partner is None else 2.4
    RelationshipCheckRating.objects.bulk_create(
        RelationshipCheckRating(response=response, theme=theme, rating=_rating(rng, base, number, index))
        for index, theme in enumerate(RelationshipTheme.values)
    )


def demo_pilot() -> PartnershipPilot:
    """The pilot in delivery that the demo provider is a partner in: the one with most to show."""
    return PartnershipPilot.objects.get(slug=slugify(DEMO_PILOT_TITLE))
