"""Engagement groups: who sees what on the list and a group's page, and how the engagement manager keeps them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.tests.factories import OfficerFactory, ProviderAssociationFactory
from engagement.models import EngagementGroup
from engagement.services.groups import GroupError, group_create, group_update
from engagement.tests.factories import EngagementGroupFactory, TermsOfReferenceFactory
from engagement.tests.factories_groups import MaturityAssessmentFactory, held_activity

pytestmark = pytest.mark.django_db

# Session, user, roles, the count, the page of groups with chair, terms and latest maturity, and the
# user's permissions (two) for the "Add a group" button.
GROUP_LIST_MAX_QUERIES = 7
# Session, user, roles, the group, terms, three kinds of member, maturity, two lots of activities, permissions.
GROUP_PAGE_MAX_QUERIES = 13


def _client(client, user):
    client.force_login(user)
    return client


def _group_with_history(name: str, *, scores: tuple[int, int]) -> EngagementGroup:
    group = EngagementGroupFactory(name=name, slug=name.lower().replace(" ", "-"))
    TermsOfReferenceFactory(group=group, version=1, purpose="The first purpose.")
    TermsOfReferenceFactory(group=group, version=2, purpose="The current purpose.")
    today = timezone.localdate()
    old, new = scores
    MaturityAssessmentFactory(group=group, assessed_on=today - dt.timedelta(days=365), **_all(old))
    MaturityAssessmentFactory(group=group, assessed_on=today, **_all(new))
    return group


def _all(rating: int) -> dict[str, int]:
    return dict.fromkeys(
        ("clear_purpose", "right_membership", "steady_attendance", "actions_followed_up", "provider_voice"),
        rating,
    )


# The services


def test_a_new_group_gets_a_slug_from_its_name_and_keeps_it_when_renamed(users):
    manager = users["manager"]
    group = group_create(
        by=manager, name="North East Provider Forum", kind="area_forum", purpose="Share news."
    )
    assert group.slug == "north-east-provider-forum"

    renamed = group_update(group=group, by=manager, name="NE Forum", kind="area_forum", purpose="Share news.")

    assert (renamed.name, renamed.slug) == ("NE Forum", "north-east-provider-forum")
    assert renamed.history.first().history_user == manager


def test_a_group_named_like_a_page_gets_a_slug_that_does_not_hide_the_page(users):
    group = group_create(by=users["manager"], name="New", kind="other", purpose="Anything.")

    assert group.slug == "new-2"


def test_two_groups_cannot_share_a_name(users):
    EngagementGroupFactory(name="Care Sector Group")

    with pytest.raises(GroupError) as error:
        group_create(by=users["manager"], name="care sector group", kind="sector", purpose="Workforce.")

    assert error.value.field == "name"


# The list


def test_council_staff_see_every_group_with_its_latest_maturity_score(client, users):
    _group_with_history("Mid Provider Forum", scores=(1, 3))
    EngagementGroupFactory(name="Retired Forum", is_active=False)

    response = _client(client, users["officer"]).get(reverse("engagement:group-list"))

    groups = {group.name: group for group in response.context["groups"]}
    assert set(groups) == {"Mid Provider Forum", "Retired Forum"}
    assert groups["Mid Provider Forum"].maturity_score == 3.0
    assert groups["Mid Provider Forum"].maturity_band == "Established"
    assert groups["Mid Provider Forum"].terms_version == 2
    page = response.content.decode()
    assert "Established (3.0 out of 4)" in page
    assert "Inactive" in page


def test_the_latest_score_is_the_average_of_the_latest_assessment(client, users):
    group = EngagementGroupFactory(name="Strategic Group")
    MaturityAssessmentFactory(
        group=group, assessed_on=timezone.localdate() - dt.timedelta(days=400), **_all(4)
    )
    MaturityAssessmentFactory(
        group=group,
        clear_purpose=1,
        right_membership=2,
        steady_attendance=2,
        actions_followed_up=1,
        provider_voice=2,
    )

    response = _client(client, users["manager"]).get(reverse("engagement:group-list"))

    listed = response.context["groups"][0]
    assert listed.maturity_score == pytest.approx(1.6)
    assert listed.maturity_band == "Developing"


def test_providers_see_active_groups_without_maturity(client, users):
    _group_with_history("Mid Provider Forum", scores=(1, 3))
    EngagementGroupFactory(name="Retired Forum", is_active=False)

    response = _client(client, users["provider_a"]).get(reverse("engagement:group-list"))

    assert [group.name for group in response.context["groups"]] == ["Mid Provider Forum"]
    page = response.content.decode()
    assert "Maturity" not in page
    assert "out of 4" not in page
    assert "Add a group" not in page


def test_the_list_can_show_one_kind_of_group(client, users):
    EngagementGroupFactory(name="Mid Provider Forum")
    EngagementGroupFactory(name="Safeguarding Provider Group", kind=EngagementGroup.Kind.SAFEGUARDING)

    response = _client(client, users["officer"]).get(
        reverse("engagement:group-list"), {"kind": "safeguarding"}
    )

    assert [group.name for group in response.context["groups"]] == ["Safeguarding Provider Group"]


@pytest.mark.parametrize("role", ["manager", "provider_a"])
def test_the_group_list_takes_the_same_queries_for_3_or_30_groups(
    client, users, role, django_assert_max_num_queries
):
    client = _client(client, users[role])
    for number in range(3):
        _group_with_history(f"Forum {number}", scores=(2, 3))
    with django_assert_max_num_queries(GROUP_LIST_MAX_QUERIES):
        small = client.get(reverse("engagement:group-list"))

    for number in range(3, 30):
        _group_with_history(f"Forum {number}", scores=(2, 3))
    with django_assert_max_num_queries(GROUP_LIST_MAX_QUERIES):
        large = client.get(reverse("engagement:group-list"))

    assert small.context["page_obj"].paginator.count == 3
    assert large.context["page_obj"].paginator.count == 30


# A group's page


def test_council_staff_see_maturity_history_and_every_terms_version(client, users):
    group = _group_with_history("Mid Provider Forum", scores=(1, 3))

    response = _client(client, users["officer"]).get(reverse("engagement:group-detail", args=[group.slug]))

    page = response.context["page"]
    assert [terms.version for terms in page.terms] == [2, 1]
    assert [assessment.score for assessment in page.maturity] == [3.0, 1.0]
    content = response.content.decode()
    assert "The current purpose." in content
    assert "Version 1, approved" in content
    assert "Assess maturity" not in content  # officers read; the engagement manager assesses


def test_providers_see_the_current_terms_but_not_maturity_or_earlier_versions(client, users):
    group = _group_with_history("Mid Provider Forum", scores=(1, 3))

    response = _client(client, users["provider_a"]).get(reverse("engagement:group-detail", args=[group.slug]))

    content = response.content.decode()
    assert "The current purpose." in content
    assert "The first purpose." not in content
    assert "Maturity" not in content
    assert response.context["page"].maturity == []
    assert "Edit group" not in content


def test_providers_get_a_404_for_an_inactive_group(client, users):
    group = EngagementGroupFactory(is_active=False)

    provider = _client(client, users["provider_a"]).get(reverse("engagement:group-detail", args=[group.slug]))

    assert provider.status_code == 404


def test_the_group_page_lists_members_and_links_recent_meetings_to_their_notes(client, users):
    group = EngagementGroupFactory(name="Care Sector Group", kind=EngagementGroup.Kind.SECTOR)
    group.member_officers.set([OfficerFactory(full_name="Olu Officer")])
    group.member_associations.set([ProviderAssociationFactory(name="Care Association")])
    group.member_providers.set([users["provider_a"].provider_organisation])
    meeting = held_activity(group=group, title="Autumn meeting")

    response = _client(client, users["officer"]).get(reverse("engagement:group-detail", args=[group.slug]))

    content = response.content.decode()
    assert "Olu Officer" in content
    assert "Care Association" in content
    assert "Provider A Care Ltd" in content
    assert reverse("engagement:activity-notes", args=[meeting.pk]) in content


def test_the_group_page_takes_the_same_queries_with_many_members(
    client, users, django_assert_max_num_queries
):
    group = _group_with_history("Mid Provider Forum", scores=(1, 3))
    client = _client(client, users["manager"])
    group.member_officers.set(OfficerFactory.create_batch(3))
    with django_assert_max_num_queries(GROUP_PAGE_MAX_QUERIES):
        client.get(reverse("engagement:group-detail", args=[group.slug]))

    group.member_officers.set(OfficerFactory.create_batch(30))
    for days in range(1, 10):
        held_activity(group=group, days_ago=days)
    with django_assert_max_num_queries(GROUP_PAGE_MAX_QUERIES):
        response = client.get(reverse("engagement:group-detail", args=[group.slug]))
    assert len(response.context["page"].members_officers) == 30


# Adding and editing a group


def test_the_engagement_manager_adds_a_group_with_members(client, users):
    chair = OfficerFactory(full_name="Chris Chair")
    association = ProviderAssociationFactory(name="Care Association")
    provider = users["provider_a"].provider_organisation

    response = _client(client, users["manager"]).post(
        reverse("engagement:group-add"),
        {
            "name": "Tier One Meeting: Provider A",
            "kind": "tier_one",
            "purpose": "Quarterly contract and relationship meeting.",
            "chair": chair.pk,
            "meeting_frequency": "quarterly",
            "member_officers": [chair.pk],
            "member_providers": [provider.pk],
            "member_associations": [association.pk],
            "is_active": "on",
        },
    )

    group = EngagementGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("engagement:group-detail", args=[group.slug])
    assert (group.kind, group.chair, group.is_active) == ("tier_one", chair, True)
    assert list(group.member_providers.all()) == [provider]
    assert list(group.member_associations.all()) == [association]


def test_adding_a_group_with_a_taken_name_shows_an_error_summary(client, users):
    EngagementGroupFactory(name="Care Sector Group")

    response = _client(client, users["manager"]).post(
        reverse("engagement:group-add"),
        {
            "name": "Care Sector Group",
            "kind": "sector",
            "purpose": "Workforce.",
            "meeting_frequency": "monthly",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert "There is already a group with this name" in content
    assert EngagementGroup.objects.count() == 1


def test_an_empty_group_form_names_every_missing_answer(client, users):
    response = _client(client, users["manager"]).post(reverse("engagement:group-add"), {})

    content = response.content.decode()
    for message in (
        "Enter the group&#x27;s name",
        "Choose what kind of group it is",
        "Enter the group&#x27;s purpose",
    ):
        assert message in content
    assert "<title>Error: " in content


def test_editing_a_group_starts_from_its_details_and_can_make_it_inactive(client, users):
    group = EngagementGroupFactory(name="Mid Provider Forum", purpose="Old purpose.")
    client = _client(client, users["manager"])

    form = client.get(reverse("engagement:group-edit", args=[group.slug])).context["form"]
    assert form.initial["purpose"] == "Old purpose."

    client.post(
        reverse("engagement:group-edit", args=[group.slug]),
        {"name": group.name, "kind": group.kind, "purpose": "New purpose.", "meeting_frequency": "bimonthly"},
    )

    group.refresh_from_db()
    assert (group.purpose, group.meeting_frequency, group.is_active) == ("New purpose.", "bimonthly", False)


def test_an_officer_may_not_add_or_edit_a_group(client, users):
    group = EngagementGroupFactory()
    client = _client(client, users["officer"])

    assert client.get(reverse("engagement:group-add")).status_code == 403
    assert client.post(reverse("engagement:group-edit", args=[group.slug]), {"name": "X"}).status_code == 403
    assert client.get(reverse("engagement:group-edit", args=["no-such-group"])).status_code == 403
