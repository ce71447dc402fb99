"""Demo engagement groups and a year of forward plan: from three months ago to nine months ahead.

Meetings fall on fixed weekdays of calendar months, so running again on the same day adds nothing, and on a later
day adds only the months that have come into the year. Each activity is known by its title and start.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from directory.models import Area, Officer, ProviderAssociation, ProviderOrganisation
from engagement.models import Activity, EngagementGroup
from engagement.selectors.plan import month_start

MONTHS_BACK = 3
MONTHS_AHEAD = 9
TRAINING_PER_MONTH = 2
TRAINING_PER_MONTH_PER_SCALE = 4  # scale 50: about 2,400 training sessions a year
CANCELLED_SHARE = 0.03

Kind, Frequency = EngagementGroup.Kind, EngagementGroup.Frequency
EVERY = {Frequency.MONTHLY: 1, Frequency.BIMONTHLY: 2, Frequency.QUARTERLY: 3}


@dataclass(frozen=True)
class GroupPlan:
    name: str
    kind: str
    frequency: str
    chair_team: str  # the chair is the first officer of the first team whose name starts with this
    purpose: str
    weekday: int  # 0 is Monday
    week: int  # the first, second... such weekday of the month
    hours: tuple[int, int] = (14, 16)
    activity_kind: str = Activity.Kind.GROUP_MEETING
    area: Area | None = None
    place: str = "County Hall, Committee Room 2"
    bookable: tuple[int, int] | None = None  # (places, places per provider)
    tier_one_only: bool = False


def _group_plans() -> list[GroupPlan]:
    forums = [
        GroupPlan(
            name=f"{area.name} Provider Forum",
            kind=Kind.AREA_FORUM,
            frequency=Frequency.MONTHLY,
            chair_team=f"Contract Management {area.name}",
            purpose=f"Providers in {area.name} and the council share news, raise issues and shape local services.",
            weekday=(1, 2, 3, 1)[index % 4],
            week=(2, 2, 2, 3)[index % 4],
            hours=(10, 12),
            activity_kind=Activity.Kind.PROVIDER_FORUM,
            area=area,
            place=f"{area.name} Community Hub, Main Hall",
            bookable=(40, 3),
        )
        for index, area in enumerate(Area.objects.order_by("pk"))
    ]
    return [
        *forums,
        GroupPlan(
            "Tier One Providers Meeting",
            Kind.TIER_ONE,
            Frequency.QUARTERLY,
            "Market Development",
            "The council meets its Tier One providers each quarter on performance, risks and plans.",
            weekday=3,
            week=1,
            activity_kind=Activity.Kind.TIER_ONE_MEETING,
            bookable=(30, 2),
            tier_one_only=True,
        ),
        GroupPlan(
            "Adult Social Care Strategic Partnership",
            Kind.STRATEGIC,
            Frequency.BIMONTHLY,
            "Market Development",
            "Providers and the council agree the direction of the care market and the commissioning priorities.",
            weekday=0,
            week=3,
        ),
        GroupPlan(
            "Home Care Strategic Group",
            Kind.STRATEGIC,
            Frequency.QUARTERLY,
            "Older People Commissioning",
            "Home care providers and commissioners plan capacity, pricing and hospital discharge together.",
            weekday=2,
            week=4,
        ),
        GroupPlan(
            "Care Sector Group",
            Kind.SECTOR,
            Frequency.QUARTERLY,
            "Care Workforce Development",
            "The care sector group of the county's employment and skills board: recruitment, retention, skills.",
            weekday=4,
            week=2,
        ),
        GroupPlan(
            "Safeguarding Adults Board Provider Group",
            Kind.SAFEGUARDING,
            Frequency.QUARTERLY,
            "Safeguarding Adults",
            "Providers and the safeguarding adults board learn from reviews and improve safeguarding practice.",
            weekday=1,
            week=4,
        ),
        GroupPlan(
            "Provider Association Liaison",
            Kind.ASSOCIATION_LIAISON,
            Frequency.BIMONTHLY,
            "Market Development",
            "Regular liaison between the council and the associations that represent providers.",
            weekday=4,
            week=1,
            hours=(11, 12),
            place="",
        ),
    ]


TRAINING_TOPICS = [
    "Safeguarding adults level 2",
    "Medication management",
    "Moving and handling",
    "Dementia care",
    "Infection prevention and control",
    "Mental Capacity Act and Liberty Protection",
    "Digital social care records",
    "Recruitment and retention workshop",
]
AD_HOC_BRIEFINGS = [
    ("Winter pressures briefing", "Hospital discharge pressures rose sooner than expected this winter."),
    ("Fee uplift briefing", "The fee uplift was agreed by cabinet later than planned."),
    ("Heatwave preparedness briefing", "The Met Office issued an amber heat-health alert."),
    ("Provider failure contingency briefing", "A large home care provider gave notice at short notice."),
]
ONLINE = "https://meet.council.example.org/"


@dataclass
class Seeding:
    """What the demo needs to make one activity: the month's context and who may facilitate."""

    now: dt.datetime
    areas: list[Area]
    facilitators: dict[str, list[Officer]]

    @property
    def ad_hoc_before(self) -> dt.datetime:
        """Only what is this close could have been added at short notice."""
        return self.now + dt.timedelta(weeks=settings.ENGAGEMENT_PLAN_WEEKS_AHEAD)


def _nth_weekday(first: dt.date, weekday: int, week: int) -> dt.date:
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (week - 1))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _officers(prefix: str) -> list[Officer]:
    return list(Officer.objects.active().filter(team__name__startswith=prefix).order_by("pk"))


def _status(title: str, starts_at: dt.datetime, now: dt.datetime) -> tuple[str, str]:
    if random.Random(title).random() < CANCELLED_SHARE:
        return Activity.Status.CANCELLED, "The venue was not available; the meeting moves to next month."
    if starts_at < now:
        return Activity.Status.HELD, ""
    if starts_at < now + dt.timedelta(weeks=settings.ENGAGEMENT_PLAN_WEEKS_AHEAD):
        return Activity.Status.CONFIRMED, ""
    return Activity.Status.PLANNED, ""


def _activity(seeding: Seeding, *, title: str, starts_at: dt.datetime, hours: float, **fields) -> Activity:
    status, reason = _status(title, starts_at, seeding.now)
    if starts_at >= seeding.ad_hoc_before:
        fields.update(is_ad_hoc=False, ad_hoc_reason="")
    places = fields.pop("bookable", None)
    areas = fields.pop("areas", [])
    activity = Activity(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        status=status,
        cancellation_reason=reason,
        **fields,
    )
    if places:
        activity.takes_bookings = True
        activity.capacity, activity.cap_per_provider = places
        activity.bookings_open_at = starts_at - dt.timedelta(weeks=8)
        activity.bookings_close_at = starts_at - dt.timedelta(days=2)
        activity.cancel_by = starts_at - dt.timedelta(days=3)
    # Those past were approved; of those to come, most still wait for the engagement manager.
    if activity.is_ad_hoc and (starts_at < seeding.now or random.Random(title).random() < 0.3):
        activity.ad_hoc_approved_at = min(seeding.now, starts_at - dt.timedelta(days=7))
    activity.demo_areas = areas
    return activity


def _pick(officers: list[Officer], index: int) -> Officer | None:
    return officers[index % len(officers)] if officers else None


def _group_meetings(seeding: Seeding, groups: list[tuple[GroupPlan, EngagementGroup]], first: dt.date):
    label = date_format(first, "F Y")
    number = first.year * 12 + first.month
    for plan, group in groups:
        if number % EVERY[plan.frequency]:
            continue
        day = _nth_weekday(first, plan.weekday, plan.week)
        yield _activity(
            seeding,
            title=f"{group.name}: {label}",
            kind=plan.activity_kind,
            group=group,
            starts_at=_at(day, plan.hours[0]),
            hours=plan.hours[1] - plan.hours[0],
            place=plan.place,
            online_link="" if plan.place else f"{ONLINE}{group.slug}",
            facilitator=group.chair,
            for_tier_two=not plan.tier_one_only,
            for_tier_three=not plan.tier_one_only,
            bookable=plan.bookable,
            areas=[plan.area] if plan.area else [],
            description=plan.purpose,
        )


def _council_activities(seeding: Seeding, first: dt.date):
    """The newsletter each month, a councillors' briefing each quarter and two provider events a year."""
    label = date_format(first, "F Y")
    number = first.year * 12 + first.month
    leads = seeding.facilitators["Market Development"]
    yield _activity(
        seeding,
        title=f"Provider newsletter: {label}",
        kind=Activity.Kind.NEWSLETTER,
        starts_at=_at(_nth_weekday(first, 0, 1), 9),
        hours=0.5,
        online_link="https://portal.example.org/newsletter",
        facilitator=_pick(leads, number),
        description="News for providers: the plan ahead, changes to contracts and what you said.",
    )
    if number % 3 == 1:
        yield _activity(
            seeding,
            title=f"Councillors' briefing on the care market: {label}",
            kind=Activity.Kind.COUNCILLOR_ENGAGEMENT,
            starts_at=_at(_nth_weekday(first, 2, 3), 17, 30),
            hours=1.5,
            place="County Hall, Council Chamber",
            facilitator=_pick(leads, number + 1),
        )
    events = {2: "Provider conference", 5: "Market position statement workshop"}
    if number % 6 in events:
        yield _activity(
            seeding,
            title=f"{events[number % 6]}: {label}",
            kind=Activity.Kind.PROVIDER_EVENT,
            starts_at=_at(_nth_weekday(first, 3, 3), 9, 30),
            hours=6,
            place="County Showground Conference Centre",
            facilitator=_pick(leads, number + 2),
            bookable=(150, 4),
        )
    briefing_at = _at(_nth_weekday(first, 1, 4), 15)
    if briefing_at < seeding.ad_hoc_before:
        title, reason = AD_HOC_BRIEFINGS[number % len(AD_HOC_BRIEFINGS)]
        yield _activity(
            seeding,
            title=f"{title}: {label}",
            kind=Activity.Kind.PROVIDER_EVENT,
            starts_at=briefing_at,
            hours=1,
            online_link=f"{ONLINE}briefing",
            facilitator=_pick(leads, number + 3),
            is_ad_hoc=True,
            ad_hoc_reason=reason,
        )


def _training(seeding: Seeding, first: dt.date, count: int):
    trainers = seeding.facilitators["Care Workforce Development"]
    for index in range(count):
        day = first + dt.timedelta(days=(index * 3) % 25)
        if day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())
        area = seeding.areas[index % len(seeding.areas)] if seeding.areas else None
        topic = TRAINING_TOPICS[index % len(TRAINING_TOPICS)]
        ad_hoc = index % 25 == 3
        yield _activity(
            seeding,
            title=f"{topic} training, {area.name if area else 'county'} (session {index + 1})",
            kind=Activity.Kind.TRAINING,
            starts_at=_at(day, 9, 30) if index % 2 == 0 else _at(day, 13, 30),
            hours=3,
            place=f"{area.name if area else 'County'} Training Centre",
            facilitator=_pick(trainers, index),
            bookable=(16, 2),
            areas=[area] if area else [],
            is_ad_hoc=ad_hoc,
            ad_hoc_reason="Extra session: the planned ones filled within days." if ad_hoc else "",
        )


def _months(today: dt.date) -> Iterator[dt.date]:
    return (month_start(today, offset) for offset in range(-MONTHS_BACK, MONTHS_AHEAD))


def _seed_groups() -> tuple[list[tuple[GroupPlan, EngagementGroup]], int]:
    plans = _group_plans()
    existing = {group.slug: group for group in EngagementGroup.objects.select_related("chair")}
    made = []
    for plan in plans:
        slug = slugify(plan.name)
        if slug not in existing:
            chair = next(iter(_officers(plan.chair_team)), None)
            existing[slug] = EngagementGroup(
                name=plan.name,
                slug=slug,
                kind=plan.kind,
                purpose=plan.purpose,
                chair=chair,
                area=plan.area,
                meeting_frequency=plan.frequency,
            )
            made.append(existing[slug])
    EngagementGroup.objects.bulk_create(made)
    _seed_members(made)
    return [(plan, existing[slugify(plan.name)]) for plan in plans], len(made)


def _seed_members(groups: list[EngagementGroup]) -> None:
    """Each new group's chair is a member; the Tier One meeting has the Tier One providers, liaison the associations.

    Terms of reference and maturity are the groups' demo (engagement/demo/groups.py).
    """
    for group in groups:
        if group.chair_id:
            group.member_officers.add(group.chair_id)
        if group.kind == Kind.TIER_ONE:
            group.member_providers.add(
                *ProviderOrganisation.objects.filter(tier=1).values_list("pk", flat=True)
            )
        if group.kind == Kind.ASSOCIATION_LIAISON:
            group.member_associations.add(*ProviderAssociation.objects.values_list("pk", flat=True))


def seed_plan(*, scale: int) -> dict[str, int]:
    """Create what is missing of the demo groups and their year of plan; returns how many of each were made."""
    groups, groups_made = _seed_groups()
    now = timezone.now()
    seeding = Seeding(
        now=now,
        areas=list(Area.objects.order_by("pk")),
        facilitators={
            prefix: _officers(prefix) for prefix in ("Market Development", "Care Workforce Development")
        },
    )
    months = list(_months(timezone.localdate()))
    planned = []
    for first in months:
        planned += _group_meetings(seeding, groups, first)
        planned += _council_activities(seeding, first)
        planned += _training(seeding, first, TRAINING_PER_MONTH + TRAINING_PER_MONTH_PER_SCALE * scale)
    window = (timezone.make_aware(dt.datetime.combine(months[0], dt.time.min)), now + dt.timedelta(days=400))
    existing = set(Activity.objects.filter(starts_at__range=window).values_list("title", "starts_at"))
    new = [activity for activity in planned if (activity.title, activity.starts_at) not in existing]
    Activity.objects.bulk_create(new, batch_size=1000)
    through = Activity.areas.through
    through.objects.bulk_create(
        [
            through(activity_id=activity.pk, area_id=area.pk)
            for activity in new
            for area in activity.demo_areas
        ],
        batch_size=2000,
    )
    return {
        "engagement_groups": groups_made,
        "activities": len(new),
        "ad_hoc_activities": sum(activity.is_ad_hoc for activity in new),
    }
