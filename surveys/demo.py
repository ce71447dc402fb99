"""Demo relationship surveys: six past cycles whose results show believable trends, and one cycle open now.

Runs after the who's-who is seeded. Every active provider's key people and every officer in post are invited each
year; about half answer. Providers score lower than officers, and the gap narrows as most themes improve over the
years (managing conflict stays flat and strategic direction slips, as real results do); scores also vary by area,
type of provider, size and seniority. Volume grows with the scale: about 20,000 answers at scale 1, a million at
scale 50, written with COPY on PostgreSQL. A cycle that already has responses is left alone, so a second run adds
nothing. Random numbers are seeded by year, so every run makes the same survey.
"""

import dataclasses
import datetime as dt
import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from directory.demo.council import EXTRA_OFFICERS_PER_SCALE, OFFICERS_AT_SCALE_ONE
from directory.demo.providers import PEOPLE_ROLES, PROVIDERS_PER_SCALE
from directory.models import Area, Officer, ProviderOrganisation, ProviderPerson, ServiceType
from portal.models import User
from portal.relationship_themes import RelationshipTheme
from surveys.models import (
    Answer,
    Audience,
    Invitation,
    ProviderSize,
    Question,
    Questionnaire,
    Response,
    SurveyCycle,
)
from surveys.services.cycles import cycle_create, default_questions

PAST_CYCLES = 6
DEMO_OFFICER_EMAIL = "officer@example.org"
# Response rates of the past cycles, oldest first, rising as the survey became known; the open cycle's so far.
PAST_RATES = (0.50, 0.53, 0.56, 0.59, 0.62, 0.65)
OPEN_RATE = 0.38
DONT_KNOW = 0.04
COMMENTED = 0.3
# Some respondents leave a question about themselves unanswered.
SEGMENT_SKIPPED = 0.05
BATCH = 5000

# Per theme: how fast it improves (1 is the usual pace), and where providers and officers start from it.
THEME_SHAPES = {
    RelationshipTheme.INFORMATION_SHARING: (1.2, -0.2, 0.1),
    RelationshipTheme.TRUST: (1.0, 0.0, 0.1),
    RelationshipTheme.INCLUSION: (1.3, -0.35, 0.0),
    RelationshipTheme.INTEGRATED_WORKING: (1.0, -0.1, -0.05),
    RelationshipTheme.MANAGING_CONFLICT: (0.1, -0.15, -0.1),
    RelationshipTheme.ROLES: (0.9, 0.15, 0.2),
    RelationshipTheme.STRATEGIC_DIRECTION: (-0.4, -0.05, 0.05),
    RelationshipTheme.RESPONSIVENESS: (1.1, -0.25, 0.0),
}
AREA_LEANS = (0.15, -0.2, 0.05, -0.1)
SERVICE_TYPE_LEANS = (0.1, -0.15, 0.0, 0.2, -0.1, 0.05)
SIZE_LEANS = {ProviderSize.SMALL: -0.1, ProviderSize.MEDIUM: 0.0, ProviderSize.LARGE: 0.1}
SENIORITY_LEANS = {
    Officer.Seniority.DIRECTOR: 0.3,
    Officer.Seniority.HEAD_OF_SERVICE: 0.15,
    Officer.Seniority.MANAGER: 0.0,
    Officer.Seniority.OFFICER: -0.05,
}
COMMENTS = (
    "More notice of changes to contracts and fees would help us plan.",
    "The provider forums have become much more useful this year.",
    "Commissioners listen, but decisions still arrive without warning.",
    "Our contract manager responds quickly and follows things up.",
    "Joint work on hospital discharge has improved trust on both sides.",
    "It is hard to know who to contact for what.",
)


@dataclass(frozen=True)
class Invitee:
    """Someone invited, with the segments their invitation knows."""

    audience: str
    email: str
    provider_person_id: int | None = None
    officer_id: int | None = None
    provider_type_id: int | None = None
    area_id: int | None = None
    size: str = ""
    seniority: str = ""
    team_id: int | None = None
    # Where the invitee leans: an index into AREA_LEANS and SERVICE_TYPE_LEANS.
    area_index: int = 0
    type_index: int = 0


def seed_surveys(*, scale: int) -> dict[str, int]:
    """Create the demo cycles that have no responses yet; returns how many of each record were created."""
    created = dict.fromkeys(("survey cycles", "survey invitations", "survey responses", "survey answers"), 0)
    invitees = _invitees(scale)
    if not invitees:
        return created
    today = timezone.localdate()
    created_by = User.objects.filter(email=DEMO_OFFICER_EMAIL).first()
    plans = [
        (today.year - PAST_CYCLES + number, dt.date(today.year - PAST_CYCLES + number, 10, 1), rate)
        for number, rate in enumerate(PAST_RATES)
    ]
    plans.append((today.year, today - dt.timedelta(days=7), OPEN_RATE))
    for number, (year, opens_on, rate) in enumerate(plans):
        is_open = year == today.year
        closes_on = today + dt.timedelta(days=21) if is_open else dt.date(year, 11, 15)
        cycle = SurveyCycle.objects.filter(year=year).first()
        if cycle is not None and cycle.responses.exists():
            continue
        if cycle is None:
            cycle = cycle_create(
                year=year,
                opens_on=opens_on,
                closes_on=closes_on,
                response_rate_target=50,
                created_by=created_by,
            )
            created["survey cycles"] += 1
        if not is_open:
            closed_at = timezone.make_aware(dt.datetime.combine(closes_on + dt.timedelta(days=1), dt.time(2)))
            SurveyCycle.objects.filter(pk=cycle.pk).update(closed_at=closed_at)
        made = _seed_cycle(cycle, number, rate, invitees, is_open=is_open)
        for kind, count in made.items():
            created[kind] += count
    if created["survey answers"] and connection.vendor == "postgresql":
        # So that the planner knows the tables just filled before anyone reads the results.
        with connection.cursor() as cursor:
            for model in (Invitation, Response, Answer):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return created


def _invitees(scale: int) -> list[Invitee]:
    """Each active provider's key people and each officer in post, as many as the scale's directory holds."""
    areas = {pk: index for index, pk in enumerate(Area.objects.order_by("pk").values_list("pk", flat=True))}
    types = {
        pk: index for index, pk in enumerate(ServiceType.objects.order_by("pk").values_list("pk", flat=True))
    }
    first_area = _first_of(ProviderOrganisation.areas.through, "area_id")
    first_type = _first_of(ProviderOrganisation.service_types.through, "servicetype_id")
    people = (
        ProviderPerson.objects.filter(provider__is_active=True, role__in=[role for role, _ in PEOPLE_ROLES])
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email", "provider_id", "provider__people_supported")[
            : len(PEOPLE_ROLES) * PROVIDERS_PER_SCALE * scale
        ]
    )
    invitees = []
    for pk, email, provider_id, supported in people:
        area_id, type_id = first_area.get(provider_id), first_type.get(provider_id)
        invitees.append(
            Invitee(
                audience=Audience.PROVIDERS,
                email=email,
                provider_person_id=pk,
                provider_type_id=type_id,
                area_id=area_id,
                size=_size(supported),
                area_index=areas.get(area_id, 0),
                type_index=types.get(type_id, 0),
            )
        )
    officers = (
        Officer.objects.active()
        .order_by("pk")
        .values_list("pk", "email", "team_id", "seniority")[
            : OFFICERS_AT_SCALE_ONE + EXTRA_OFFICERS_PER_SCALE * (scale - 1)
        ]
    )
    invitees.extend(
        Invitee(audience=Audience.OFFICERS, email=email, officer_id=pk, seniority=seniority, team_id=team_id)
        for pk, email, team_id, seniority in officers
    )
    return invitees


def _first_of(through, column: str) -> dict[int, int]:
    """Each provider's first area (or type of service), as its invitation records it."""
    first: dict[int, int] = {}
    for provider_id, value in through.objects.order_by("pk").values_list("providerorganisation_id", column):
        first.setdefault(provider_id, value)
    return first


def _size(supported: int | None) -> str:
    if supported is None:
        return ""
    if supported < 25:
        return ProviderSize.SMALL
    return ProviderSize.MEDIUM if supported < 100 else ProviderSize.LARGE


def _questions(cycle: SurveyCycle) -> dict[str, list[Question]]:
    """Each audience's questions, adding the default questionnaire where a cycle has none."""
    found: dict[str, list[Question]] = {}
    for audience in Audience:
        questionnaire, _ = Questionnaire.objects.get_or_create(cycle=cycle, audience=audience)
        questions = list(questionnaire.questions.order_by("position"))
        if not questions:
            questions = Question.objects.bulk_create(
                Question(questionnaire=questionnaire, position=position, **dataclasses.asdict(draft))
                for position, draft in enumerate(default_questions(audience), start=1)
            )
        found[audience] = questions
    return found


def _seed_cycle(
    cycle: SurveyCycle, number: int, rate: float, invitees: list[Invitee], *, is_open: bool
) -> dict:
    rng = random.Random(f"relationship-survey-{cycle.year}")
    questions = _questions(cycle)
    invitations = list(cycle.invitations.all())
    made_invitations = 0
    if not invitations:
        invitations = _invite(cycle, invitees, is_open=is_open)
        made_invitations = len(invitations)
    by_email = {invitee.email: invitee for invitee in invitees}
    answering = [invitation for invitation in invitations if not invitation.used and rng.random() < rate]
    Invitation.objects.filter(pk__in=[invitation.pk for invitation in answering]).update(
        used=True, draft=None, reminders_sent=[]
    )
    responses, answers = [], []
    for invitation in answering:
        invitee = by_email.get(invitation.email) or Invitee(
            audience=invitation.audience, email=invitation.email
        )
        response = _response(
            cycle, invitation, invitee, questions[invitation.audience][0].questionnaire_id, rng
        )
        responses.append(response)
        answers.extend(_answers(response[0], questions[invitation.audience], invitee, number, rng))
    # Responses keep no trace of the order the invitations came in.
    rng.shuffle(responses)
    _insert(
        Response,
        [
            "id",
            "cycle",
            "questionnaire",
            "audience",
            "is_complete",
            "provider_type",
            "area",
            "size",
            "seniority",
            "team",
        ],
        responses,
    )
    _insert(Answer, ["response", "question", "score", "text"], answers)
    return {
        "survey invitations": made_invitations,
        "survey responses": len(responses),
        "survey answers": len(answers),
    }


def _invite(cycle: SurveyCycle, invitees: list[Invitee], *, is_open: bool) -> list[Invitation]:
    sent_at = timezone.make_aware(dt.datetime.combine(cycle.opens_on, dt.time(9)))
    reminders = ["after-7"] if is_open else ["after-7", "after-14", "before-2"]
    return Invitation.objects.bulk_create(
        (
            Invitation(
                cycle=cycle,
                audience=invitee.audience,
                provider_person_id=invitee.provider_person_id,
                officer_id=invitee.officer_id,
                email=invitee.email,
                provider_type_id=invitee.provider_type_id,
                area_id=invitee.area_id,
                size=invitee.size,
                seniority=invitee.seniority,
                team_id=invitee.team_id,
                sent_at=sent_at,
                reminders_sent=reminders,
            )
            for invitee in invitees
        ),
        batch_size=BATCH,
    )


def _response(
    cycle, invitation: Invitation, invitee: Invitee, questionnaire_id: int, rng: random.Random
) -> tuple:
    def known(value):
        return None if value in (None, "") or rng.random() < SEGMENT_SKIPPED else value

    return (
        uuid.UUID(int=rng.getrandbits(128), version=4),
        cycle.pk,
        questionnaire_id,
        invitation.audience,
        True,
        known(invitation.provider_type_id),
        known(invitation.area_id),
        known(invitation.size) or "",
        known(invitation.seniority) or "",
        known(invitation.team_id),
    )


def _mean(theme: str, invitee: Invitee, number: int) -> float:
    """The score a respondent leans to: providers start lower than officers and improve faster."""
    pace, provider_start, officer_start = THEME_SHAPES[theme]
    if invitee.audience == Audience.PROVIDERS:
        lean = (
            AREA_LEANS[invitee.area_index % len(AREA_LEANS)]
            + SERVICE_TYPE_LEANS[invitee.type_index % len(SERVICE_TYPE_LEANS)]
            + SIZE_LEANS.get(invitee.size, 0.0)
        )
        return 2.6 + provider_start + 0.14 * pace * number + lean
    return 3.45 + officer_start + 0.05 * pace * number + SENIORITY_LEANS.get(invitee.seniority, 0.0)


def _answers(
    response_id, questions: Sequence[Question], invitee: Invitee, number: int, rng
) -> Iterable[tuple]:
    for question in questions:
        if question.kind == Question.Kind.AGREEMENT:
            if rng.random() < DONT_KNOW:
                yield (response_id, question.pk, None, "")
            else:
                score = round(rng.gauss(_mean(question.theme, invitee, number), 0.9))
                yield (response_id, question.pk, min(5, max(1, score)), "")
        elif question.kind == Question.Kind.FREE_TEXT and rng.random() < COMMENTED:
            yield (response_id, question.pk, None, rng.choice(COMMENTS))


def _insert(model, names: list[str], rows: list[tuple]) -> None:
    """Write many rows at once: COPY on PostgreSQL, bulk_create elsewhere (SQLite, at demo sizes)."""
    fields = [model._meta.get_field(name) for name in names]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (
                model(**{field.attname: value for field, value in zip(fields, row, strict=True)})
                for row in rows
            ),
            batch_size=BATCH,
        )
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
