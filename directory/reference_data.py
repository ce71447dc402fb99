"""The county's reference data: areas, service types, client groups and topics.

Made by data migrations and put back after every migrate (a test database's flush empties it).
"""

from django.utils.text import slugify

AREAS = ["North East", "Mid", "South", "West"]
SERVICE_TYPES = [
    "Residential care",
    "Nursing care",
    "Home care",
    "Supported living",
    "Day opportunities",
    "Specialist services",
]
CLIENT_GROUPS = [
    "Older people",
    "Learning disability",
    "Mental health",
    "Physical disability",
    "Autism",
    "Carers",
]
TOPICS = [
    ("Safeguarding", "Concerns that an adult is at risk of abuse or neglect"),
    ("Payments and invoices", "Unpaid or disputed invoices and payment dates"),
    ("Contract management", "Your contract, its terms and monitoring"),
    ("Commissioning", "What the council plans to buy and how"),
    ("Quality", "Quality assurance, visits and improvement support"),
    ("Policy and practice", "Council policy and social work practice"),
    ("Fees and pricing", "Fee levels, uplifts and how prices are set"),
    ("Workforce and training", "Recruitment, retention and training"),
    ("Market leadership", "The council's relationship with the care market"),
]


def ensure_named(model, names: list[str]) -> None:
    for name in names:
        model.objects.get_or_create(slug=slugify(name), defaults={"name": name})


def ensure_topics(model) -> None:
    for name, description in TOPICS:
        model.objects.get_or_create(slug=slugify(name), defaults={"name": name, "description": description})


def reference_after_migrate(**kwargs) -> None:
    from directory.models import Area, ClientGroup, ServiceType, Topic

    ensure_named(Area, AREAS)
    ensure_named(ServiceType, SERVICE_TYPES)
    ensure_named(ClientGroup, CLIENT_GROUPS)
    ensure_topics(Topic)
