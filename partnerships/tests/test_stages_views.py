"""The process pages: changing a pilot's stage, its procurement record and its stage history."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from directory.tests.factories import OfficerFactory
from partnerships.models import ProcurementRecord, Stage, StageChange
from partnerships.tests.factories import (
    PartnershipPilotFactory,
    ProcurementRecordFactory,
)
from portal.models import OutboxMessage
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, the pilot, its stage changes with who made them, its procurement record, and the two
# permission queries for the "change the stage" link. A provider makes neither of the last three.
HISTORY_MAX_QUERIES = {"officer": 8, "provider": 5}


@pytest.fixture
def officer_user():
    return CouncilUserFactory(full_name="Olu Officer", email="olu.officer@council.example.org")


@pytest.fixture
def provider_user(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="pat@provider-a.example.org")


@pytest.fixture
def pilot():
    lead = OfficerFactory(full_name="Lena Lead", email="lena.lead@council.example.org")
    return PartnershipPilotFactory(title="Discharge to assess", stage=Stage.SCOPING, lead_officer=lead)


def _stage_url(pilot) -> str:
    return reverse("partnerships:stage-change", kwargs={"slug": pilot.slug})


def _error_summary(response) -> str:
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    return content


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Changing the stage


def test_the_stage_page_offers_the_next_stage_and_stopping(client, officer_user, pilot):
    client.force_login(officer_user)

    response = client.get(_stage_url(pilot))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Scoping" in content
    assert [choice[0] for choice in response.context["form"].fields["to_stage"].choices] == [
        "agreed",
        "stopped",
    ]
    assert "Move to agreed" in content
    assert "Stop the pilot" in content
    assert reverse("partnerships:procurement", kwargs={"slug": pilot.slug}) in content


def test_moving_a_pilot_on_goes_back_to_the_pilot_with_a_message(client, officer_user, pilot):
    ProcurementRecordFactory(pilot=pilot)
    client.force_login(officer_user)

    response = client.post(_stage_url(pilot), {"to_stage": "agreed", "note": "Board agreed"})

    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:pilot", kwargs={"slug": pilot.slug})
    assert _messages(response) == ["Discharge to assess moved to agreed"]
    change = StageChange.objects.get(pilot=pilot)
    assert (change.to_stage, change.changed_by, change.note) == ("agreed", officer_user, "Board agreed")


def test_the_lead_officer_is_emailed_when_an_officer_moves_their_pilot(client, officer_user, pilot):
    ProcurementRecordFactory(pilot=pilot)
    client.force_login(officer_user)

    client.post(_stage_url(pilot), {"to_stage": "agreed"})

    assert OutboxMessage.objects.get().recipients == ["lena.lead@council.example.org"]


def test_a_refused_move_is_shown_in_the_error_summary(client, officer_user, pilot):
    client.force_login(officer_user)

    response = client.post(_stage_url(pilot), {"to_stage": "agreed"})

    content = _error_summary(response)
    assert "Record the procurement route and decision before the pilot can be agreed" in content
    pilot.refresh_from_db()
    assert pilot.stage == Stage.SCOPING
    assert not OutboxMessage.objects.exists()


def test_a_move_not_offered_is_refused_saying_which_moves_are_possible(client, officer_user, pilot):
    client.force_login(officer_user)

    response = client.post(_stage_url(pilot), {"to_stage": "closed"})

    content = _error_summary(response)
    assert "A pilot cannot move from scoping to closed. From scoping it can only move to agreed" in content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the stage the pilot moves to, or stop it"),
        ({"to_stage": "archived"}, "Choose the stage the pilot moves to"),
        ({"to_stage": "stopped", "note": "  "}, "Say why the pilot is stopped"),
    ],
    ids=["nothing chosen", "not a stage", "stopped without a note"],
)
def test_bad_input_on_the_stage_page_is_shown_in_the_error_summary(
    client, officer_user, pilot, data, message
):
    client.force_login(officer_user)

    response = client.post(_stage_url(pilot), data)

    assert message in _error_summary(response)
    assert not StageChange.objects.exists()


def test_stopping_a_pilot_with_a_note(client, officer_user, pilot):
    client.force_login(officer_user)

    response = client.post(_stage_url(pilot), {"to_stage": "stopped", "note": "The trust withdrew."})

    assert _messages(response) == ["Discharge to assess was stopped"]
    pilot.refresh_from_db()
    assert pilot.stage == Stage.STOPPED


def test_a_closed_pilot_offers_no_move_and_refuses_one(client, officer_user):
    pilot = PartnershipPilotFactory(stage=Stage.CLOSED)
    client.force_login(officer_user)

    page = client.get(_stage_url(pilot)).content.decode()
    refused = client.post(_stage_url(pilot), {"to_stage": "stopped", "note": "Too late"})

    assert "This pilot is closed: its stage can no longer change." in page
    assert "Change stage" not in page
    assert "This pilot is closed: its stage can no longer change" in _error_summary(refused)


@pytest.mark.parametrize("make_user", [DirectorFactory, ProviderUserFactory], ids=["director", "provider"])
def test_only_officers_change_the_stage(client, pilot, make_user):
    client.force_login(make_user())

    response = client.post(_stage_url(pilot), {"to_stage": "stopped", "note": "No"})

    assert response.status_code == 403
    assert not StageChange.objects.exists()


# The procurement record


def _procurement_url(pilot) -> str:
    return reverse("partnerships:procurement", kwargs={"slug": pilot.slug})


def _procurement_data(day: dt.date, **changes) -> dict:
    return {
        "route": "framework",
        "decision": "Called off from the home care framework; every framework provider was told.",
        "decided_on_0": day.day,
        "decided_on_1": day.month,
        "decided_on_2": day.year,
        "decided_by": "Commissioning board",
        **changes,
    }


def test_an_officer_records_the_procurement(client, officer_user, pilot):
    client.force_login(officer_user)
    today = timezone.localdate()

    response = client.post(_procurement_url(pilot), _procurement_data(today))

    assert response["Location"] == reverse("partnerships:pilot", kwargs={"slug": pilot.slug})
    assert _messages(response) == ["The procurement record of Discharge to assess was saved"]
    record = ProcurementRecord.objects.get(pilot=pilot)
    assert (record.route, record.decided_on, record.recorded_by) == ("framework", today, officer_user)


def test_the_procurement_page_shows_the_record_to_change(client, officer_user, pilot):
    ProcurementRecordFactory(pilot=pilot, decided_by="Cabinet member for adult social care")
    client.force_login(officer_user)

    response = client.get(_procurement_url(pilot))

    content = response.content.decode()
    assert "Change the procurement record" in content
    assert "Cabinet member for adult social care" in content


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"route": ""}, "Choose the procurement route"),
        ({"decision": ""}, "Enter the decision taken"),
        ({"decided_by": ""}, "Enter who made the decision"),
        ({"decided_on_0": "31", "decided_on_1": "2"}, "The date of the decision must be a real date"),
        ({"decided_on_0": "", "decided_on_1": "", "decided_on_2": ""}, "Enter the date of the decision"),
    ],
    ids=["no route", "no decision", "no decision maker", "not a real date", "no date"],
)
def test_bad_procurement_input_is_shown_in_the_error_summary(client, officer_user, pilot, changes, message):
    client.force_login(officer_user)

    response = client.post(_procurement_url(pilot), _procurement_data(timezone.localdate(), **changes))

    assert message in _error_summary(response)
    assert not ProcurementRecord.objects.exists()


def test_a_procurement_decision_in_the_future_is_refused(client, officer_user, pilot):
    client.force_login(officer_user)

    response = client.post(
        _procurement_url(pilot), _procurement_data(timezone.localdate() + dt.timedelta(days=1))
    )

    assert "The date of the decision must be today or in the past" in _error_summary(response)


# The stage history


def _history_url(pilot) -> str:
    return reverse("partnerships:stage-history", kwargs={"slug": pilot.slug})


def _with_history(pilot, moves: int = 6) -> None:
    now = timezone.now()
    for number in range(moves):
        StageChange.objects.create(
            pilot=pilot,
            from_stage=Stage.PROPOSED,
            to_stage=Stage.SCOPING,
            changed_at=now - dt.timedelta(days=moves - number),
            changed_by=CouncilUserFactory(full_name=f"Mover {number}"),
            note=f"Move {number}",
        )


def test_the_stage_history_dates_and_attributes_every_change(client, officer_user, pilot):
    ProcurementRecordFactory(
        pilot=pilot, route=ProcurementRecord.Route.GRANT, decided_by="Commissioning board"
    )
    _with_history(pilot, moves=3)
    client.force_login(officer_user)

    response = client.get(_history_url(pilot))

    content = response.content.decode()
    assert [change.note for change in response.context["stage_changes"]] == ["Move 0", "Move 1", "Move 2"]
    for number in range(3):
        assert f"Mover {number}" in content
    assert "Grant agreement" in content
    assert "Commissioning board" in content
    assert reverse("partnerships:stage-change", kwargs={"slug": pilot.slug}) in content


def test_providers_see_the_stage_history_but_not_the_procurement_or_officer_only_fields(
    client, provider_user, pilot
):
    ProcurementRecordFactory(pilot=pilot, route=ProcurementRecord.Route.DIRECT_AWARD, decided_by="The board")
    _with_history(pilot, moves=2)
    client.force_login(provider_user)

    response = client.get(_history_url(pilot))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Mover 1" in content
    assert "Direct award" not in content
    assert "The board" not in content
    assert "Procurement" not in content
    for hidden in (pilot.commercial_details, pilot.internal_notes, pilot.risk_sharing):
        assert hidden not in content
    assert reverse("partnerships:stage-change", kwargs={"slug": pilot.slug}) not in content


def test_a_provider_asking_for_a_draft_pilots_history_gets_a_404(client, provider_user):
    draft = PartnershipPilotFactory(is_published=False)
    client.force_login(provider_user)

    assert client.get(_history_url(draft)).status_code == 404


def test_a_pilot_that_never_moved_says_so(client, officer_user, pilot):
    client.force_login(officer_user)

    content = client.get(_history_url(pilot)).content.decode()

    assert "The pilot has not changed stage since it was proposed." in content
    assert "No procurement route has been recorded yet." in content


@pytest.mark.parametrize("who", ["officer", "provider"])
def test_the_stage_history_takes_a_fixed_number_of_queries(
    client, officer_user, provider_user, pilot, who, django_assert_max_num_queries
):
    ProcurementRecordFactory(pilot=pilot)
    _with_history(pilot, moves=12)
    client.force_login(officer_user if who == "officer" else provider_user)

    with django_assert_max_num_queries(HISTORY_MAX_QUERIES[who]):
        response = client.get(_history_url(pilot))

    assert len(response.context["stage_changes"]) == 12
