"""Demo New Deal: version 1 published about a year ago, version 2 recently, and realistic sign-up to each.

Most providers and officers signed version 1; fewer have signed version 2 so far. The demo provider has not yet
signed version 2, nor has the demo officer, so both demo users have something to sign. Who signed is decided from
each name, so every run, at any scale, picks the same ones; a second run adds nothing.
"""

import datetime as dt
import zlib

from django.db.models import Max
from django.utils import timezone

from directory.demo import demo_provider
from directory.models import Officer, ProviderOrganisation, ProviderPerson
from portal.models import User
from principles.models import OfficerSignUp, PrinciplesVersion, ProviderSignUp

DEMO_OFFICER_EMAIL = "officer@example.org"

VERSION_ONE_BODY = """\
The council and the providers of adult social care in the county agree to work to these principles.

1. We share information early. The council tells providers about changes to contracts, fees and plans before they \
are decided, and providers tell the council early about risks to the care they give.

2. We involve providers in planning and in the decisions that affect the people they support, through the provider \
forums, the Tier One meetings and the strategic groups.

3. We work as partners with the NHS and the voluntary sector, so that people move between services without delay.

4. We deal with disagreement openly and quickly: each side names a person to resolve it, and escalates only when \
that fails.

5. We are clear about who does what. Every provider knows who to contact at the council, and the council keeps \
that list up to date.

6. We respond to each other's needs: questions are answered by a date agreed when they are asked."""

VERSION_TWO_EXTRA = """

7. We pay on time and explain fees. The council publishes how fees are set and pays invoices within 30 days; \
providers raise fee concerns through their contract manager before they become a dispute.

8. We learn together. What providers raise at forums is answered in a published "you said, we did", and the \
relationship survey each year tells both sides how the relationship is working."""

VERSIONS = [
    # (number, title, body, what changed, days ago published, share of providers signed, of officers)
    (1, "Working together for people who need care", VERSION_ONE_BODY, "", 365, 85, 90),
    (
        2,
        "Working together for people who need care",
        VERSION_ONE_BODY + VERSION_TWO_EXTRA,
        "Adds two principles, on paying on time and explaining fees (7) and on learning together through "
        '"you said, we did" and the relationship survey (8), as agreed at the provider forums.',
        30,
        45,
        70,
    ),
]
SIGNERS = (
    ProviderPerson.Role.OWNER,
    ProviderPerson.Role.NOMINATED_INDIVIDUAL,
    ProviderPerson.Role.REGISTERED_MANAGER,
)


def _picked(name: str, number: int, percent: int) -> bool:
    return zlib.crc32(f"{number}:{name}".encode()) % 100 < percent


def _spread(name: str, days: int) -> dt.timedelta:
    """How long after publication a sign-up came, within `days`, from the name."""
    return dt.timedelta(days=zlib.crc32(name.encode()) % max(days, 1), hours=10)


def _version(number, title, body, what_changed, days_ago, publisher) -> tuple[PrinciplesVersion, bool]:
    return PrinciplesVersion.objects.get_or_create(
        number=number,
        defaults={
            "title": title,
            "body": body,
            "what_changed": what_changed,
            "status": PrinciplesVersion.Status.PUBLISHED,
            "published_at": timezone.now() - dt.timedelta(days=days_ago),
            "published_by": publisher,
            "drafted_by": publisher,
        },
    )


def _signers() -> dict[int, tuple[str, str]]:
    """Each provider's most senior key person: the one who signs for it."""
    signers: dict[int, tuple[str, str]] = {}
    people = ProviderPerson.objects.filter(role__in=SIGNERS).values_list("provider_id", "full_name", "role")
    for provider_id, full_name, role in sorted(people, key=lambda person: SIGNERS.index(person[2])):
        signers.setdefault(provider_id, (full_name, ProviderPerson.Role(role).label))
    return signers


def _note_last_signed(version: PrinciplesVersion) -> None:
    """As the sign-up services do, so that the coverage counts kept for the version are counted again."""
    last = max(
        (
            ProviderSignUp.objects.filter(version=version).aggregate(last=Max("signed_at"))["last"],
            OfficerSignUp.objects.filter(version=version).aggregate(last=Max("signed_at"))["last"],
        ),
        key=lambda moment: moment or version.published_at,
    )
    if last and last != version.last_signed_at:
        PrinciplesVersion.objects.filter(pk=version.pk).update(last_signed_at=last)


def seed_principles(*, scale: int) -> dict[str, int]:
    publisher = User.objects.filter(email=DEMO_OFFICER_EMAIL).first()
    skip_provider = demo_provider().pk
    skip_officer = Officer.objects.filter(email=DEMO_OFFICER_EMAIL).values_list("pk", flat=True).first()
    providers = list(ProviderOrganisation.objects.filter(is_active=True).values_list("pk", "name"))
    officers = list(Officer.objects.active().values_list("pk", "full_name", "user_id"))
    signers = _signers()
    made = {"New Deal versions": 0, "provider sign-ups": 0, "officer sign-ups": 0}
    for number, title, body, what_changed, days_ago, provider_share, officer_share in VERSIONS:
        version, created = _version(number, title, body, what_changed, days_ago, publisher)
        made["New Deal versions"] += created
        signing_days = days_ago - 1 if number == len(VERSIONS) else 120
        signed = set(ProviderSignUp.objects.filter(version=version).values_list("organisation_id", flat=True))
        new = [
            ProviderSignUp(
                version=version,
                organisation_id=pk,
                signer_name=signers.get(pk, ("Sam Owner", "Owner or director"))[0],
                signer_role=signers.get(pk, ("Sam Owner", "Owner or director"))[1],
                signed_at=version.published_at + _spread(name, signing_days),
            )
            for pk, name in providers
            if pk not in signed
            and _picked(name, number, provider_share)
            and not (number == len(VERSIONS) and pk == skip_provider)
        ]
        made["provider sign-ups"] += len(ProviderSignUp.objects.bulk_create(new, batch_size=1000))
        signed = set(OfficerSignUp.objects.filter(version=version).values_list("officer_id", flat=True))
        new = [
            OfficerSignUp(
                version=version,
                officer_id=pk,
                signed_by_id=user_id,
                signed_at=version.published_at + _spread(name, signing_days),
            )
            for pk, name, user_id in officers
            if pk not in signed
            and _picked(name, number, officer_share)
            and not (number == len(VERSIONS) and pk == skip_officer)
        ]
        made["officer sign-ups"] += len(OfficerSignUp.objects.bulk_create(new, batch_size=1000))
        _note_last_signed(version)
    return made


def demo_current_version() -> PrinciplesVersion:
    return PrinciplesVersion.objects.current()
