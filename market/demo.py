"""Demo market direction: an intention for every type of service in every area, the market position statement,
coming opportunities, fees explained for this year and last, a draft or two, and the demo provider's subscription.

Runs after the who's-who and the demo users are seeded. Each kind is made whole in one go and known by its titles,
so a second run adds nothing. Dates are counted from today, so the demo always looks current.
"""

import datetime as dt
from itertools import cycle

from django.utils import timezone

from directory.models import Area, Officer, ServiceType
from market.models import (
    CommercialOpportunity,
    CommissioningIntention,
    FeeExplanation,
    MarketPositionStatement,
    Published,
    Subscription,
)
from portal.models import User

DEMO_PROVIDER_EMAIL = "provider@example.org"
PUBLISHED, DRAFT = Published.Status.PUBLISHED, Published.Status.DRAFT
Direction = CommissioningIntention.Direction

# (direction, what and why): {service} and {area} are filled in, in lower case where they sit mid-sentence.
_INTENTIONS = [
    (
        Direction.MORE,
        "More {service} in {area}",
        "Demand for {service} in {area} has grown faster than supply, "
        "and people wait longer than they should. The council will buy more, from providers who can recruit locally.",
    ),
    (
        Direction.SAME,
        "About the same {service} in {area}",
        "Supply of {service} in {area} meets demand today. The "
        "council expects to buy about the same, and will look for better outcomes rather than more hours or beds.",
    ),
    (
        Direction.LESS,
        "Less {service} in {area}",
        "More people in {area} want support at home. The council will buy "
        "less {service} over time and will work with providers on changing what they offer.",
    ),
    (
        Direction.NEW,
        "New models of {service} in {area}",
        "The council wants to test new ways of providing "
        "{service} in {area}, jointly with the NHS, with providers who want to shape them.",
    ),
    (
        Direction.MORE,
        "More specialist {service} in {area}",
        "People with complex needs in {area} are often placed "
        "out of county. The council will buy more specialist {service} close to home.",
    ),
    (
        Direction.STOP,
        "Stop block contracts for {service} in {area}",
        "Block contracts for {service} in {area} end "
        "when they expire; the council will buy through the framework instead.",
    ),
]
_OPPORTUNITIES = [
    (
        "Home care framework: new lot for rural areas",
        ("home-care",),
        ("north-east", "west"),
        "mini",
        14,
        45,
        150,
    ),
    ("Supported living dynamic purchasing system reopens", ("supported-living",), (), "dps", 30, 60, 120),
    ("Day opportunities innovation grants", ("day-opportunities",), ("mid", "south"), "grant", 45, 90, 180),
    (
        "Nursing care beds for hospital discharge",
        ("nursing-care", "residential-care"),
        ("south",),
        "open",
        60,
        100,
        210,
    ),
]
_FEE_METHODS = {
    "residential-care": ("£820 to £1,050 a week", 4.8),
    "nursing-care": ("£1,010 to £1,290 a week", 5.1),
    "home-care": ("£24.50 an hour", 6.2),
    "supported-living": ("£23.90 an hour", 5.9),
    "day-opportunities": ("£58 to £92 a day", 3.5),
    "specialist-services": ("Agreed person by person", 4.0),
}


def _financial_year(day: dt.date, back: int = 0) -> str:
    start = (day.year if day.month >= 4 else day.year - 1) - back
    return f"{start} to {start + 1}"


def _owners() -> list[Officer]:
    owners = list(Officer.objects.active().exclude(market_lead="").order_by("pk")[:3])
    return owners or list(Officer.objects.active().order_by("pk")[:3])


def seed_market(*, scale: int) -> dict[str, int]:
    owners = _owners()
    if not owners:
        return {}
    today = timezone.localdate()
    return {
        "commissioning intentions": _seed_intentions(owners, today),
        "market position statements": _seed_statement(owners[0], today),
        "commercial opportunities": _seed_opportunities(owners, today),
        "fee explanations": _seed_fees(owners, today),
        "market subscriptions": _seed_subscription(),
    }


def _seed_intentions(owners: list[Officer], today: dt.date) -> int:
    if CommissioningIntention.objects.exists():
        return 0
    areas = list(Area.objects.order_by("name"))
    plans, owner = cycle(_INTENTIONS), cycle(owners)
    made, where = [], []
    for type_index, service_type in enumerate(ServiceType.objects.order_by("name")):
        for area_index, area in enumerate(areas):
            direction, title, why = next(plans)
            words = {"service": service_type.name.lower(), "area": area.name}
            months = 3 + (type_index + area_index) % 10
            starts_on = today.replace(day=1) + dt.timedelta(days=31 * months)
            starts_on = starts_on.replace(day=1)
            draft = type_index == 0 and area_index == 0
            made.append(
                CommissioningIntention(
                    title=title.format(**words)[:1].upper() + title.format(**words)[1:],
                    service_type=service_type,
                    direction=direction,
                    what_and_why=why.format(**words),
                    when=f"From {starts_on:%B %Y}",
                    starts_on=starts_on,
                    owner=next(owner),
                    status=DRAFT if draft else PUBLISHED,
                    published_on=None if draft else today - dt.timedelta(days=20 + area_index),
                    # One in seven is past its review date, so the managers' list has something in it.
                    review_on=today + dt.timedelta(days=-5 if len(made) % 7 == 3 else 180 + len(made)),
                )
            )
            where.append(area)
    CommissioningIntention.objects.bulk_create(made)
    Through = CommissioningIntention.areas.through
    Through.objects.bulk_create(
        Through(commissioningintention_id=item.pk, area_id=area.pk)
        for item, area in zip(made, where, strict=True)
    )
    return len(made)


def _seed_statement(owner: Officer, today: dt.date) -> int:
    if MarketPositionStatement.objects.exists():
        return 0
    year = _financial_year(today)
    MarketPositionStatement.objects.bulk_create(
        [
            MarketPositionStatement(
                title="Adult social care market position statement",
                year=year,
                summary="What the council expects the county's care market to look like over the next three "
                "years, where it will buy more and less, and how it will work with providers to get there.",
                body="The number of people aged 85 and over in the county grows by about a fifth in the next ten "
                "years.\n\nMost people want support to stay at home, so the council will buy more home care and "
                "extra care housing, and fewer long-term residential placements for people who could live "
                "at home.\n\nRecruiting and keeping care workers is the biggest risk to the market. The council "
                "sets its fees from a cost of care exercise with providers, and shares the figures openly.\n\n"
                "The council will talk with providers before it changes how it buys, through the area forums "
                "and the Tier One meetings.",
                owner=owner,
                status=PUBLISHED,
                published_on=today - dt.timedelta(days=60),
                review_on=today + dt.timedelta(days=300),
            ),
            MarketPositionStatement(
                title="Market position statement: refresh for next year",
                year=_financial_year(today + dt.timedelta(days=366)),
                summary="The draft of next year's statement.",
                body="To be written with providers at the autumn forums.",
                owner=owner,
                review_on=today + dt.timedelta(days=120),
            ),
        ]
    )
    return 2


def _seed_opportunities(owners: list[Officer], today: dt.date) -> int:
    if CommercialOpportunity.objects.exists():
        return 0
    types = {t.slug: t for t in ServiceType.objects.all()}
    areas = {a.slug: a for a in Area.objects.all()}
    owner = cycle(owners)
    made = [
        CommercialOpportunity(
            title=title,
            description=f"{title}. Read the specification and ask questions through the council's procurement "
            "portal once it opens; the contract manager for each area can explain what it means for you.",
            procurement_route=route,
            opens_on=today + dt.timedelta(days=opens),
            closes_on=today + dt.timedelta(days=closes),
            contract_starts_on=today + dt.timedelta(days=starts),
            owner=next(owner),
            status=DRAFT if index == len(_OPPORTUNITIES) - 1 else PUBLISHED,
            published_on=None if index == len(_OPPORTUNITIES) - 1 else today - dt.timedelta(days=7),
            review_on=today + dt.timedelta(days=closes + 14),
        )
        for index, (title, _, _, route, opens, closes, starts) in enumerate(_OPPORTUNITIES)
    ]
    CommercialOpportunity.objects.bulk_create(made)
    type_links, area_links = CommercialOpportunity.service_types.through, CommercialOpportunity.areas.through
    type_links.objects.bulk_create(
        type_links(commercialopportunity_id=item.pk, servicetype_id=types[slug].pk)
        for item, plan in zip(made, _OPPORTUNITIES, strict=True)
        for slug in plan[1]
        if slug in types
    )
    area_links.objects.bulk_create(
        area_links(commercialopportunity_id=item.pk, area_id=areas[slug].pk)
        for item, plan in zip(made, _OPPORTUNITIES, strict=True)
        for slug in plan[2]
        if slug in areas
    )
    return len(made)


def _seed_fees(owners: list[Officer], today: dt.date) -> int:
    if FeeExplanation.objects.exists():
        return 0
    owner = cycle(owners)
    made = []
    for service_type in ServiceType.objects.order_by("name"):
        level, rise = _FEE_METHODS.get(service_type.slug, ("Agreed person by person", 4.0))
        for back in (1, 0):
            made.append(
                FeeExplanation(
                    service_type=service_type,
                    year=_financial_year(today, back),
                    fee_level=level if back == 0 else f"{rise} percent less than this year",
                    method=f"The council sets the {service_type.name.lower()} fee from a cost of care exercise "
                    "run with providers, uprated each April for pay and prices.",
                    inputs="Care workers' pay at the National Living Wage or above, employer's National Insurance "
                    "and pension, training, travel time where it applies, running costs and a fair return.",
                    changes=""
                    if back
                    else f"The fee rose by {rise} percent, mostly because the National Living Wage went up.",
                    owner=next(owner),
                    status=PUBLISHED,
                    published_on=today - dt.timedelta(days=30 + 365 * back),
                    review_on=today + dt.timedelta(days=180 - 90 * back),
                )
            )
    FeeExplanation.objects.bulk_create(made)
    return len(made)


def _seed_subscription() -> int:
    user = User.objects.filter(email=DEMO_PROVIDER_EMAIL).first()
    if user is None or Subscription.objects.filter(user=user).exists():
        return 0
    subscription = Subscription.objects.create(user=user, all_areas=True)
    provider_types = ServiceType.objects.filter(providers=user.provider_organisation_id)
    subscription.service_types.set(provider_types or ServiceType.objects.all())
    return 1
