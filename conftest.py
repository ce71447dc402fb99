"""Fixtures shared by every app's tests: people in each role, a real SMTP server, real services."""

import os
import socket
import threading
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# The `start_worker` fixture: a real Celery worker on Redis.
pytest_plugins = ["tests.celery_worker"]


@pytest.fixture(autouse=True)
def _forced_sign_in_passes_the_second_step(monkeypatch):
    """`client.force_login` skips the password, so it skips the second step too; the step's own tests sign in
    through its pages, or with `tests.second_step.FORCE_LOGIN`."""
    from django.test.client import ClientMixin

    from tests.second_step import force_login_and_pass

    monkeypatch.setattr(ClientMixin, "force_login", force_login_and_pass)


def require_service(name: str, url: str | None) -> str:
    """Skip when a service is absent on a developer's machine; fail in CI, where it must be there."""
    if url:
        parsed = urlparse(url)
        try:
            with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2):
                return url
        except OSError as error:
            reason = f"{name} at {url} is not reachable: {error}"
    else:
        reason = f"{name} is not configured"
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class SmtpSink:
    """A real SMTP server on localhost that keeps what it receives."""

    host: str
    port: int
    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink(host="127.0.0.1", port=0)
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _mail_through_outbox_to_smtp(settings, smtp_sink):
    """pytest-django swaps in the in-memory mail backend; put the outbox and a real SMTP server back."""
    settings.EMAIL_BACKEND = "portal.outbox.backend.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_sink.host
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    smtp_sink.clear()
    yield


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded and generated files (contact-list PDFs) go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def provider_a(db):
    from directory.tests.factories import ProviderOrganisationFactory

    return ProviderOrganisationFactory(name="Provider A Care Ltd")


@pytest.fixture
def provider_b(db):
    from directory.tests.factories import ProviderOrganisationFactory

    return ProviderOrganisationFactory(name="Provider B Homecare Ltd")


@pytest.fixture
def users(db, provider_a, provider_b):
    """One signed-in person per role, as the permission matrix names them."""
    from portal import roles
    from portal.tests.factories import DirectorFactory, OfficerFactory, ProviderUserFactory, SuperuserFactory

    return {
        "anonymous": None,
        "provider_a": ProviderUserFactory(email="a@provider-a.example.org", provider_organisation=provider_a),
        "provider_b": ProviderUserFactory(email="b@provider-b.example.org", provider_organisation=provider_b),
        "officer": OfficerFactory(email="officer@council.example.org"),
        "editor": OfficerFactory(
            email="editor@council.example.org", roles=[roles.OFFICER, roles.DIRECTORY_EDITOR]
        ),
        "manager": OfficerFactory(
            email="manager@council.example.org", roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER]
        ),
        "director": DirectorFactory(email="director@council.example.org"),
        "superuser": SuperuserFactory(email="admin@council.example.org"),
    }


@pytest.fixture
def matrix_objects(db, provider_a, provider_b):
    """Records the permission matrix's URLs point at: provider A's private records, and council entries."""
    from directory.tests import factories
    from market.tests import matrix_market
    from principles.tests import matrix_principles

    team = factories.TeamFactory(name="Contract Management Mid")
    officer_record = factories.OfficerFactory(full_name="Morgan Matrix", team=team)
    return {
        "provider_a": provider_a,
        "provider_b": provider_b,
        "directorate": team.directorate,
        "team": team,
        "officer_record": officer_record,
        "successor": factories.OfficerFactory(full_name="Sasha Successor", team=team),
        "topic": factories.topic("safeguarding"),
        "responsibility": factories.ResponsibilityFactory(officer=officer_record, team=team),
        "provider_person_a": factories.ProviderPersonFactory(provider=provider_a),
        "proposal_a": factories.ContactProposalFactory(provider=provider_a),
        **_engagement_matrix_objects(provider_a),
        **_partnership_matrix_objects(provider_a, officer_record),
        **_survey_matrix_objects(),
        **matrix_principles.matrix_objects(provider_a=provider_a, officer_record=officer_record),
        **matrix_market.matrix_objects(provider_a=provider_a, officer_record=officer_record),
    }


def _survey_matrix_objects() -> dict:
    """An open cycle with both questionnaires, an unused invitation, and a closed cycle of last year."""
    import datetime as dt

    from django.utils import timezone

    from surveys.models import Audience
    from surveys.tests import factories

    today = timezone.localdate()
    cycle = factories.SurveyCycleFactory(year=today.year)
    provider_questionnaire = factories.QuestionnaireFactory(cycle=cycle, audience=Audience.PROVIDERS)
    factories.AgreementQuestionFactory(questionnaire=provider_questionnaire)
    officer_questionnaire = factories.QuestionnaireFactory(cycle=cycle, audience=Audience.OFFICERS)
    factories.AgreementQuestionFactory(questionnaire=officer_questionnaire)
    last_year = factories.SurveyCycleFactory(
        year=today.year - 1,
        opens_on=today - dt.timedelta(days=400),
        closes_on=today - dt.timedelta(days=370),
    )
    return {
        "cycle": cycle,
        "closed_cycle": last_year,
        "provider_questionnaire": provider_questionnaire,
        "officer_questionnaire": officer_questionnaire,
        "question": provider_questionnaire.questions.get(),
        "invitation": factories.InvitationFactory(cycle=cycle),
    }


def _partnership_matrix_objects(provider_a, officer_record) -> dict:
    """A published pilot with provider A as a partner, each of its records, and a draft pilot."""
    import datetime as dt

    from django.utils import timezone

    from partnerships.tests import factories

    pilot = factories.PartnershipPilotFactory(title="Discharge to assess", lead_officer=officer_record)
    evaluation = factories.EvaluationFactory(pilot=pilot)
    # Open today, whatever checks other tests in the run made before (the factory's dates step back a quarter each).
    opened_on = timezone.localdate()
    check = factories.RelationshipCheckFactory(
        pilot=pilot, opened_on=opened_on, closes_on=opened_on + dt.timedelta(days=21)
    )
    return {
        "pilot": pilot,
        "draft_pilot": factories.PartnershipPilotFactory(title="Draft pilot", is_published=False),
        "partner_a": factories.ProviderPartnerFactory(pilot=pilot, provider=provider_a),
        "other_partner": factories.OtherPartnerFactory(pilot=pilot),
        "objective": factories.ObjectiveFactory(pilot=pilot, owner=officer_record),
        "milestone": factories.MilestoneFactory(pilot=pilot),
        "risk": factories.RiskFactory(pilot=pilot, owner=officer_record),
        "internal_risk": factories.RiskFactory(pilot=pilot, owner=officer_record, is_internal=True),
        "progress_entry": factories.ProgressEntryFactory(pilot=pilot),
        "evaluation": evaluation,
        "draft_evaluation": factories.EvaluationFactory(pilot=pilot, point="end", is_published=False),
        "lesson": factories.LessonFactory(evaluation=evaluation),
        "relationship_check": check,
    }


def _engagement_matrix_objects(provider_a) -> dict:
    from engagement.tests import factories

    group = factories.EngagementGroupFactory(name="Mid Provider Forum")
    activity = factories.ActivityFactory(group=group, bookable=True)
    return {
        "group": group,
        "terms": factories.TermsOfReferenceFactory(group=group),
        "activity": activity,
        "booking_a": factories.BookingFactory(activity=activity, provider=provider_a),
    }
