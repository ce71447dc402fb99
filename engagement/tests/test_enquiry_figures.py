"""Enquiry figures for directors: per month and by topic, area and type of service, counted by the database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.tests import factories as directory_factories
from engagement.models import Enquiry
from engagement.selectors.enquiry_figures import NOT_GIVEN, Figures, enquiry_figures
from engagement.selectors.plan import month_start
from engagement.tests.factories_enquiries import EnquiryFactory
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db


LONDON = ZoneInfo("Europe/London")
# Session, user, roles, the kept figures with whether any enquiry changed since, and the names of the topics,
# areas and service types.
FIGURES_MAX_QUERIES = 5
# A visit after enquiries changed also asks for them to be counted again; with tasks in-process (as in tests) the
# count (one query with grouping sets) and keeping it happen during the visit.
COUNTING_MAX_QUERIES = 16
# A Friday.
TODAY = dt.date(2027, 1, 15)


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _enquiry(raised_at: dt.datetime, **fields) -> Enquiry:
    """An enquiry raised at `raised_at`: created_at is set by the database on insert, so it is moved after."""
    fields.setdefault("raised_by", None)
    if fields.get("resolved_at"):
        fields.setdefault("status", Enquiry.Status.RESOLVED)
    enquiry = EnquiryFactory(**fields)
    Enquiry.objects.filter(pk=enquiry.pk).update(created_at=raised_at)
    return enquiry


@pytest.fixture
def december():
    """Enquiries either side of Christmas 2026, when the 25th (Friday) and 28th (Monday) are bank holidays."""
    safeguarding, quality = directory_factories.topic("safeguarding"), directory_factories.topic("quality")
    mid, south = directory_factories.area("mid"), directory_factories.area("south")
    home_care = directory_factories.service_type("home-care")
    # Raised on Christmas Eve, answered on the next working day: the 29th.
    _enquiry(
        _at(dt.date(2026, 12, 24)),
        topic=safeguarding,
        area=mid,
        service_type=home_care,
        due_on=dt.date(2026, 12, 30),
        first_response_at=_at(dt.date(2026, 12, 29)),
        resolved_at=_at(dt.date(2026, 12, 30), 16),
    )
    # Answered after four working days, resolved after its promised date.
    _enquiry(
        _at(dt.date(2026, 12, 7)),
        area=south,
        due_on=dt.date(2026, 12, 18),
        first_response_at=_at(dt.date(2026, 12, 11)),
        resolved_at=_at(dt.date(2026, 12, 21)),
    )
    # Never answered: overdue now.
    _enquiry(_at(dt.date(2026, 12, 15)), area=mid, due_on=dt.date(2027, 1, 5))
    # Waiting for the provider: past its date, but the clock is paused.
    _enquiry(
        _at(dt.date(2026, 12, 1)),
        topic=quality,
        due_on=dt.date(2026, 12, 10),
        first_response_at=_at(dt.date(2026, 12, 2)),
        status=Enquiry.Status.AWAITING_PROVIDER,
        paused_since=_at(dt.date(2026, 12, 2)),
    )
    # Raised this month, not due yet.
    _enquiry(_at(dt.date(2027, 1, 12)), area=mid, due_on=dt.date(2027, 1, 26))
    # Raised before the months asked about, and overdue.
    _enquiry(_at(dt.date(2026, 10, 30)), due_on=dt.date(2026, 11, 13))


def _figures(**months) -> object:
    return enquiry_figures(
        first_month=months.get("first_month", dt.date(2026, 11, 1)),
        last_month=months.get("last_month", dt.date(2027, 1, 1)),
        today=TODAY,
    )


def test_each_month_counts_the_enquiries_raised_in_it(december):
    figures = _figures()

    assert [(line.month, line.figures) for line in figures.months] == [
        (dt.date(2026, 11, 1), Figures()),
        (
            dt.date(2026, 12, 1),
            # Resolved by the promised date: one of the three whose outcome is known (two resolved, one overdue).
            # First responses after 1 (over Christmas), 4 and 1 working days.
            Figures(raised=4, within_target=1, decided=3, median_days=1.0, overdue_now=1),
        ),
        (dt.date(2027, 1, 1), Figures(raised=1, within_target=0, decided=0, median_days=None, overdue_now=0)),
    ]
    assert [line.label for line in figures.months] == ["November 2026", "December 2026", "January 2027"]


def test_the_totals_cover_the_months_and_overdue_counts_everywhere(december):
    figures = _figures()

    assert figures.total == Figures(raised=5, within_target=1, decided=3, median_days=1.0, overdue_now=1)
    assert figures.total.within_target_percent == 33
    assert figures.overdue_anywhere == 2


def test_the_figures_are_broken_down_by_topic_area_and_type_of_service(december):
    figures = _figures()

    assert [(line.label, line.figures.raised) for line in figures.by_topic] == [
        ("Payments and invoices", 3),
        ("Quality", 1),
        ("Safeguarding", 1),
    ]
    assert [(line.label, line.figures.raised, line.figures.overdue_now) for line in figures.by_area] == [
        ("Mid", 3, 1),
        ("South", 1, 0),
        (NOT_GIVEN, 1, 0),
    ]
    assert [(line.label, line.figures.raised) for line in figures.by_service_type] == [
        ("Home care", 1),
        (NOT_GIVEN, 4),
    ]
    safeguarding = figures.by_topic[2].figures
    assert (safeguarding.within_target_percent, safeguarding.median_days) == (100, 1.0)


def test_the_median_of_an_even_number_is_halfway_between_the_middle_two():
    monday = dt.date(2026, 6, 1)
    for answered in (dt.date(2026, 6, 2), dt.date(2026, 6, 4)):
        _enquiry(_at(monday), due_on=dt.date(2026, 6, 15), first_response_at=_at(answered))

    figures = enquiry_figures(first_month=monday, last_month=monday, today=dt.date(2026, 6, 30))

    assert figures.total.median_days == 2.0
    _enquiry(_at(monday), due_on=dt.date(2026, 6, 15), first_response_at=_at(dt.date(2026, 6, 8)))
    _enquiry(_at(monday), due_on=dt.date(2026, 6, 15), first_response_at=_at(dt.date(2026, 6, 8)))
    # 1, 3, 5 and 5 working days (the weekend of the 6th and 7th not counted).
    figures = enquiry_figures(first_month=monday, last_month=monday, today=dt.date(2026, 6, 30))
    assert figures.total.median_days == 4.0


def test_an_enquiry_counts_in_the_month_it_was_raised_in_london():
    # 31 July 23:30 in London is still July; 1 August 00:30 in London is 31 July 23:30 UTC.
    _enquiry(_at(dt.date(2026, 7, 31), 23, 30), due_on=dt.date(2026, 8, 14))
    _enquiry(_at(dt.date(2026, 8, 1), 0, 30), due_on=dt.date(2026, 8, 14))

    figures = enquiry_figures(
        first_month=dt.date(2026, 7, 1), last_month=dt.date(2026, 8, 1), today=dt.date(2026, 8, 3)
    )

    assert [line.figures.raised for line in figures.months] == [1, 1]


def test_the_figures_are_counted_again_once_an_enquiry_changes(django_assert_num_queries):
    monday = dt.date(2026, 6, 1)
    enquiry = _enquiry(_at(monday), due_on=dt.date(2026, 6, 15))

    def figures():
        return enquiry_figures(first_month=monday, last_month=monday, today=dt.date(2026, 6, 30))

    assert figures().total.decided == 1
    # Unchanged: the kept figures are read with whether anything changed since, then the names.
    with django_assert_num_queries(2):
        assert figures().total.within_target == 0
    enquiry.refresh_from_db()
    enquiry.status, enquiry.resolved_at = Enquiry.Status.RESOLVED, _at(dt.date(2026, 6, 12))
    enquiry.first_response_at = enquiry.resolved_at
    enquiry.save()

    assert (figures().total.within_target, figures().total.median_days) == (1, 9.0)


def test_months_with_no_enquiries_still_show_with_nothing_counted():
    figures = enquiry_figures(first_month=dt.date(2026, 1, 1), last_month=dt.date(2026, 3, 1), today=TODAY)

    assert [line.figures for line in figures.months] == [Figures()] * 3
    assert figures.total == Figures()
    assert figures.total.within_target_percent is None
    assert figures.by_topic == []


# The page


def _page(client, **query):
    return client.get(reverse("engagement:enquiry-figures"), query)


def test_directors_see_the_last_twelve_months_by_default_with_a_chart_and_tables(client):
    today = timezone.localdate()
    _enquiry(timezone.now(), due_on=today + dt.timedelta(days=14))
    client.force_login(DirectorFactory())

    response = _page(client)

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.first_month, figures.last_month) == (month_start(today, -11), month_start(today))
    assert len(figures.months) == 12
    assert figures.months[-1].figures.raised == 1
    page = response.content.decode()
    assert 'role="img" aria-labelledby="chart-title chart-description"' in page
    assert f"{today:%B %Y}: 1 raised, 0 answered within target" in page
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Figures by month</caption>' in page
    assert page.count('<th scope="row" class="govuk-table__header">') == 12 + 1 + 1 + 1
    assert f"Counted at {timezone.localtime(figures.counted_at):%H:%M}" in page
    assert "being counted again" not in page
    assert "<script" not in page.split('id="main-content"')[1].split("</main>")[0]


def test_the_months_can_be_chosen(client):
    last_month = month_start(timezone.localdate(), -1)
    _enquiry(_at(last_month + dt.timedelta(days=3)), due_on=last_month + dt.timedelta(days=20))
    _enquiry(_at(month_start(last_month, -1)), due_on=last_month)
    client.force_login(CouncilUserFactory())

    response = _page(client, start=f"{last_month:%Y-%m}", end=f"{last_month:%Y-%m}")

    figures = response.context["figures"]
    assert [line.month for line in figures.months] == [last_month]
    assert figures.total.raised == 1
    assert f"{last_month:%B %Y}: 1 raised, 0 answered within target" in response.content.decode()


def test_months_the_wrong_way_round_are_an_error_and_the_default_months_are_shown(client):
    client.force_login(DirectorFactory())

    response = _page(client, start=f"{timezone.localdate():%Y-%m}", end="2025-12")

    assert "The last month must be the same as or after the first month" in response.content.decode()
    assert len(response.context["figures"].months) == 12


def test_providers_cannot_see_the_figures(client, provider_a):
    client.force_login(ProviderUserFactory(provider_organisation=provider_a))

    assert _page(client).status_code == 403


def test_the_figures_page_does_not_read_more_with_more_enquiries(client, django_assert_max_num_queries):
    today = timezone.localdate()
    topics = [
        directory_factories.topic(slug) for slug in ("safeguarding", "quality", "payments-and-invoices")
    ]
    areas = [directory_factories.area(slug) for slug in ("mid", "south", "west")]
    client.force_login(DirectorFactory())
    for rows in (3, 30):
        for index in range(rows - Enquiry.objects.count()):
            raised = timezone.now() - dt.timedelta(days=11 * index)
            _enquiry(
                raised,
                topic=topics[index % 3],
                area=areas[index % 3],
                due_on=timezone.localdate(raised) + dt.timedelta(days=14),
                first_response_at=raised + dt.timedelta(days=1 + index % 4),
            )
        with django_assert_max_num_queries(COUNTING_MAX_QUERIES):
            response = _page(client)
        with django_assert_max_num_queries(FIGURES_MAX_QUERIES):
            assert _page(client).context["figures"] == response.context["figures"]
        assert response.status_code == 200
        counted = sum(line.figures.raised for line in response.context["figures"].months)
        raised_in_range = Enquiry.objects.filter(
            created_at__gte=dt.datetime.combine(month_start(today, -11), dt.time(), tzinfo=LONDON)
        ).count()
        assert counted == raised_in_range > 0


def test_the_portable_count_for_sqlite_gives_the_same_rows_as_the_query(december):
    from engagement.selectors import enquiry_figures as selectors

    months = {"first_month": dt.date(2026, 11, 1), "last_month": dt.date(2027, 1, 1), "today": TODAY}

    def comparable(rows):
        return sorted(tuple(-1 if value is None else float(value) for value in row) for row in rows)

    assert comparable(selectors._count_portable(**months)) == comparable(selectors._count(**months))


def test_while_a_count_is_pending_visits_show_the_kept_figures_and_do_not_ask_again():
    from engagement.models import KeptEnquiryFigures

    monday = dt.date(2026, 6, 1)
    enquiry = _enquiry(_at(monday), due_on=dt.date(2026, 6, 15))
    months = {"first_month": monday, "last_month": monday, "today": dt.date(2026, 6, 30)}
    assert enquiry_figures(**months).total.within_target == 0
    asked_at = timezone.now()
    KeptEnquiryFigures.objects.update(refresh_requested_at=asked_at)  # the worker has not got to it yet
    enquiry.status, enquiry.resolved_at = Enquiry.Status.RESOLVED, _at(dt.date(2026, 6, 12))
    enquiry.save()

    figures = enquiry_figures(**months)

    assert figures.total.within_target == 0, "the kept figures, not a count during the visit"
    assert figures.up_to_date is False
    assert KeptEnquiryFigures.objects.get().refresh_requested_at == asked_at


def test_the_nightly_count_keeps_the_default_months_for_the_day_and_forgets_old_days():
    from engagement.models import KeptEnquiryFigures
    from engagement.services.enquiry_figures import enquiry_figures_keep
    from engagement.tasks import count_enquiry_figures_for_the_day

    _enquiry(_at(dt.date(2026, 12, 7)), due_on=dt.date(2026, 12, 18))
    old = enquiry_figures_keep(
        first_month=dt.date(2026, 1, 1), last_month=dt.date(2026, 1, 1), today=TODAY - dt.timedelta(days=8)
    )

    count_enquiry_figures_for_the_day.delay(TODAY.isoformat())

    kept = KeptEnquiryFigures.objects.get()
    assert kept.pk != old.pk
    assert (kept.first_month, kept.last_month, kept.today) == (
        dt.date(2026, 2, 1),
        dt.date(2027, 1, 1),
        TODAY,
    )
    assert (
        enquiry_figures(first_month=kept.first_month, last_month=kept.last_month, today=TODAY).total.raised
        == 1
    )
