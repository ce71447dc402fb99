"""The relationship survey in a real Chromium: a provider answers from its invitation link with the keyboard only,
and a director sees the new response counted on the dashboard."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from portal.tests.factories import DirectorFactory
from surveys.models import Answer, Audience, Question, Response, SentAnswers
from surveys.services.cycles import cycle_create
from surveys.tests.factories import InvitationFactory, ResponseFactory
from tests.browser.test_sign_in_accessibility import (
    assert_loaded_cleanly_and_accessible,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALREADY_ANSWERED = 12
# Sent answers are filed as responses ten at a time (settings.SURVEY_FILING_GROUP): nine others are waiting.
WAITING = 9


@pytest.fixture
def cycle():
    today = timezone.localdate()
    cycle = cycle_create(
        year=today.year,
        opens_on=today - dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=21),
        response_rate_target=50,
        created_by=None,
    )
    for audience in Audience.values:
        ResponseFactory.create_batch(
            ALREADY_ANSWERED, questionnaire=cycle.questionnaires.get(audience=audience)
        )
    providers = cycle.questionnaires.get(audience=Audience.PROVIDERS)
    SentAnswers.objects.bulk_create(SentAnswers(questionnaire=providers) for _ in range(WAITING))
    return cycle


def _tab_to(page: Page, target: Locator, *, most: int = 200) -> None:
    """Press Tab until `target` has the focus, as someone with a keyboard would."""
    for _ in range(most):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {target}")


def test_provider_answers_with_the_keyboard_and_a_director_sees_it_counted(live_server, watched_page, cycle):
    page = watched_page.page
    invitation = InvitationFactory(cycle=cycle, audience=Audience.PROVIDERS)
    questions = list(
        cycle.questionnaires.get(audience=Audience.PROVIDERS).questions.filter(kind=Question.Kind.AGREEMENT)
    )

    page.goto(f"{live_server.url}/surveys/answer/{invitation.token}/")
    assert_loaded_cleanly_and_accessible(watched_page)
    for question in questions:
        group = page.get_by_role("group", name=question.text)
        # Tab reaches a radio group at its first choice; the arrow keys move along it: "Agree" is the fourth.
        _tab_to(page, group.get_by_role("radio").first)
        for _ in range(3):
            page.keyboard.press("ArrowDown")
        expect(group.get_by_label("Agree", exact=True)).to_be_checked()
    comment = page.get_by_role("textbox").first
    _tab_to(page, comment)
    page.keyboard.type("Meet us more often in our own area.")
    _tab_to(page, page.get_by_role("button", name="Send your answers"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")
    assert_loaded_cleanly_and_accessible(watched_page)
    invitation.refresh_from_db()
    assert invitation.used and invitation.draft is None
    # Its answers were filed with the nine waiting, as one group of ten.
    assert Response.objects.filter(audience=Audience.PROVIDERS).count() == ALREADY_ANSWERED + WAITING + 1
    assert not SentAnswers.objects.exists()
    assert Answer.objects.filter(score=4).count() == len(questions)

    director = DirectorFactory(email="dana@council.example.org")
    sign_in(page, live_server, director.email)
    page.goto(f"{live_server.url}/surveys/dashboard/")
    counted = page.locator(".govuk-summary-list__row", has_text="Responses from providers")
    expect(counted).to_contain_text(str(ALREADY_ANSWERED + WAITING + 1))
    assert_loaded_cleanly_and_accessible(watched_page)
