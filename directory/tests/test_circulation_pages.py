"""The officers' circulation pages: the runs, starting one, a run's progress and failures, re-sending."""

import re
from datetime import date

import pytest
from django.urls import reverse

from directory.models import CirculationDelivery, CirculationRun
from directory.tests.factories import ProviderOrganisationFactory, ProviderPersonFactory
from directory.tests.factories_circulation import (
    CirculationDeliveryFactory,
    CirculationRunFactory,
    run_with_deliveries,
)
from portal import roles
from portal.tests.factories import DirectorFactory, OfficerFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

Status = CirculationDelivery.Status

# Session, user, roles, the permission check for the start button, the count, and the page of runs.
RUN_LIST_MAX_QUERIES = 7
# Session, user, roles, the run, its progress counts, the failures' count and page, and the resend permission.
RUN_DETAIL_MAX_QUERIES = 9


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer():
    return OfficerFactory(full_name="Olive Officer")


@pytest.fixture
def director():
    return DirectorFactory()


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _detail_url(run: CirculationRun) -> str:
    return reverse("directory:circulation-run-detail", args=[run.pk])


def _progress_url(run: CirculationRun) -> str:
    return reverse("directory:circulation-run-progress", args=[run.pk])


def _resend_url(run: CirculationRun) -> str:
    return reverse("directory:circulation-resend-failures", args=[run.pk])


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# The list of runs


def test_the_runs_list_shows_each_runs_version_starter_status_and_counts(officer_client, officer):
    by_hand = run_with_deliveries(
        sent=3,
        failed=2,
        pending=0,
        started_by=officer,
        status=CirculationRun.Status.COMPLETE_WITH_FAILURES,
        version__version_date=date(2025, 4, 1),
    )
    scheduled = run_with_deliveries(sent=1, pending=4, scheduled=True, version__version_date=date(2025, 7, 1))

    response = officer_client.get(reverse("directory:circulation-run-list"))

    assert response.status_code == 200
    runs = {run.pk: run for run in response.context["runs"]}
    assert (runs[by_hand.pk].sent, runs[by_hand.pk].failed, runs[by_hand.pk].pending) == (3, 2, 0)
    assert (runs[scheduled.pk].sent, runs[scheduled.pk].failed, runs[scheduled.pk].pending) == (1, 0, 4)
    page = response.content.decode()
    for expected in ("1 April 2025", "1 July 2025", "Olive Officer", "The quarterly schedule"):
        assert expected in page
    assert '<strong class="govuk-tag govuk-tag--orange">Complete with failures</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--blue">Sending</strong>' in page
    assert page.index("1 July 2025") < page.index("1 April 2025"), "the newest run comes first"


def test_the_runs_list_counts_every_runs_deliveries_in_one_query(
    officer_client, django_assert_max_num_queries
):
    for _ in range(30):
        run_with_deliveries(sent=2, failed=1, pending=1)

    with django_assert_max_num_queries(RUN_LIST_MAX_QUERIES):
        response = officer_client.get(reverse("directory:circulation-run-list"))

    assert response.status_code == 200
    assert len(response.context["runs"]) == 25
    assert {(run.sent, run.failed, run.pending) for run in response.context["runs"]} == {(2, 1, 1)}


def test_the_runs_list_is_paginated(officer_client):
    CirculationRunFactory.create_batch(27)

    response = officer_client.get(reverse("directory:circulation-run-list"), {"page": 2})

    assert len(response.context["runs"]) == 2
    assert "Page 2 of 2" in response.content.decode()


def test_the_runs_list_says_when_nothing_has_been_circulated(officer_client):
    response = officer_client.get(reverse("directory:circulation-run-list"))

    assert "The contact list has not been circulated yet." in response.content.decode()


def test_only_those_who_may_start_a_circulation_are_offered_the_button(client, officer, director):
    start_url = reverse("directory:circulation-start")

    client.force_login(officer)
    assert start_url in client.get(reverse("directory:circulation-run-list")).content.decode()
    client.force_login(director)
    response = client.get(reverse("directory:circulation-run-list"))
    assert response.status_code == 200
    assert start_url not in response.content.decode()


def test_providers_cannot_see_circulations(client):
    run = run_with_deliveries(sent=1)
    client.force_login(ProviderUserFactory())

    for url in (reverse("directory:circulation-run-list"), _detail_url(run), _progress_url(run)):
        assert client.get(url).status_code == 403


# Starting a circulation


@pytest.fixture
def county():
    """Two providers with recipients (sharing one address), one with nobody nominated, one inactive."""
    meadow = ProviderOrganisationFactory(name="Meadow Care Ltd")
    ProviderPersonFactory(provider=meadow, email="manager@meadow.example.org")
    ProviderPersonFactory(provider=meadow, email="office@shared.example.org")
    riverside = ProviderOrganisationFactory(name="Riverside Homecare Ltd")
    ProviderPersonFactory(provider=riverside, email="Office@Shared.example.org")
    nobody = ProviderOrganisationFactory(name="Nobody Nominated Care Ltd")
    ProviderPersonFactory(provider=nobody, receives_contact_list=False)
    closed = ProviderOrganisationFactory(name="Closed Care Ltd", is_active=False)
    ProviderPersonFactory(provider=closed, email="manager@closed.example.org")
    return {"meadow": meadow, "riverside": riverside, "nobody": nobody, "closed": closed}


def test_the_start_page_says_how_many_providers_and_addresses_will_be_sent_to(officer_client, county):
    response = officer_client.get(reverse("directory:circulation-start"))

    assert response.status_code == 200
    reach = response.context["reach"]
    assert reach.providers_with_recipients == 2
    assert reach.recipients == 2, "an address shared by two providers is sent to once"
    assert [provider.name for provider in reach.providers_without_recipients] == ["Nobody Nominated Care Ltd"]
    page = response.content.decode()
    assert "Nobody Nominated Care Ltd" in page
    assert "Closed Care Ltd" not in page
    assert 'id="start-circulation"' in page
    assert reverse("directory:contact-list-preview") in page


def test_the_start_page_warns_instead_of_offering_the_button_while_a_run_is_sending(officer_client):
    sending = CirculationRunFactory(version__version_date=date(2025, 10, 1))

    response = officer_client.get(reverse("directory:circulation-start"))

    page = response.content.decode()
    assert "The contact list of 1 October 2025 is still being sent." in page
    assert _detail_url(sending) in page
    assert 'id="start-circulation"' not in page


def test_starting_a_circulation_makes_the_run_and_shows_its_progress_page(officer_client, officer, county):
    response = officer_client.post(reverse("directory:circulation-start"), follow=True)

    run = CirculationRun.objects.get()
    assert response.redirect_chain == [(_detail_url(run), 302)]
    assert "The circulation has started. The contact list is being emailed to providers" in _messages(
        response
    )
    assert run.started_by == officer
    assert not run.scheduled
    assert sorted(run.deliveries.values_list("email", flat=True)) == [
        "manager@meadow.example.org",
        "office@shared.example.org",
    ]
    assert "Nobody Nominated Care Ltd" in [entry["name"] for entry in run.providers_without_recipients]
    assert response.context["progress"]["total"] == 2


def test_starting_while_another_run_is_sending_shows_the_refusal_in_an_error_summary(officer_client):
    CirculationRunFactory()

    response = officer_client.post(reverse("directory:circulation-start"))

    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<title>Error: Start a circulation", page)
    summary = page[page.index("govuk-error-summary") :]
    assert "A circulation is already being sent." in summary[: summary.index("</ul>")]
    assert CirculationRun.objects.count() == 1


def test_a_director_may_not_start_a_circulation(client, director, county):
    client.force_login(director)

    assert client.get(reverse("directory:circulation-start")).status_code == 403
    assert client.post(reverse("directory:circulation-start")).status_code == 403
    assert not CirculationRun.objects.exists()


# A run's progress page


@pytest.fixture
def run_part_sent():
    """Six deliveries: three sent, one failed, two waiting; one provider had nobody to send to."""
    nobody = ProviderOrganisationFactory(name="Nobody Nominated Care Ltd")
    run = run_with_deliveries(
        sent=3,
        pending=2,
        version__version_date=date(2026, 1, 2),
        providers_without_recipients=[
            {"id": nobody.pk, "name": nobody.name, "reason": "Nobody is nominated to receive it"}
        ],
    )
    CirculationDeliveryFactory(
        run=run,
        failed=True,
        attempts=3,
        person__full_name="Fay Failed",
        person__email="fay@bounces.example.org",
        email="fay@bounces.example.org",
        person__provider__name="Bouncing Care Ltd",
        error="SMTPRecipientsRefused: 550 Mailbox unavailable",
    )
    return run


def test_the_progress_page_shows_the_bar_and_the_counts_of_sent_failed_and_waiting(
    officer_client, run_part_sent
):
    response = officer_client.get(_detail_url(run_part_sent))

    assert response.status_code == 200
    progress = response.context["progress"]
    assert {key: progress[key] for key in ("total", "sent", "failed", "pending", "percent_done")} == {
        "total": 6,
        "sent": 3,
        "failed": 1,
        "pending": 2,
        "percent_done": 67,
    }
    page = response.content.decode()
    assert 'role="progressbar"' in page
    assert 'aria-valuenow="67"' in page
    assert 'aria-valuetext="67% done: 3 sent, 1 failed and 2 waiting, of 6"' in page
    assert 'data-bar="sent" x="0" y="0" width="50.00%"' in page
    assert 'data-bar="failed" x="50.00%" y="0" width="16.67%"' in page
    assert '<dd class="govuk-summary-list__value" data-progress="pending">2</dd>' in page
    download = reverse("directory:contact-list-version-download", args=[run_part_sent.version.pk])
    assert f'href="{download}"' in page


def test_the_progress_page_lists_failures_and_providers_with_nobody_to_send_to(officer_client, run_part_sent):
    response = officer_client.get(_detail_url(run_part_sent))

    page = response.content.decode()
    failures = page[page.index('id="failures"') : page.index('id="providers-without-recipients"')]
    for expected in ("Fay Failed", "fay@bounces.example.org", "Bouncing Care Ltd", "550 Mailbox unavailable"):
        assert expected in failures
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in failures
    assert "1 failed delivery" in failures
    report = page[page.index('id="providers-without-recipients"') :]
    assert "Nobody Nominated Care Ltd" in report
    assert "Nobody is nominated to receive it" in report


def test_without_javascript_a_sending_run_shows_its_counts_and_a_refresh_link(officer_client, run_part_sent):
    url = _detail_url(run_part_sent)

    page = officer_client.get(url).content.decode()

    assert f'<a class="govuk-link" href="{url}">Refresh' in page
    assert 'src="/static/js/circulation-progress.js"' in page
    assert f'data-progress-url="{_progress_url(run_part_sent)}"' in page
    assert 'data-status="sending"' in page
    # The strict CSP allows neither inline scripts nor style attributes.
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)
    assert " style=" not in page


def test_a_finished_run_is_not_refreshed(officer_client):
    run = run_with_deliveries(sent=4, status=CirculationRun.Status.COMPLETE)

    page = officer_client.get(_detail_url(run)).content.decode()

    assert "circulation-progress.js" not in page
    assert "Refresh" not in page
    assert '<strong class="govuk-tag govuk-tag--green">Complete</strong>' in page
    assert "No delivery has failed." in page
    assert "Every active provider had someone to send the contact list to." in page


def test_the_failures_table_is_paginated_without_a_query_per_failure(
    officer_client, django_assert_max_num_queries
):
    run = run_with_deliveries(sent=5, failed=32)

    with django_assert_max_num_queries(RUN_DETAIL_MAX_QUERIES):
        response = officer_client.get(_detail_url(run))
    second = officer_client.get(_detail_url(run), {"page": 2})

    assert len(response.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 7
    assert "32 failed deliveries" in response.content.decode()
    assert "Page 2 of 2" in second.content.decode()


def test_an_unknown_run_is_not_found(officer_client):
    assert officer_client.get(reverse("directory:circulation-run-detail", args=[999999])).status_code == 404
    assert officer_client.get(reverse("directory:circulation-run-progress", args=[999999])).status_code == 404


# The progress endpoint the page's script reads


def test_the_progress_endpoint_gives_the_counts_and_the_bars_widths_as_json(officer_client, run_part_sent):
    response = officer_client.get(_progress_url(run_part_sent))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "total": 6,
        "sent": 3,
        "failed": 1,
        "pending": 2,
        "unconfirmed": 0,
        "percent_done": 67,
        "is_finished": False,
        "status": "sending",
        "status_label": "Sending",
        "sent_width": 50.0,
        "failed_width": 16.67,
        "summary": "67% done: 3 sent, 1 failed and 2 waiting, of 6",
    }


def test_the_progress_endpoint_follows_deliveries_as_they_are_sent(officer_client, run_part_sent):
    run_part_sent.deliveries.filter(status=Status.PENDING).update(status=Status.SENT)
    CirculationRun.objects.filter(pk=run_part_sent.pk).update(
        status=CirculationRun.Status.COMPLETE_WITH_FAILURES
    )

    progress = officer_client.get(_progress_url(run_part_sent)).json()

    assert (progress["sent"], progress["pending"], progress["percent_done"]) == (5, 0, 100)
    assert progress["is_finished"] is True
    assert progress["status"] == "complete_with_failures"


def test_a_run_with_no_recipients_counts_as_done(officer_client):
    run = CirculationRunFactory(status=CirculationRun.Status.COMPLETE)

    progress = officer_client.get(_progress_url(run)).json()

    assert (progress["total"], progress["percent_done"], progress["sent_width"]) == (0, 100, 0)


# Re-sending to failures


def test_officers_are_offered_the_resend_button_only_when_something_failed(officer_client, run_part_sent):
    assert _resend_url(run_part_sent) in officer_client.get(_detail_url(run_part_sent)).content.decode()

    all_sent = run_with_deliveries(sent=2, status=CirculationRun.Status.COMPLETE)
    assert _resend_url(all_sent) not in officer_client.get(_detail_url(all_sent)).content.decode()


def test_directors_see_failures_without_the_resend_button(client, director, run_part_sent):
    client.force_login(director)

    page = client.get(_detail_url(run_part_sent)).content.decode()

    assert "Fay Failed" in page
    assert _resend_url(run_part_sent) not in page


def test_resending_puts_the_failures_back_in_the_queue(officer_client, run_part_sent):
    CirculationRun.objects.filter(pk=run_part_sent.pk).update(
        status=CirculationRun.Status.COMPLETE_WITH_FAILURES
    )

    response = officer_client.post(_resend_url(run_part_sent), follow=True)

    assert response.redirect_chain == [(_detail_url(run_part_sent), 302)]
    assert "1 failed delivery is being sent again" in _messages(response)
    run_part_sent.refresh_from_db()
    assert run_part_sent.status == CirculationRun.Status.SENDING
    assert not run_part_sent.deliveries.filter(status=Status.FAILED).exists()
    assert run_part_sent.deliveries.get(email="fay@bounces.example.org").status == Status.PENDING


def test_resending_with_nothing_failed_says_so(officer_client):
    run = run_with_deliveries(sent=2, status=CirculationRun.Status.COMPLETE)

    response = officer_client.post(_resend_url(run), follow=True)

    assert "There are no failed deliveries to send again." in _messages(response)
    run.refresh_from_db()
    assert run.status == CirculationRun.Status.COMPLETE


def test_a_director_may_not_resend(client, director, run_part_sent):
    client.force_login(director)

    assert client.post(_resend_url(run_part_sent)).status_code == 403
    assert run_part_sent.deliveries.filter(status=Status.FAILED).count() == 1


def test_resending_is_a_post_only_action(client, run_part_sent):
    client.force_login(OfficerFactory(roles=[roles.OFFICER, roles.DIRECTORY_EDITOR]))

    assert client.get(_resend_url(run_part_sent)).status_code == 405
    assert run_part_sent.deliveries.filter(status=Status.FAILED).count() == 1
