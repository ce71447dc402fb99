"""A group's "you said, we did": public once published, drafts for council staff only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.models import YouSaidWeDid
from engagement.services.followup import (
    ACTIVITY_NOT_IN_GROUP,
    ANSWER_NEEDED_TO_PUBLISH,
    FollowupError,
    you_said_we_did_save,
)
from engagement.tests.factories import EngagementGroupFactory
from engagement.tests.factories_groups import YouSaidWeDidFactory, held_activity

pytestmark = pytest.mark.django_db

# Session, user, roles, the group, the count, the page of entries with their activity, and permissions (two).
YOU_SAID_WE_DID_MAX_QUERIES = 8


def _client(client, user):
    client.force_login(user)
    return client


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


@pytest.fixture
def group():
    group = EngagementGroupFactory(name="Mid Provider Forum")
    YouSaidWeDidFactory(group=group, you_said="Invoices are paid late.", we_did="Weekly payment runs.")
    YouSaidWeDidFactory(group=group, you_said="A draft point.", we_did="", published_on=None)
    YouSaidWeDidFactory(
        group=group, you_said="Published next week.", published_on=timezone.localdate() + dt.timedelta(days=7)
    )
    return group


def test_providers_see_only_entries_already_published(client, users, group):
    response = _client(client, users["provider_a"]).get(
        reverse("engagement:you-said-we-did", args=[group.slug])
    )

    assert [entry.you_said for entry in response.context["entries"]] == ["Invoices are paid late."]
    content = response.content.decode()
    assert "Weekly payment runs." in content
    assert "A draft point." not in content
    assert "Add an entry" not in content


def test_council_staff_also_see_drafts_and_entries_to_be_published(client, users, group):
    response = _client(client, users["director"]).get(
        reverse("engagement:you-said-we-did", args=[group.slug])
    )

    assert len(response.context["entries"]) == 3
    content = response.content.decode()
    assert "Draft" in content
    assert "To be published" in content


def test_an_officer_adds_a_published_entry_raised_at_a_meeting(client, users, group):
    meeting = held_activity(group=group, title="Autumn forum")
    today = timezone.localdate()

    response = _client(client, users["officer"]).post(
        reverse("engagement:you-said-we-did-add", args=[group.slug]),
        {
            "you_said": "Discharges on Fridays.",
            "we_did": "No Friday afternoon starts.",
            "activity": meeting.pk,
            **_date("published_on", today),
        },
    )

    assert response.status_code == 302
    entry = YouSaidWeDid.objects.get(you_said="Discharges on Fridays.")
    assert (entry.group, entry.activity, entry.published_on) == (group, meeting, today)


def test_publishing_without_saying_what_was_done_shows_an_error_summary(client, users, group):
    response = _client(client, users["officer"]).post(
        reverse("engagement:you-said-we-did-add", args=[group.slug]),
        {"you_said": "Something.", **_date("published_on", timezone.localdate())},
    )

    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert ANSWER_NEEDED_TO_PUBLISH in content
    assert not YouSaidWeDid.objects.filter(you_said="Something.").exists()


def test_an_entry_can_only_point_at_an_activity_of_its_group(users, group):
    elsewhere = held_activity(group=EngagementGroupFactory())

    with pytest.raises(FollowupError, match=ACTIVITY_NOT_IN_GROUP):
        you_said_we_did_save(group=group, by=users["officer"], you_said="Point.", activity=elsewhere)


def test_a_draft_is_completed_and_published_later(client, users, group):
    draft = group.you_said_we_did.get(published_on__isnull=True)
    today = timezone.localdate()

    _client(client, users["officer"]).post(
        reverse("engagement:you-said-we-did-edit", args=[group.slug, draft.pk]),
        {"you_said": draft.you_said, "we_did": "We changed it.", **_date("published_on", today)},
    )

    draft.refresh_from_db()
    assert (draft.we_did, draft.published_on) == ("We changed it.", today)


def test_an_entry_of_another_group_is_a_404(client, users, group):
    other = YouSaidWeDidFactory()

    response = _client(client, users["officer"]).get(
        reverse("engagement:you-said-we-did-edit", args=[group.slug, other.pk])
    )

    assert response.status_code == 404


def test_a_director_may_read_but_not_add(client, users, group):
    response = _client(client, users["director"]).get(
        reverse("engagement:you-said-we-did-add", args=[group.slug])
    )

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["officer", "provider_a"])
def test_the_list_takes_the_same_queries_for_3_or_30_entries(
    client, users, role, django_assert_max_num_queries
):
    group = EngagementGroupFactory()
    client = _client(client, users[role])

    def add(count: int) -> None:
        for _ in range(count):
            YouSaidWeDidFactory(group=group, activity=held_activity(group=group))

    add(3)
    with django_assert_max_num_queries(YOU_SAID_WE_DID_MAX_QUERIES):
        small = client.get(reverse("engagement:you-said-we-did", args=[group.slug]))
    add(27)
    with django_assert_max_num_queries(YOU_SAID_WE_DID_MAX_QUERIES):
        large = client.get(reverse("engagement:you-said-we-did", args=[group.slug]))

    assert small.context["page_obj"].paginator.count == 3
    assert large.context["page_obj"].paginator.count == 30
