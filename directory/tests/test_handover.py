"""Handing over a leaving officer's duties: the service's all-or-nothing move, its emails, and the screens."""

import threading
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from directory.models import Handover, Officer, ProviderOrganisation, Responsibility
from directory.services import handover as services
from directory.services.handover import HandoverError, Mover, officer_hand_over, registered_movers
from directory.tests import factories
from portal import roles
from portal.models import OutboxMessage
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, the count, and the page of handovers with both officers and who made it.
HANDOVER_LIST_MAX_QUERIES = 5
# Session, user, permissions, the officer, the preview's lists, the successor choices, and one count per
# registered mover (other parts of the portal register theirs).
HAND_OVER_PAGE_MAX_QUERIES = 12 + len(registered_movers())
DIRECTORY_MOVERS = ("Responsibilities", "Provider accounts", "Deputy arrangements")


def _directorys_own(counts: dict[str, int]) -> dict[str, int]:
    """The directory's movers' counts; every other part's mover must have moved nothing in these tests."""
    assert all(count == 0 for label, count in counts.items() if label not in DIRECTORY_MOVERS), counts
    return {label: count for label, count in counts.items() if label in DIRECTORY_MOVERS}


@pytest.fixture
def editor():
    return CouncilUserFactory(roles=[roles.OFFICER, roles.DIRECTORY_EDITOR])


@pytest.fixture
def team():
    return factories.TeamFactory(name="Contract Management North East", mailbox="cm-ne@council.example.org")


@pytest.fixture
def leaving(team):
    return factories.OfficerFactory(
        full_name="Lee Leaving", team=team, email="lee.leaving@council.example.org"
    )


@pytest.fixture
def successor(team):
    return factories.OfficerFactory(
        full_name="Sam Successor",
        team=team,
        email="sam.successor@council.example.org",
        job_title="Senior contract officer",
    )


@pytest.fixture
def duties(leaving, team):
    """What Lee holds: two live responsibilities and a retired one, three providers, one deputy arrangement."""
    # Made here rather than read from the migration's rows: a transactional test may run after a flush.
    payments_topic = factories.TopicFactory(slug="payments-and-invoices", name="Payments and invoices")
    safeguarding_topic = factories.TopicFactory(slug="safeguarding", name="Safeguarding")
    payments = factories.ResponsibilityFactory(officer=leaving, team=team, topic=payments_topic)
    safeguarding = factories.ResponsibilityFactory(officer=leaving, team=team, topic=safeguarding_topic)
    retired = factories.ResponsibilityFactory(
        officer=leaving, team=team, topic=safeguarding_topic, retired_on=date(2024, 1, 1)
    )
    tier_one = factories.ProviderOrganisationFactory(
        name="Tier One Homes Ltd", tier=ProviderOrganisation.Tier.ONE, contract_manager=leaving
    )
    tier_two = factories.ProviderOrganisationFactory(
        name="Tier Two Care Ltd", tier=ProviderOrganisation.Tier.TWO, contract_manager=leaving
    )
    closed = factories.ProviderOrganisationFactory(
        name="Closed Care Ltd", contract_manager=leaving, is_active=False
    )
    someone_elses = factories.ProviderOrganisationFactory(
        name="Someone Else's Care Ltd",
        tier=ProviderOrganisation.Tier.ONE,
        contract_manager=factories.OfficerFactory(team=team),
    )
    factories.ProviderPersonFactory(provider=tier_one, email="manager@tier-one.example.org")
    factories.ProviderPersonFactory(provider=tier_one, email="owner@tier-one.example.org")
    factories.ProviderPersonFactory(
        provider=tier_one, email="not-on-the-list@tier-one.example.org", receives_contact_list=False
    )
    ProviderUserFactory(provider_organisation=tier_one, email="user@tier-one.example.org")
    # Both a key person on the contact list and a user: emailed once.
    ProviderUserFactory(provider_organisation=tier_one, email="Manager@Tier-One.example.org")
    ProviderUserFactory(provider_organisation=tier_two, email="user@tier-two.example.org")
    ProviderUserFactory(provider_organisation=closed, email="user@closed.example.org")
    ProviderUserFactory(provider_organisation=someone_elses, email="user@someone-else.example.org")
    deputised = factories.OfficerFactory(full_name="Dana Deputised", team=team, deputy=leaving)
    return {
        "responsibilities": [payments, safeguarding],
        "retired_responsibility": retired,
        "providers": [tier_one, tier_two, closed],
        "tier_one": tier_one,
        "tier_two": tier_two,
        "someone_elses": someone_elses,
        "deputised": deputised,
    }


def _hand_over(leaving, successor, made_by=None, **kwargs):
    return officer_hand_over(
        leaving=leaving,
        successor=successor,
        effective_on=kwargs.pop("effective_on", timezone.localdate()),
        made_by=made_by,
        note=kwargs.pop("note", ""),
    )


def _outbox_recipients() -> list[list[str]]:
    return sorted(sorted(message.recipients) for message in OutboxMessage.objects.all())


# The service


def test_hand_over_moves_every_duty_to_the_successor_and_records_the_counts(
    leaving, successor, duties, editor
):
    effective_on = timezone.localdate() + timedelta(days=14)

    handover = _hand_over(leaving, successor, made_by=editor, effective_on=effective_on, note="Retiring")

    assert {
        r.officer_id for r in Responsibility.objects.filter(pk__in=[r.pk for r in duties["responsibilities"]])
    } == {successor.pk}
    duties["retired_responsibility"].refresh_from_db()
    assert duties["retired_responsibility"].officer_id == leaving.pk
    assert set(ProviderOrganisation.objects.filter(contract_manager=successor)) == set(duties["providers"])
    duties["someone_elses"].refresh_from_db()
    assert duties["someone_elses"].contract_manager_id != successor.pk
    duties["deputised"].refresh_from_db()
    assert duties["deputised"].deputy_id == successor.pk
    leaving.refresh_from_db()
    assert leaving.active_to == effective_on
    assert (handover.responsibilities_moved, handover.providers_moved, handover.commitments_moved) == (
        2,
        3,
        0,
    )
    assert _directorys_own(handover.moved) == {
        "Responsibilities": 2,
        "Provider accounts": 3,
        "Deputy arrangements": 1,
    }
    recorded = Handover.objects.get()
    assert (recorded.leaving_officer, recorded.successor, recorded.made_by) == (leaving, successor, editor)
    assert (recorded.effective_on, recorded.note) == (effective_on, "Retiring")


def test_hand_over_emails_each_active_provider_once_with_its_contact_list_and_users(
    leaving, successor, duties
):
    _hand_over(leaving, successor)

    assert _outbox_recipients() == [
        ["manager@tier-one.example.org", "owner@tier-one.example.org", "user@tier-one.example.org"],
        ["user@tier-two.example.org"],
    ]
    message = OutboxMessage.objects.get(recipients__contains=["user@tier-two.example.org"])
    assert message.subject == "Your new contact at County Council: Sam Successor"
    body = message_from_bytes(bytes(message.message), policy=policy.default).get_content()
    assert "Sam Successor is contract manager for Tier Two Care Ltd" in body
    assert "taking over from Lee Leaving" in body
    assert "sam.successor@council.example.org" in body
    assert "cm-ne@council.example.org" in body
    assert reverse("directory:provider-detail", args=[duties["tier_two"].pk]) in body


def test_hand_over_emails_reach_a_real_smtp_server_once_committed(
    leaving, successor, duties, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _hand_over(leaving, successor)

    assert sorted(sorted(envelope.rcpt_tos) for envelope in smtp_sink.messages) == [
        ["manager@tier-one.example.org", "owner@tier-one.example.org", "user@tier-one.example.org"],
        ["user@tier-two.example.org"],
    ]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}


@pytest.mark.django_db(transaction=True)
def test_nothing_moves_and_nothing_is_emailed_when_a_mover_fails(
    leaving, successor, duties, monkeypatch, smtp_sink, django_capture_on_commit_callbacks
):
    def fail(*, leaving, successor, effective_on):
        raise RuntimeError("the enquiries database is down")

    # Registered last: the directory's own movers have moved and written their emails by the time it fails.
    monkeypatch.setitem(
        services._MOVERS,
        "tests.failing",
        Mover(name="tests.failing", label="Failing", move=fail, count=lambda **kwargs: 0),
    )

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _hand_over(leaving, successor)

    assert set(
        Responsibility.objects.filter(retired_on__isnull=True).values_list("officer_id", flat=True)
    ) == {leaving.pk}
    assert ProviderOrganisation.objects.filter(contract_manager=leaving).count() == 3
    assert Officer.objects.get(pk=duties["deputised"].pk).deputy_id == leaving.pk
    assert Officer.objects.get(pk=leaving.pk).active_to is None
    assert not Handover.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert smtp_sink.messages == []


@pytest.mark.django_db(transaction=True)
def test_two_editors_handing_over_the_same_officer_at_once_make_one_handover(
    leaving, successor, duties, team
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    other_successor = factories.OfficerFactory(team=team)
    start = threading.Barrier(2)
    outcomes = []

    def hand_over_to(officer):
        start.wait()
        try:
            _hand_over(leaving, officer)
            outcomes.append("handed over")
        except HandoverError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=hand_over_to, args=(officer,)) for officer in (successor, other_successor)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2
    assert outcomes.count("handed over") == 1
    assert any("already handed over" in outcome for outcome in outcomes)
    assert Handover.objects.count() == 1
    assert OutboxMessage.objects.count() == 2


def test_a_registered_commitments_mover_runs_in_the_handover_and_is_counted(leaving, successor, monkeypatch):
    calls = []

    def move(*, leaving, successor, effective_on):
        calls.append((leaving.pk, successor.pk, effective_on))
        return 4

    mover = Mover(
        name="tests.forum_commitments",
        label="Forum commitments",
        record_as=Mover.COMMITMENTS,
        move=move,
        count=lambda *, leaving, effective_on: 4,
    )
    monkeypatch.setitem(services._MOVERS, mover.name, mover)
    today = timezone.localdate()

    preview = dict(services.handover_counts_preview(leaving=leaving, effective_on=today))
    handover = _hand_over(leaving, successor, effective_on=today)

    assert preview[mover] == 4
    assert calls == [(leaving.pk, successor.pk, today)]
    assert handover.commitments_moved == 4
    assert handover.moved["Forum commitments"] == 4


def test_the_directory_registers_its_own_three_movers():
    assert [mover.name for mover in services.registered_movers()][:3] == [
        "directory.responsibilities",
        "directory.provider_accounts",
        "directory.deputy_arrangements",
    ]


def test_a_mover_cannot_be_registered_twice_or_count_into_an_unknown_counter():
    existing = services.registered_movers()[0]

    with pytest.raises(ValueError, match="already registered"):
        services.mover_register(existing)
    with pytest.raises(ValueError, match="record_as"):
        Mover(
            name="tests.bad", label="Bad", move=existing.move, count=existing.count, record_as="forums_moved"
        )


def test_an_officer_cannot_hand_over_to_themself(leaving, duties):
    with pytest.raises(HandoverError, match="cannot hand over to themself") as raised:
        _hand_over(leaving, leaving)

    assert raised.value.field == "successor"
    assert Responsibility.objects.filter(officer=leaving).count() == 3


def test_an_officer_who_has_left_cannot_hand_over(leaving, successor, duties):
    Officer.objects.filter(pk=leaving.pk).update(active_to=timezone.localdate() - timedelta(days=1))

    with pytest.raises(HandoverError, match="left on"):
        _hand_over(leaving, successor)

    assert not Handover.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_duties_cannot_be_handed_over_twice(leaving, successor, duties, team):
    _hand_over(leaving, successor, effective_on=timezone.localdate() + timedelta(days=7))
    another = factories.OfficerFactory(team=team)

    with pytest.raises(HandoverError, match="already handed over to Sam Successor"):
        _hand_over(leaving, another)

    assert Handover.objects.count() == 1
    assert OutboxMessage.objects.count() == 2


def test_the_successor_must_be_in_post_on_the_handover_date(leaving, successor):
    Officer.objects.filter(pk=successor.pk).update(active_to=timezone.localdate() + timedelta(days=3))

    with pytest.raises(HandoverError, match="Sam Successor is not in post") as raised:
        _hand_over(leaving, successor, effective_on=timezone.localdate() + timedelta(days=10))

    assert raised.value.field == "successor"


def test_the_handover_date_cannot_be_before_the_officer_started(leaving, successor):
    Officer.objects.filter(pk=leaving.pk).update(active_from=date(2025, 6, 1))

    with pytest.raises(HandoverError, match="on or after 1 June 2025") as raised:
        _hand_over(leaving, successor, effective_on=date(2025, 5, 31))

    assert raised.value.field == "effective_on"


def test_the_successor_takes_over_market_leadership_when_they_lead_nothing(leaving, successor):
    Officer.objects.filter(pk=leaving.pk).update(market_lead=Officer.MarketLead.STRATEGIC)

    _hand_over(leaving, successor)

    successor.refresh_from_db()
    leaving.refresh_from_db()
    assert (successor.market_lead, leaving.market_lead) == (Officer.MarketLead.STRATEGIC, "")


def test_market_leadership_stays_put_when_the_successor_already_leads(leaving, successor):
    Officer.objects.filter(pk=leaving.pk).update(market_lead=Officer.MarketLead.STRATEGIC)
    Officer.objects.filter(pk=successor.pk).update(market_lead=Officer.MarketLead.OPERATIONAL)

    _hand_over(leaving, successor)

    successor.refresh_from_db()
    leaving.refresh_from_db()
    assert (successor.market_lead, leaving.market_lead) == (
        Officer.MarketLead.OPERATIONAL,
        Officer.MarketLead.STRATEGIC,
    )


def test_a_successor_whose_deputy_was_the_leaving_officer_gets_the_leaving_officers_deputy(
    leaving, successor, team
):
    their_deputy = factories.OfficerFactory(team=team)
    Officer.objects.filter(pk=leaving.pk).update(deputy=their_deputy)
    Officer.objects.filter(pk=successor.pk).update(deputy=leaving)
    leaving.refresh_from_db()

    handover = _hand_over(leaving, successor)

    successor.refresh_from_db()
    assert successor.deputy_id == their_deputy.pk
    assert handover.moved["Deputy arrangements"] == 1


def test_the_change_history_says_the_handover_moved_the_entries(leaving, successor, duties, editor):
    _hand_over(leaving, successor, made_by=editor)

    responsibility = duties["responsibilities"][0]
    latest = responsibility.history.latest()
    assert latest.officer_id == successor.pk
    assert latest.history_change_reason == "Handover from Lee Leaving to Sam Successor"
    assert duties["tier_one"].history.latest().contract_manager_id == successor.pk
    assert leaving.history.latest().history_user == editor


# The screens


def _hand_over_url(officer) -> str:
    return reverse("directory:officer-hand-over", args=[officer.pk])


def _form(successor, day: date | None = None, note: str = "") -> dict:
    day = day or timezone.localdate()
    return {
        "successor": successor.pk if successor else "",
        "effective_on_0": day.day,
        "effective_on_1": day.month,
        "effective_on_2": day.year,
        "note": note,
    }


def test_the_handover_screen_previews_what_will_move_and_offers_officers_in_post(
    client, editor, leaving, successor, duties, django_assert_max_num_queries
):
    left = factories.OfficerFactory(full_name="Long Gone", active_to=date(2020, 1, 1))
    client.force_login(editor)

    with django_assert_max_num_queries(HAND_OVER_PAGE_MAX_QUERIES):
        response = client.get(_hand_over_url(leaving))

    page = response.content.decode()
    assert "Hand over Lee Leaving’s duties" in page
    for expected in (
        "Payments and invoices",
        "Safeguarding",
        "Tier One Homes Ltd",
        "Closed Care Ltd",
        "Dana Deputised",
    ):
        assert expected in page
    assert "Someone Else&#x27;s Care Ltd" not in page
    choices = dict(response.context["form"].fields["successor"].widget.choices)
    assert successor.pk in choices
    assert leaving.pk not in choices
    assert left.pk not in choices
    assert response.context["form"]["effective_on"].value() == timezone.localdate()
    assert _directorys_own({mover.label: count for mover, count in response.context["counts"]}) == {
        "Responsibilities": 2,
        "Provider accounts": 3,
        "Deputy arrangements": 1,
    }


def test_the_preview_does_not_grow_a_query_per_duty(
    client, editor, leaving, successor, duties, team, django_assert_max_num_queries
):
    for _ in range(10):
        factories.ResponsibilityFactory(officer=leaving, team=team, areas=[factories.area("mid")])
        factories.ProviderOrganisationFactory(contract_manager=leaving)
        factories.OfficerFactory(team=team, deputy=leaving)
    client.force_login(editor)

    with django_assert_max_num_queries(HAND_OVER_PAGE_MAX_QUERIES):
        response = client.get(_hand_over_url(leaving))

    assert len(response.context["preview"].responsibilities) == 12


def test_confirming_the_handover_moves_the_duties_and_shows_what_moved(
    client, editor, leaving, successor, duties
):
    client.force_login(editor)

    response = client.post(
        _hand_over_url(leaving), _form(successor, note="Moving to commissioning"), follow=True
    )

    handover = Handover.objects.get()
    assert response.redirect_chain == [(reverse("directory:handover-detail", args=[handover.pk]), 302)]
    page = response.content.decode()
    assert "Lee Leaving’s duties were handed over" in page
    assert "deputy arrangements: 1" in page
    assert "Moving to commissioning" in page
    assert handover.made_by == editor
    assert OutboxMessage.objects.count() == 2


def test_handing_over_to_themself_shows_an_error_summary(client, editor, leaving, duties):
    client.force_login(editor)

    response = client.post(_hand_over_url(leaving), _form(leaving))

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Lee Leaving cannot hand over to themself" in page
    assert Responsibility.objects.filter(officer=leaving).count() == 3


def test_handing_over_an_officer_who_has_left_shows_an_error_summary(client, editor, leaving, successor):
    Officer.objects.filter(pk=leaving.pk).update(active_to=date(2024, 3, 31))
    client.force_login(editor)

    assert "is not in post" in client.get(_hand_over_url(leaving)).content.decode()
    response = client.post(_hand_over_url(leaving), _form(successor))

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Lee Leaving left on 31 March 2024" in page
    assert not Handover.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"successor": ""}, "Choose the officer who takes over"),
        ({"successor": "999999"}, "Choose an officer from the list"),
        (
            {"effective_on_0": "", "effective_on_1": "", "effective_on_2": ""},
            "Enter the date the successor takes over",
        ),
        ({"effective_on_0": "31", "effective_on_1": "2", "effective_on_2": "2026"}, "Enter a real date"),
        ({"effective_on_0": "x"}, "The day must be a number"),
    ],
)
def test_bad_handover_input_gets_an_error_summary(client, editor, leaving, successor, data, message):
    client.force_login(editor)

    response = client.post(_hand_over_url(leaving), {**_form(successor), **data})

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert not Handover.objects.exists()


def test_only_directory_editors_may_hand_over(client, leaving, successor):
    client.force_login(CouncilUserFactory())

    assert client.get(_hand_over_url(leaving)).status_code == 403
    assert client.post(_hand_over_url(leaving), _form(successor)).status_code == 403
    assert not Handover.objects.exists()


def test_handing_over_an_unknown_officer_is_not_found(client, editor):
    client.force_login(editor)

    assert client.get(reverse("directory:officer-hand-over", args=[999999])).status_code == 404


def test_council_staff_page_through_past_handovers_without_a_query_per_row(
    client, team, django_assert_max_num_queries
):
    for number in range(30):
        Handover.objects.create(
            leaving_officer=factories.OfficerFactory(team=team),
            successor=factories.OfficerFactory(team=factories.TeamFactory()),
            effective_on=date(2026, 1, 1) + timedelta(days=number),
            made_by=CouncilUserFactory(),
            responsibilities_moved=number,
        )
    client.force_login(CouncilUserFactory())

    with django_assert_max_num_queries(HANDOVER_LIST_MAX_QUERIES):
        response = client.get(reverse("directory:handover-list"))

    assert response.context["page_obj"].paginator.count == 30
    assert len(response.context["handovers"]) == 25
    assert "Page 1 of 2" in response.content.decode()
    with django_assert_max_num_queries(HANDOVER_LIST_MAX_QUERIES):
        second = client.get(reverse("directory:handover-list"), {"page": 2})
    assert len(second.context["handovers"]) == 5


def test_past_handovers_say_so_when_there_are_none(client):
    client.force_login(CouncilUserFactory())

    assert (
        "No handovers have been made yet." in client.get(reverse("directory:handover-list")).content.decode()
    )


def test_the_handover_screen_says_when_the_duties_were_already_handed_over(
    client, editor, leaving, successor
):
    handover = _hand_over(leaving, successor, effective_on=timezone.localdate() + timedelta(days=7))
    client.force_login(editor)

    page = client.get(_hand_over_url(leaving)).content.decode()

    assert "Lee Leaving’s duties were handed over to Sam Successor" in page
    assert reverse("directory:handover-detail", args=[handover.pk]) in page
