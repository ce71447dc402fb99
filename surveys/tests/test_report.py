"""A cycle's results report as a PDF: response rates and scores by theme, small groups left out, no free text."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.tests.factories import DirectorFactory
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from surveys.models import Audience
from surveys.report import report_html
from surveys.tests.factories import InvitationFactory
from surveys.tests.test_overview import cycle_closed_in, responses

pytestmark = pytest.mark.django_db

SECRET = "The commissioning manager ignores our emails"


@pytest.fixture
def cycle(settings):
    """Twelve providers scoring 4 out of 20 invited; three officers scoring 2, too few to show."""
    settings.SURVEY_MINIMUM_GROUP_SIZE = 10
    cycle = cycle_closed_in(timezone.localdate().year - 1)
    for _ in range(20):
        InvitationFactory(cycle=cycle, audience=Audience.PROVIDERS)
    for _ in range(7):
        InvitationFactory(cycle=cycle, audience=Audience.OFFICERS)
    responses(cycle, Audience.PROVIDERS, score=4, count=12, comment=SECRET)
    responses(cycle, Audience.OFFICERS, score=2, count=3, comment=SECRET)
    return cycle


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_director_gets_the_report_as_a_pdf(client, cycle):
    client.force_login(DirectorFactory())

    response = client.get(reverse("surveys:report", kwargs={"year": cycle.year}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert f"Relationship survey {cycle.year}" in text
    assert "Response rates" in text
    assert "Scores by theme" in text


def test_the_report_shows_large_groups_and_leaves_out_small_ones_and_every_comment(client, cycle):
    client.force_login(DirectorFactory())

    text = _text(client.get(reverse("surveys:report", kwargs={"year": cycle.year})).content)

    assert "4.0" in text  # the providers' mean, theme by theme
    assert "60%" in text  # 12 of 20 providers
    assert "2.0" not in text  # the officers' mean
    assert "43%" not in text  # 3 of 7 officers
    assert "Fewer than 10" in text
    assert SECRET not in text


def test_the_total_is_left_out_when_it_would_give_away_a_small_group(cycle):
    html = report_html(cycle)

    # 15 responded in all: less the providers' 12, it would give the officers' 3.
    assert ">15<" not in html
    assert ">12<" in html
    assert ">3<" not in html


def test_a_cycle_with_no_responses_says_there_is_nothing_to_show(client):
    cycle = cycle_closed_in(timezone.localdate().year - 3)
    client.force_login(DirectorFactory())

    response = client.get(reverse("surveys:report", kwargs={"year": cycle.year}))

    assert response.content.startswith(b"%PDF")
    assert "No scores can be shown yet" in _text(response.content)


def test_a_year_with_no_cycle_is_not_found(client):
    client.force_login(DirectorFactory())

    assert client.get(reverse("surveys:report", kwargs={"year": 1999})).status_code == 404


def test_officers_cannot_get_the_report(client, cycle):
    client.force_login(CouncilUserFactory())

    assert client.get(reverse("surveys:report", kwargs={"year": cycle.year})).status_code == 403


def test_the_report_reads_the_same_number_of_times_however_many_responses(
    cycle, django_assert_max_num_queries
):
    # Invitations, responses and scores by theme: one query each.
    with django_assert_max_num_queries(3):
        report_html(cycle)
    responses(cycle, Audience.OFFICERS, score=2, count=30)
    with django_assert_max_num_queries(3):
        html = report_html(cycle)
    assert "2.0" in html
