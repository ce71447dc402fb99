"""The plan's pages: adding and changing objectives, milestones and risks, and adding to the progress log."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from directory.tests.factories import OfficerFactory
from partnerships.models import Milestone, Objective, ProgressEntry, Risk
from partnerships.tests.factories import (
    MilestoneFactory,
    ObjectiveFactory,
    PartnershipPilotFactory,
    RiskFactory,
)
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_user():
    return CouncilUserFactory(full_name="Olu Officer")


@pytest.fixture
def pilot():
    return PartnershipPilotFactory(title="Discharge to assess")


@pytest.fixture
def owner():
    return OfficerFactory(full_name="Owen Owner")


def _url(name: str, pilot, entry=None) -> str:
    kwargs = {"slug": pilot.slug, **({"pk": entry.pk} if entry else {})}
    return reverse(f"partnerships:{name}", kwargs=kwargs)


def _date(name: str, day: dt.date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def _error_summary(response) -> str:
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    return content


def _back_to_pilot(response, pilot, message: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:pilot", kwargs={"slug": pilot.slug})
    # The latest message: the test client does not follow the redirect that would show, and use up, earlier ones.
    assert [str(shown) for shown in get_messages(response.wsgi_request)][-1] == message


def _today() -> dt.date:
    return timezone.localdate()


# Objectives


def _objective_data(owner, /, **changes) -> dict:
    return {
        "title": "Fewer delayed discharges",
        "measure": "Days from medically fit to home",
        "target": "Under 2 days on average",
        "owner": owner.pk,
        **_date("due_on", _today() + dt.timedelta(days=120)),
        **changes,
    }


def test_an_officer_adds_an_objective(client, officer_user, pilot, owner):
    client.force_login(officer_user)

    response = client.post(_url("objective-add", pilot), _objective_data(owner))

    _back_to_pilot(response, pilot, "The objective was added")
    objective = Objective.objects.get(pilot=pilot)
    assert (objective.title, objective.owner) == ("Fewer delayed discharges", owner)
    assert objective.history.first().history_user == officer_user


def test_the_objective_page_shows_the_objective_to_change(client, officer_user, pilot):
    objective = ObjectiveFactory(pilot=pilot, title="Shorter waits for home care")
    client.force_login(officer_user)

    response = client.get(_url("objective-edit", pilot, objective))

    content = response.content.decode()
    assert "Change the objective" in content
    assert "Shorter waits for home care" in content


def test_an_officer_changes_an_objective(client, officer_user, pilot, owner):
    objective = ObjectiveFactory(pilot=pilot)
    client.force_login(officer_user)

    response = client.post(
        _url("objective-edit", pilot, objective), _objective_data(owner, target="Same day")
    )

    _back_to_pilot(response, pilot, "The objective was changed")
    objective.refresh_from_db()
    assert (objective.target, objective.owner) == ("Same day", owner)


def test_an_objective_keeps_an_owner_who_has_left_when_changed(client, officer_user, pilot):
    left = OfficerFactory(active_to=_today() - dt.timedelta(days=1))
    objective = ObjectiveFactory(pilot=pilot, owner=left)
    client.force_login(officer_user)

    response = client.post(_url("objective-edit", pilot, objective), _objective_data(left, title="Renamed"))

    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.title, objective.owner) == ("Renamed", left)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter the objective"),
        ({"measure": ""}, "Enter how progress is measured"),
        ({"target": ""}, "Enter the target"),
        ({"owner": ""}, "Choose who owns the objective"),
        ({"due_on_0": "", "due_on_1": "", "due_on_2": ""}, "Enter the date the objective is due"),
        ({"due_on_1": "13"}, "The date the objective is due must be a real date"),
    ],
    ids=["no title", "no measure", "no target", "no owner", "no date", "not a real date"],
)
def test_bad_objective_input_is_shown_in_the_error_summary(
    client, officer_user, pilot, owner, changes, message
):
    client.force_login(officer_user)

    response = client.post(_url("objective-add", pilot), _objective_data(owner, **changes))

    assert message in _error_summary(response)
    assert not Objective.objects.exists()


def test_an_officer_who_has_left_cannot_be_chosen_as_owner(client, officer_user, pilot):
    left = OfficerFactory(active_to=_today() - dt.timedelta(days=1))
    client.force_login(officer_user)

    response = client.post(_url("objective-add", pilot), _objective_data(left))

    assert "Choose an officer in post from the list" in _error_summary(response)


def test_another_pilots_objective_is_not_found(client, officer_user, pilot, owner):
    elsewhere = ObjectiveFactory(title="Another pilot's objective")
    client.force_login(officer_user)

    response = client.post(_url("objective-edit", pilot, elsewhere), _objective_data(owner))

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.title == "Another pilot's objective"


# Milestones


def test_an_officer_adds_and_completes_a_milestone(client, officer_user, pilot):
    client.force_login(officer_user)
    data = {"title": "Joint team in place", **_date("due_on", _today())}

    added = client.post(_url("milestone-add", pilot), data)
    milestone = Milestone.objects.get(pilot=pilot)
    changed = client.post(
        _url("milestone-edit", pilot, milestone), {**data, **_date("completed_on", _today())}
    )

    _back_to_pilot(added, pilot, "The milestone was added")
    _back_to_pilot(changed, pilot, "The milestone was changed")
    milestone.refresh_from_db()
    assert milestone.completed_on == _today()


def test_a_milestone_completed_in_the_future_is_refused_in_the_error_summary(client, officer_user, pilot):
    milestone = MilestoneFactory(pilot=pilot)
    client.force_login(officer_user)

    response = client.post(
        _url("milestone-edit", pilot, milestone),
        {
            "title": milestone.title,
            **_date("due_on", milestone.due_on),
            **_date("completed_on", _today() + dt.timedelta(days=2)),
        },
    )

    assert "The date the milestone was completed must be today or in the past" in _error_summary(response)


def test_another_pilots_milestone_is_not_found(client, officer_user, pilot):
    client.force_login(officer_user)

    assert client.get(_url("milestone-edit", pilot, MilestoneFactory())).status_code == 404


# Risks


def _risk_data(owner, /, **changes) -> dict:
    return {
        "description": "The partner's finances are fragile",
        "likelihood": "2",
        "impact": "3",
        "mitigation": "Monthly finance check",
        "owner": owner.pk,
        "status": "open",
        "is_internal": "yes",
        **changes,
    }


def test_an_officer_adds_an_internal_risk(client, officer_user, pilot, owner):
    client.force_login(officer_user)

    response = client.post(_url("risk-add", pilot), _risk_data(owner))

    _back_to_pilot(response, pilot, "The risk was added")
    risk = Risk.objects.get(pilot=pilot)
    assert (risk.likelihood, risk.impact, risk.is_internal, risk.owner) == (2, 3, True, owner)


def test_an_officer_closes_a_risk(client, officer_user, pilot, owner):
    risk = RiskFactory(pilot=pilot, is_internal=True)
    client.force_login(officer_user)

    page = client.get(_url("risk-edit", pilot, risk))
    response = client.post(
        _url("risk-edit", pilot, risk), _risk_data(owner, status="closed", is_internal="no")
    )

    assert page.context["form"].initial["is_internal"] == "yes"
    _back_to_pilot(response, pilot, "The risk was changed")
    risk.refresh_from_db()
    assert (risk.status, risk.is_internal) == ("closed", False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": ""}, "Describe the risk"),
        ({"likelihood": ""}, "Choose how likely the risk is"),
        ({"impact": "7"}, "Choose low, medium or high"),
        ({"owner": ""}, "Choose who owns the risk"),
        ({"is_internal": ""}, "Choose whether the risk is internal to the council"),
    ],
    ids=["no description", "no likelihood", "impact off the scale", "no owner", "internal not said"],
)
def test_bad_risk_input_is_shown_in_the_error_summary(client, officer_user, pilot, owner, changes, message):
    client.force_login(officer_user)

    response = client.post(_url("risk-add", pilot), _risk_data(owner, **changes))

    assert message in _error_summary(response)
    assert not Risk.objects.exists()


def test_another_pilots_risk_is_not_found(client, officer_user, pilot):
    client.force_login(officer_user)

    assert client.get(_url("risk-edit", pilot, RiskFactory())).status_code == 404


# The progress log


def test_an_officer_adds_to_the_progress_log(client, officer_user, pilot):
    client.force_login(officer_user)

    page = client.get(_url("progress-add", pilot))
    response = client.post(
        _url("progress-add", pilot),
        {**_date("entry_on", _today()), "text": "First joint meeting held.", "is_internal": "no"},
    )

    assert page.context["form"].initial["entry_on"] == _today()
    _back_to_pilot(response, pilot, "The entry was added to the progress log")
    entry = ProgressEntry.objects.get(pilot=pilot)
    assert (entry.text, entry.recorded_by, entry.is_internal) == (
        "First joint meeting held.",
        officer_user,
        False,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                **_date("entry_on", timezone.localdate() + dt.timedelta(days=1)),
                "text": "Soon",
                "is_internal": "no",
            },
            "The date of the progress entry must be today or in the past",
        ),
        ({**_date("entry_on", timezone.localdate()), "text": "", "is_internal": "no"}, "Enter what happened"),
    ],
    ids=["in the future", "no text"],
)
def test_bad_progress_input_is_shown_in_the_error_summary(client, officer_user, pilot, data, message):
    client.force_login(officer_user)

    response = client.post(_url("progress-add", pilot), data)

    assert message in _error_summary(response)
    assert not ProgressEntry.objects.exists()


# Who may change the plan


@pytest.mark.parametrize("make_user", [DirectorFactory, ProviderUserFactory], ids=["director", "provider"])
@pytest.mark.parametrize("name", ["objective-add", "milestone-add", "risk-add", "progress-add"])
def test_only_officers_change_the_plan(client, pilot, make_user, name):
    client.force_login(make_user())

    assert client.post(_url(name, pilot), {}).status_code == 403


def test_a_draft_pilots_plan_is_changed_by_officers(client, officer_user, owner):
    draft = PartnershipPilotFactory(is_published=False)
    client.force_login(officer_user)

    response = client.post(_url("objective-add", draft), _objective_data(owner))

    assert response.status_code == 302
    assert Objective.objects.filter(pilot=draft).exists()
