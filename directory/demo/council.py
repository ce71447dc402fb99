"""The demo council: directorates, teams, officers, who answers what, and who leads the market."""

import random

from django.utils.text import slugify

from directory.models import Area, Directorate, Officer, Responsibility, ServiceType, Team, Topic

OFFICERS_AT_SCALE_ONE = 150
EXTRA_OFFICERS_PER_SCALE = 38  # scale 50: about 2,000 officers
MAILDOMAIN = "council.example.org"

_FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dan",
    "Ella",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jade",
    "Kieran",
    "Laura",
    "Mohammed",
    "Nadia",
    "Oliver",
    "Priya",
    "Rachel",
    "Sam",
    "Tom",
    "Uma",
    "Victoria",
    "Will",
    "Yasmin",
    "Zoe",
]
_LAST = [
    "Adams",
    "Begum",
    "Clarke",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Newman",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Shah",
    "Taylor",
    "Walker",
    "Young",
]
COMMUNITY = ["home-care", "supported-living", "day-opportunities", "specialist-services"]
BUILDINGS = ["residential-care", "nursing-care"]

# (directorate, team, topic answered, split by area?, split by service type group?)
_AREA_TEAMS = [
    ("Adult Social Care Operations", "Safeguarding Adults", "safeguarding", True),
    ("Adult Social Care Operations", "Locality Social Work", "policy-and-practice", False),
    ("Commercial and Procurement", "Contract Management", "contract-management", True),
    ("Commissioning", "Quality and Improvement", "quality", False),
]
_COUNTY_TEAMS = [
    ("Finance", "Provider Payments", "payments-and-invoices"),
    ("Finance", "Fees and Pricing", "fees-and-pricing"),
    ("Commissioning", "Older People Commissioning", "commissioning"),
    ("Commissioning", "Care Workforce Development", "workforce-and-training"),
    ("Commissioning", "Market Development", "market-leadership"),
    ("Commercial and Procurement", "Procurement", None),
]


def _teams() -> list[tuple[Team, str | None, Area | None, bool]]:
    """Every demo team with the topic it answers, its area (None: the whole county), and whether it splits."""
    made = []
    directorates = {}

    def team(directorate_name: str, name: str) -> Team:
        if directorate_name not in directorates:
            directorates[directorate_name], _ = Directorate.objects.get_or_create(
                slug=slugify(directorate_name), defaults={"name": directorate_name}
            )
        mailbox = f"{slugify(name)}@{MAILDOMAIN}"
        found, _ = Team.objects.get_or_create(
            directorate=directorates[directorate_name],
            name=name,
            defaults={"mailbox": mailbox, "phone": "0300 555 0100"},
        )
        return found

    for area in Area.objects.order_by("pk"):
        for directorate_name, name, topic, split in _AREA_TEAMS:
            made.append((team(directorate_name, f"{name} {area.name}"), topic, area, split))
    for directorate_name, name, topic in _COUNTY_TEAMS:
        made.append((team(directorate_name, name), topic, None, False))
    return made


def _officer_name(index: int) -> tuple[str, str]:
    first = _FIRST[index % len(_FIRST)]
    last = _LAST[(index // len(_FIRST)) % len(_LAST)]
    email = f"{first}.{last}.{index}@{MAILDOMAIN}".lower()
    return f"{first} {last}", email


def _seed_officers(teams: list, total: int) -> int:
    existing = set(Officer.objects.values_list("email", flat=True))
    new = []
    for index in range(total):
        name, email = _officer_name(index)
        if email in existing:
            continue
        team, _, area, _ = teams[index % len(teams)]
        first_in_team = index < len(teams)
        rng = random.Random(email)
        new.append(
            Officer(
                full_name=name,
                email=email,
                team=team,
                job_title=f"Team manager, {team.name}" if first_in_team else f"Officer, {team.name}",
                seniority=Officer.Seniority.MANAGER if first_in_team else Officer.Seniority.OFFICER,
                phone=f"0300 555 {1000 + index % 9000:04d}",
                last_verified_on=None if rng.random() < 0.2 else _verified_date(rng),
            )
        )
    Officer.objects.bulk_create(new, batch_size=1000)
    _link_areas_and_deputies(teams)
    return len(new)


def _verified_date(rng: random.Random):
    import datetime

    return datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 300))


def _link_areas_and_deputies(teams: list) -> None:
    links = Officer.areas.through
    linked = set(links.objects.values_list("officer_id", flat=True))
    all_areas = list(Area.objects.order_by("pk"))
    new_links = []
    for team, _, area, _ in teams:
        members = list(team.officers.order_by("pk"))
        given_deputies = []
        for position, officer in enumerate(members):
            if officer.pk not in linked:
                for covered in [area] if area else all_areas:
                    new_links.append(links(officer_id=officer.pk, area_id=covered.pk))
            if officer.deputy_id is None and len(members) > 1:
                officer.deputy = members[(position + 1) % len(members)]
                given_deputies.append(officer)
        Officer.objects.bulk_update(given_deputies, ["deputy"], batch_size=500)
    links.objects.bulk_create(new_links, batch_size=2000)


def _seed_leaders() -> None:
    """A director and a head of service who lead the relationship with the market, strategic and operational."""
    leaders = [
        (
            "Director of Commissioning",
            Officer.Seniority.DIRECTOR,
            Officer.MarketLead.STRATEGIC,
            "Market Development",
        ),
        (
            "Head of Market Development",
            Officer.Seniority.HEAD_OF_SERVICE,
            Officer.MarketLead.OPERATIONAL,
            "Market Development",
        ),
    ]
    names = [("Helen", "Armstrong"), ("Marcus", "Reid")]
    for (title, seniority, lead, team_name), (first, last) in zip(leaders, names, strict=True):
        Officer.objects.get_or_create(
            email=f"{first}.{last}@{MAILDOMAIN}".lower(),
            defaults={
                "full_name": f"{first} {last}",
                "job_title": title,
                "seniority": seniority,
                "market_lead": lead,
                "team": Team.objects.get(name=team_name),
            },
        )


def _seed_responsibilities(teams: list) -> int:
    if Responsibility.objects.exists():
        return 0
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    service_types = {service_type.slug: service_type for service_type in ServiceType.objects.all()}
    count = 0
    for team, topic_slug, area, split in teams:
        if topic_slug is None:
            continue
        members = list(team.officers.order_by("pk"))
        groups = [BUILDINGS, COMMUNITY] if split else [[]]
        for position, group in enumerate(groups):
            officer = members[position % len(members)] if members else None
            responsibility = Responsibility.objects.create(
                topic=topics[topic_slug], officer=officer, team=team
            )
            if area:
                responsibility.areas.set([area])
            responsibility.service_types.set([service_types[slug] for slug in group])
            count += 1
    return count


def seed_council(*, scale: int) -> dict[str, int]:
    teams = _teams()
    officers = _seed_officers(teams, OFFICERS_AT_SCALE_ONE + EXTRA_OFFICERS_PER_SCALE * (scale - 1))
    _seed_leaders()
    responsibilities = _seed_responsibilities(teams)
    return {"officers": officers, "responsibilities": responsibilities}


def contract_managers_by_area() -> dict[int, list[Officer]]:
    """The contract management officers of each area, to name as Tier One providers' contract managers."""
    managers: dict[int, list[Officer]] = {}
    for officer in Officer.objects.filter(team__name__startswith="Contract Management").prefetch_related(
        "areas"
    ):
        for area in officer.areas.all():
            managers.setdefault(area.pk, []).append(officer)
    return managers


def link_demo_officer(user) -> Officer:
    """The demo officer's own entry in the who's-who, so the officer pages have someone to show."""
    officer, _ = Officer.objects.get_or_create(
        email=user.email,
        defaults={
            "full_name": user.full_name,
            "job_title": "Contract manager",
            "team": Team.objects.filter(name__startswith="Contract Management").order_by("pk").first(),
            "user": user,
            "owner": user,
        },
    )
    # The demo officer keeps the contract management entries up to date, so "needs checking" has an owner.
    contract_teams = Team.objects.filter(name__startswith="Contract Management", owner__isnull=True)
    Officer.objects.filter(team__in=contract_teams, owner__isnull=True).update(owner=user)
    Responsibility.objects.filter(team__in=contract_teams, owner__isnull=True).update(owner=user)
    contract_teams.update(owner=user)
    return officer
