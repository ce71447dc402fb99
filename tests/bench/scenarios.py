"""The pages the benchmark watches: who signs in and which page they ask for.

Each part of the portal adds its own screens here. `floor` is the yardstick: every other scenario is
reported as a ratio of its median time.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

OFFICER = "officer@example.org"
DIRECTOR = "director@example.org"
PROVIDER = "provider@example.org"

FLOOR = "floor"


@dataclass(frozen=True)
class Scenario:
    name: str
    email: str
    url_name: str
    # Called once the demo data exists, so a page about one record can look up its key.
    url_kwargs: Callable[[], dict] = dict
    # The query string's parameters, for a search or a question asked by GET; called like url_kwargs.
    query: Callable[[], dict] = dict
    # A form to POST instead of asking by GET. The write is timed in full and then rolled back, so every round
    # posts to the same data; the answer must be a redirect (a form's success).
    form: Callable[[], dict] | None = None

    def url(self) -> str:
        url = reverse(self.url_name, kwargs=self.url_kwargs())
        query = self.query()
        return f"{url}?{urlencode(query)}" if query else url


def _demo_provider():
    from directory.demo import demo_provider

    return demo_provider()


def _bookable_forum():
    from engagement.demo.bookings import demo_bookable_forum

    return demo_bookable_forum()


def _demo_pilot():
    from partnerships.demo import demo_pilot

    return demo_pilot()


def _open_invitation():
    """An unused provider invitation of the open survey cycle: every timed send is rolled back, so it stays unused."""
    from surveys.models import Audience, Invitation

    return (
        Invitation.objects.filter(audience=Audience.PROVIDERS, used=False, cycle__closed_at__isnull=True)
        .order_by("pk")
        .first()
    )


def _survey_answers() -> dict:
    """Every agreement question answered "agree", a comment, and the segments the invitation knows."""
    from surveys.models import Question
    from surveys.services.responses import field_name

    invitation = _open_invitation()
    questions = Question.objects.filter(
        questionnaire__cycle=invitation.cycle, questionnaire__audience=invitation.audience
    )
    known = {
        "provider_type": invitation.provider_type_id,
        "area": invitation.area_id,
        "size": invitation.size,
    }
    answers = {}
    for question in questions:
        if question.kind == Question.Kind.AGREEMENT:
            answers[field_name(question)] = "4"
        elif question.kind == Question.Kind.FREE_TEXT:
            answers[field_name(question)] = "Meet us more often in our own area."
        elif known.get(question.segment):
            answers[field_name(question)] = str(known[question.segment])
    return answers


def _provider_question() -> dict:
    """Safeguarding for home care in the demo provider's area: what a provider most needs answered quickly."""
    area = _demo_provider().areas.order_by("name").first()
    return {"topic": "safeguarding", "area": area.slug, "service_type": "home-care"}


SCENARIOS = [
    Scenario(FLOOR, OFFICER, "floor"),
    Scenario("home (officer)", OFFICER, "home"),
    Scenario("home (director)", DIRECTOR, "home"),
    Scenario("home (provider)", PROVIDER, "home"),
    Scenario("provider list (officer)", OFFICER, "directory:provider-list"),
    Scenario("directory search", OFFICER, "directory:search", query=lambda: {"q": "safeguarding"}),
    Scenario("contact finder", PROVIDER, "directory:finder", query=_provider_question),
    Scenario(
        "provider page", OFFICER, "directory:provider-detail", url_kwargs=lambda: {"pk": _demo_provider().pk}
    ),
    Scenario("forward plan", PROVIDER, "engagement:plan"),
    Scenario("booking page", PROVIDER, "engagement:book", url_kwargs=lambda: {"pk": _bookable_forum().pk}),
    Scenario(
        "book a place",
        PROVIDER,
        "engagement:book",
        url_kwargs=lambda: {"pk": _bookable_forum().pk},
        form=lambda: {"name_1": "Bench Attendee", "email_1": "bench.attendee@provider.example.org"},
    ),
    Scenario("officer queue", OFFICER, "engagement:enquiry-queue"),
    Scenario("enquiry figures", DIRECTOR, "engagement:enquiry-figures"),
    Scenario("register", PROVIDER, "partnerships:register"),
    Scenario("pilot page", OFFICER, "partnerships:pilot", url_kwargs=lambda: {"slug": _demo_pilot().slug}),
    Scenario("directors' dashboard", DIRECTOR, "surveys:dashboard"),
    Scenario("relationship overview", DIRECTOR, "surveys:overview"),
    Scenario("sign-up coverage", DIRECTOR, "principles:coverage"),
    Scenario(
        "submit a response",
        PROVIDER,
        "surveys:respond",
        url_kwargs=lambda: {"token": _open_invitation().token},
        form=_survey_answers,
    ),
]
