"""The relationship checks' pages: opening a round, answering it, and the trend, with who sees what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import RelationshipCheck, RelationshipCheckResponse, Stage
from partnerships.tests.factories import (
    OtherPartnerFactory,
    PartnershipPilotFactory,
    ProviderPartnerFactory,
    RelationshipCheckFactory,
    RelationshipCheckRatingFactory,
    RelationshipCheckResponseFactory,
)
from portal.models import OutboxMessage
from portal.relationship_themes import RelationshipTheme
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

THEMES = RelationshipTheme.values
# Session, user, groups and permissions, the pilot, its rounds with counts, two averages, the open round, the
# visitor's partner (or the comments), and the page's own bits: the same however many rounds and responses.
TREND_MAX_QUERIES = 11


def today() -> dt.date:
    return timezone.localdate()


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _signed_in(client, user):
    client.force_login(user)
    return client


def _answers(value: int = 4, **overrides) -> dict[str, str]:
    return {**{theme: str(value) for theme in THEMES}, **{key: str(item) for key, item in overrides.items()}}


def _response(check_round, partner, *, rating: int, comment: str = "") -> RelationshipCheckResponse:
    response = RelationshipCheckResponseFactory(check_round=check_round, partner=partner, comment=comment)
    for theme in THEMES:
        RelationshipCheckRatingFactory(response=response, theme=theme, rating=rating)
    return response


@pytest.fixture
def pilot(provider_a):
    pilot = PartnershipPilotFactory(title="Home first", stage=Stage.IN_DELIVERY)
    ProviderPartnerFactory(pilot=pilot, provider=provider_a)
    return pilot


@pytest.fixture
def partner_a(pilot, provider_a):
    return pilot.partners.get(provider=provider_a)


@pytest.fixture
def open_round(pilot):
    return RelationshipCheckFactory(
        pilot=pilot, opened_on=today() - dt.timedelta(days=1), closes_on=today() + dt.timedelta(days=20)
    )


def _respond_url(check_round) -> str:
    return reverse("partnerships:check-respond", args=[check_round.pilot.slug, check_round.pk])


def _trend_url(pilot) -> str:
    return reverse("partnerships:relationship", args=[pilot.slug])


# Opening a round


def test_an_officer_opens_a_round_from_the_form(client, users, pilot, provider_a):
    ProviderUserFactory(provider_organisation=provider_a, email="manager@provider-a.example.org")
    client = _signed_in(client, users["officer"])
    form = client.get(reverse("partnerships:check-open", args=[pilot.slug]))
    assert form.context["form"].initial["opened_on"] == today()

    response = client.post(
        reverse("partnerships:check-open", args=[pilot.slug]),
        {**_date("opened_on", today()), **_date("closes_on", today() + dt.timedelta(days=21))},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == _trend_url(pilot)
    check_round = RelationshipCheck.objects.get()
    assert check_round.opened_by == users["officer"]
    assert "Round opened: partners have been emailed" in response.content.decode()
    assert OutboxMessage.objects.filter(recipients__contains=["manager@provider-a.example.org"]).exists()


def test_opening_shows_each_refusal_as_a_form_error(client, users, pilot, open_round):
    client = _signed_in(client, users["officer"])
    url = reverse("partnerships:check-open", args=[pilot.slug])

    before = client.post(url, {**_date("opened_on", today()), **_date("closes_on", today())})
    still_open = client.post(
        url, {**_date("opened_on", today()), **_date("closes_on", today() + dt.timedelta(days=9))}
    )

    assert before.context["form"].errors["closes_on"] == ["The closing date must be after the opening date"]
    assert "is open until" in still_open.context["form"].non_field_errors()[0]
    assert 'id="still-open"' in still_open.content.decode()
    assert RelationshipCheck.objects.count() == 1


def test_the_open_form_warns_when_the_pilot_cannot_have_a_round(client, users):
    pilot = PartnershipPilotFactory(stage=Stage.CLOSED)

    response = _signed_in(client, users["officer"]).get(reverse("partnerships:check-open", args=[pilot.slug]))

    assert 'id="not-checkable"' in response.content.decode()


# Answering


def test_a_provider_partner_rates_every_theme_and_is_told_answering_again_replaces_it(
    client, users, pilot, partner_a, open_round
):
    client = _signed_in(client, users["provider_a"])
    page = client.get(_respond_url(open_round)).content.decode()
    assert "answers again before the round closes, the new answer replaces the earlier one" in page
    assert "respondent" not in page

    response = client.post(_respond_url(open_round), {**_answers(4, trust=2), "comment": "Open and honest."})

    assert response.status_code == 302
    saved = RelationshipCheckResponse.objects.get()
    assert (saved.partner, saved.given_by, saved.comment) == (
        partner_a,
        users["provider_a"],
        "Open and honest.",
    )
    assert saved.ratings.get(theme="trust").rating == 2


def test_the_provider_sees_its_earlier_answer_and_sending_again_replaces_it(
    client, users, partner_a, open_round
):
    _response(open_round, partner_a, rating=2, comment="Slow to start.")
    client = _signed_in(client, users["provider_a"])

    page = client.get(_respond_url(open_round))
    assert page.context["form"].initial["trust"] == 2
    assert 'id="answered"' in page.content.decode()
    response = client.post(_respond_url(open_round), _answers(5), follow=True)

    assert "replacing the earlier ones" in response.content.decode()
    saved = RelationshipCheckResponse.objects.get()
    assert set(saved.ratings.values_list("rating", flat=True)) == {5}
    assert saved.comment == ""


def test_each_missing_theme_gets_its_own_message(client, users, partner_a, open_round):
    answers = _answers(3)
    del answers["trust"], answers["responsiveness"]

    response = _signed_in(client, users["provider_a"]).post(_respond_url(open_round), answers)

    errors = response.context["form"].errors
    assert errors["trust"] == ["Rate “trust” from 1 to 5"]
    assert errors["responsiveness"] == ["Rate “responsiveness to each other's needs” from 1 to 5"]
    assert "govuk-error-summary" in response.content.decode()
    assert not RelationshipCheckResponse.objects.exists()


@pytest.mark.parametrize(
    ("opened", "closes", "refusal"),
    [(-30, -2, "closed on"), (2, 20, "opens on")],
    ids=["closed", "not yet open"],
)
def test_a_round_closed_or_not_yet_open_is_refused_clearly(
    client, users, pilot, partner_a, opened, closes, refusal
):
    check_round = RelationshipCheckFactory(
        pilot=pilot,
        opened_on=today() + dt.timedelta(days=opened),
        closes_on=today() + dt.timedelta(days=closes),
    )
    client = _signed_in(client, users["provider_a"])

    page = client.get(_respond_url(check_round))
    posted = client.post(_respond_url(check_round), _answers(4))

    assert refusal in page.content.decode()
    main_content = page.content.decode().split('id="main-content"')[1].split("</main>")[0]
    assert "<form" not in main_content
    assert posted.status_code == 200
    assert refusal in posted.content.decode()
    assert not RelationshipCheckResponse.objects.exists()


def test_a_provider_that_is_not_a_partner_gets_a_404(client, users, open_round):
    response = _signed_in(client, users["provider_b"]).post(_respond_url(open_round), _answers(4))

    assert response.status_code == 404
    assert not RelationshipCheckResponse.objects.exists()


def test_a_round_of_a_draft_pilot_is_a_404_for_its_provider_partner(client, users, provider_a):
    draft = PartnershipPilotFactory(is_published=False)
    ProviderPartnerFactory(pilot=draft, provider=provider_a)
    check_round = RelationshipCheckFactory(
        pilot=draft, opened_on=today(), closes_on=today() + dt.timedelta(days=9)
    )

    assert _signed_in(client, users["provider_a"]).get(_respond_url(check_round)).status_code == 404


def test_the_round_must_belong_to_the_pilot_in_the_address(client, users, partner_a, open_round):
    other = PartnershipPilotFactory()
    url = reverse("partnerships:check-respond", args=[other.slug, open_round.pk])

    assert _signed_in(client, users["officer"]).get(url).status_code == 404


def test_council_staff_answer_for_the_council_or_record_a_partner_that_is_not_a_provider(
    client, users, pilot, open_round
):
    trust = OtherPartnerFactory(pilot=pilot, organisation_name="County Hospitals")
    client = _signed_in(client, users["officer"])
    choices = dict(client.get(_respond_url(open_round)).context["form"].fields["respondent"].choices)
    assert list(choices.values()) == ["The council", "County Hospitals (NHS hospital or community trust)"]

    client.post(_respond_url(open_round), {**_answers(3), "respondent": "council"})
    client.post(
        _respond_url(open_round), {**_answers(5), "respondent": str(trust.pk), "comment": "Told by phone"}
    )

    saved = dict(RelationshipCheckResponse.objects.values_list("partner", "comment"))
    assert saved == {None: "", trust.pk: "Told by phone"}
    asked = client.get(_respond_url(open_round) + f"?for={trust.pk}")
    assert asked.context["form"].initial["respondent"] == str(trust.pk)
    assert asked.context["form"].initial["trust"] == 5


def test_council_staff_cannot_pick_a_provider_partner_to_answer_for(client, users, partner_a, open_round):
    response = _signed_in(client, users["officer"]).post(
        _respond_url(open_round), {**_answers(3), "respondent": str(partner_a.pk)}
    )

    assert response.context["form"].errors["respondent"] == [
        "Choose the council or one of the partners listed"
    ]


def test_the_director_may_look_but_not_answer(client, users, open_round):
    client = _signed_in(client, users["director"])

    assert client.get(_respond_url(open_round)).status_code == 403
    assert client.get(_trend_url(open_round.pilot)).status_code == 200


# The trend


@pytest.fixture
def history(pilot, partner_a, provider_b):
    """Three rounds: the first answered by two partners and the council, the second by one partner, the third open."""
    partner_b = ProviderPartnerFactory(pilot=pilot, provider=provider_b)
    first, second = (
        RelationshipCheckFactory(
            pilot=pilot,
            opened_on=today() - dt.timedelta(days=days),
            closes_on=today() - dt.timedelta(days=days - 21),
        )
        for days in (200, 100)
    )
    _response(first, partner_a, rating=2, comment="Provider A: the invoices are late.")
    _response(first, partner_b, rating=4, comment="Provider B: good meetings.")
    _response(first, None, rating=3, comment="Council: early days.")
    _response(second, partner_a, rating=5, comment="Provider A: much better.")
    RelationshipCheckFactory(
        pilot=pilot, opened_on=today() - dt.timedelta(days=1), closes_on=today() + dt.timedelta(days=20)
    )
    return first, second


def test_council_staff_see_averages_per_side_and_every_comment(client, users, pilot, history):
    response = _signed_in(client, users["officer"]).get(_trend_url(pilot))

    first, second = response.context["trend"].answered_rounds
    assert (first.partners_overall, first.council_overall, first.responses) == (
        Decimal("3.0"),
        Decimal("3.0"),
        3,
    )
    assert (second.partners_overall, second.council_overall, second.responses) == (Decimal("5.0"), None, 1)
    page = response.content.decode()
    for comment in (
        "Provider A: the invoices are late.",
        "Provider B: good meetings.",
        "Council: early days.",
    ):
        assert comment in page
    assert "<svg" in page
    assert 'id="overall"' in page


def test_providers_see_averages_only_never_a_partners_ratings_or_comments(client, users, pilot, history):
    response = _signed_in(client, users["provider_b"]).get(_trend_url(pilot))

    first, second = response.context["trend"].answered_rounds
    assert first.partners_overall == Decimal("3.0")
    # Only provider A answered the second round: its "average" would be provider A's own ratings.
    assert second.partners_withheld
    assert second.partners_overall is None
    assert {theme.partners for theme in second.themes} == {None}
    assert response.context["trend"].comments == []
    page = response.content.decode()
    for comment in ("invoices are late", "good meetings", "early days", "much better"):
        assert comment not in page
    assert "Not shown" in page
    assert "5.0" not in page


def test_a_partner_provider_is_pointed_to_the_open_round(client, users, pilot, history):
    page = _signed_in(client, users["provider_a"]).get(_trend_url(pilot)).content.decode()

    assert "Answer the relationship check" in page
    assert "Open a round" not in page


def test_the_trend_shows_a_table_per_theme_across_the_answered_rounds(client, users, pilot, history):
    response = _signed_in(client, users["officer"]).get(_trend_url(pilot))

    themes = response.context["trend"].themes
    assert [theme.label for theme in themes] == RelationshipTheme.labels
    assert all(len(theme.rows) == 2 for theme in themes)
    assert response.content.decode().count('data-theme="') == len(THEMES)


def test_the_trend_has_an_empty_state_before_anyone_answers(client, users, pilot, open_round):
    response = _signed_in(client, users["officer"]).get(_trend_url(pilot))

    page = response.content.decode()
    assert 'id="no-answers"' in page
    assert "<svg" not in page
    assert response.context["chart"] is None


def test_providers_do_not_see_the_trend_of_a_draft_pilot(client, users, provider_a):
    draft = PartnershipPilotFactory(is_published=False)
    ProviderPartnerFactory(pilot=draft, provider=provider_a)

    assert _signed_in(client, users["provider_a"]).get(_trend_url(draft)).status_code == 404
    assert _signed_in(client, users["officer"]).get(_trend_url(draft)).status_code == 200


def _rounds_with_answers(pilot, number: int, partners: list) -> None:
    for index in range(number):
        opened_on = today() - dt.timedelta(days=100 * (index + 1))
        check_round = RelationshipCheckFactory(
            pilot=pilot, opened_on=opened_on, closes_on=opened_on + dt.timedelta(days=21)
        )
        for position, partner in enumerate([*partners, None]):
            _response(
                check_round, partner, rating=1 + (index + position) % 5, comment=f"Comment {index}.{position}"
            )


@pytest.mark.parametrize("role", ["officer", "provider_a"])
def test_the_trend_takes_the_same_queries_for_2_or_8_rounds(
    client, users, pilot, partner_a, role, django_assert_max_num_queries
):
    partners = [partner_a, *(OtherPartnerFactory.create_batch(5, pilot=pilot))]
    client = _signed_in(client, users[role])
    _rounds_with_answers(pilot, 2, partners)
    with django_assert_max_num_queries(TREND_MAX_QUERIES):
        small = client.get(_trend_url(pilot))

    RelationshipCheck.objects.filter(pilot=pilot).delete()
    _rounds_with_answers(pilot, 8, partners)
    with django_assert_max_num_queries(TREND_MAX_QUERIES):
        large = client.get(_trend_url(pilot))

    assert len(small.context["trend"].answered_rounds) == 2
    assert len(large.context["trend"].answered_rounds) == 8
    assert len(large.context["trend"].comments) == (56 if role == "officer" else 0)


def test_providers_never_see_the_pilots_officer_only_fields_on_the_trend(client, users, pilot, history):
    page = _signed_in(client, users["provider_a"]).get(_trend_url(pilot)).content.decode()

    for hidden in (pilot.internal_notes, pilot.commercial_details, pilot.risk_sharing):
        assert hidden not in page


# The chart


def test_the_chart_draws_a_point_per_answered_round_and_breaks_a_line_where_a_side_did_not_answer(
    client, users, pilot, history
):
    response = _signed_in(client, users["provider_b"]).get(_trend_url(pilot))

    chart = response.context["chart"]
    partners, council = chart.sides
    assert [point is None for point in partners.points] == [False, True]
    assert [point is None for point in council.points] == [False, True]
    svg = response.content.decode()
    assert "<title>Partners, " in svg
    assert "<title>Council, " in svg
    # One answered point each: no line to draw, only the points.
    assert "<polyline" not in svg


def test_the_chart_places_ratings_on_a_1_to_5_scale():
    from partnerships.check_chart import TrendChart

    top, bottom = TrendChart._y(5), TrendChart._y(1)

    assert top == TrendChart.TOP
    assert bottom == TrendChart.TOP + TrendChart.PLOT_HEIGHT
    assert TrendChart._y(Decimal("3.0")) == (top + bottom) // 2
