"""Versioned terms of reference, the list of terms due for review, and maturity assessments."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.models import MaturityAssessment, TermsOfReference
from engagement.selectors.groups import terms_due
from engagement.services.groups import (
    REVIEW_BEFORE_APPROVAL,
    GroupError,
    maturity_assess,
    terms_create,
)
from engagement.tests.factories import EngagementGroupFactory, TermsOfReferenceFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, the count and the page of groups with chair and latest terms.
TERMS_DUE_MAX_QUERIES = 5

TODAY = timezone.localdate


def _client(client, user):
    client.force_login(user)
    return client


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _terms_post(*, approved_on: dt.date, review_on: dt.date, **text) -> dict[str, str]:
    return {
        "purpose": "To share news.",
        "membership": "Providers in Mid.",
        "decision_making": "By consensus.",
        **text,
        **_date("approved_on", approved_on),
        **_date("review_on", review_on),
    }


# Versions


def test_each_new_version_is_numbered_after_the_last_and_the_earlier_ones_are_kept(users):
    group = EngagementGroupFactory()
    first = terms_create(
        group=group,
        by=users["manager"],
        purpose="First.",
        membership="Members.",
        decision_making="Consensus.",
        approved_on=TODAY() - dt.timedelta(days=400),
        review_on=TODAY() - dt.timedelta(days=35),
    )
    second = terms_create(
        group=group,
        by=users["manager"],
        purpose="Second.",
        membership="Members.",
        decision_making="Consensus.",
        approved_on=TODAY(),
        review_on=TODAY() + dt.timedelta(days=365),
    )

    assert (first.version, second.version) == (1, 2)
    assert list(group.terms_of_reference.values_list("version", "purpose")) == [(2, "Second."), (1, "First.")]
    assert second.approved_by == users["manager"]


def test_the_review_date_must_come_after_the_approval_date(users):
    group = EngagementGroupFactory()

    with pytest.raises(GroupError) as error:
        terms_create(
            group=group,
            by=users["manager"],
            purpose="P.",
            membership="M.",
            decision_making="D.",
            approved_on=TODAY(),
            review_on=TODAY(),
        )

    assert (error.value.field, error.value.message) == ("review_on", REVIEW_BEFORE_APPROVAL)
    assert not TermsOfReference.objects.exists()


def test_a_new_version_cannot_be_approved_before_the_one_it_replaces(users):
    group = EngagementGroupFactory()
    TermsOfReferenceFactory(group=group, version=1, approved_on=TODAY() - dt.timedelta(days=10))

    with pytest.raises(GroupError, match="on or after") as error:
        terms_create(
            group=group,
            by=users["manager"],
            purpose="P.",
            membership="M.",
            decision_making="D.",
            approved_on=TODAY() - dt.timedelta(days=20),
            review_on=TODAY() + dt.timedelta(days=300),
        )

    assert error.value.field == "approved_on"


def test_the_terms_form_starts_from_a_copy_of_the_latest_version(client, users):
    group = EngagementGroupFactory()
    TermsOfReferenceFactory(group=group, version=1, purpose="Old purpose.")
    TermsOfReferenceFactory(group=group, version=2, purpose="Latest purpose.", membership="Latest members.")

    response = _client(client, users["manager"]).get(reverse("engagement:terms-add", args=[group.slug]))

    assert response.context["version"] == 3
    assert response.context["form"].initial["purpose"] == "Latest purpose."
    assert response.context["form"].initial["membership"] == "Latest members."
    assert "Terms of reference, version 3" in response.content.decode()


def test_the_engagement_manager_adds_a_version_through_the_form(client, users):
    group = EngagementGroupFactory()
    TermsOfReferenceFactory(group=group, version=1)

    response = _client(client, users["manager"]).post(
        reverse("engagement:terms-add", args=[group.slug]),
        _terms_post(approved_on=TODAY(), review_on=TODAY() + dt.timedelta(days=365), purpose="Renewed."),
    )

    assert response.status_code == 302
    latest = group.terms_of_reference.first()
    assert (latest.version, latest.purpose, latest.approved_by) == (2, "Renewed.", users["manager"])


def test_a_review_date_before_the_approval_date_shows_an_error_summary(client, users):
    group = EngagementGroupFactory()

    response = _client(client, users["manager"]).post(
        reverse("engagement:terms-add", args=[group.slug]),
        _terms_post(approved_on=TODAY(), review_on=TODAY() - dt.timedelta(days=1)),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert 'href="#id_review_on_0"' in content or 'href="#id_review_on"' in content
    assert REVIEW_BEFORE_APPROVAL in content
    assert not TermsOfReference.objects.exists()


def test_a_date_that_is_not_real_is_named_in_the_error_summary(client, users):
    group = EngagementGroupFactory()
    data = _terms_post(approved_on=TODAY(), review_on=TODAY() + dt.timedelta(days=365))
    data["approved_on_1"] = "13"

    response = _client(client, users["manager"]).post(
        reverse("engagement:terms-add", args=[group.slug]), data
    )

    assert "The date the terms were approved must be a real date" in response.content.decode()


def test_an_officer_may_not_add_terms(client, users):
    group = EngagementGroupFactory()

    response = _client(client, users["officer"]).post(
        reverse("engagement:terms-add", args=[group.slug]),
        _terms_post(approved_on=TODAY(), review_on=TODAY() + dt.timedelta(days=365)),
    )

    assert response.status_code == 403
    assert not TermsOfReference.objects.exists()


# Terms due


def test_terms_due_lists_missing_then_overdue_then_due_soon_and_leaves_out_current_and_inactive():
    today = TODAY()
    missing = EngagementGroupFactory(name="No Terms Forum")
    overdue = EngagementGroupFactory(name="Overdue Forum")
    TermsOfReferenceFactory(group=overdue, version=1, review_on=today + dt.timedelta(days=50))
    # The latest version counts, not the earlier one.
    TermsOfReferenceFactory(
        group=overdue,
        version=2,
        approved_on=today - dt.timedelta(days=400),
        review_on=today - dt.timedelta(days=40),
    )
    soon = EngagementGroupFactory(name="Due Soon Forum")
    TermsOfReferenceFactory(group=soon, review_on=today + dt.timedelta(days=10))
    TermsOfReferenceFactory(group=EngagementGroupFactory(name="Current Forum"))
    EngagementGroupFactory(name="Inactive Forum", is_active=False)

    due = list(terms_due(today=today))

    assert [group.name for group in due] == [missing.name, overdue.name, soon.name]
    assert due[1].terms_version == 2


def test_the_terms_due_page_shows_how_overdue(client, users):
    group = EngagementGroupFactory(name="Overdue Forum")
    TermsOfReferenceFactory(
        group=group, approved_on=TODAY() - dt.timedelta(days=500), review_on=TODAY() - dt.timedelta(days=70)
    )
    EngagementGroupFactory(name="No Terms Forum")

    content = _client(client, users["officer"]).get(reverse("engagement:terms-due")).content.decode()

    assert "Overdue by 2\xa0months" in content
    assert "Missing" in content


def test_providers_may_not_see_terms_due(client, users):
    assert _client(client, users["provider_a"]).get(reverse("engagement:terms-due")).status_code == 403


def test_terms_due_takes_the_same_queries_for_3_or_30_groups(client, users, django_assert_max_num_queries):
    client = _client(client, users["officer"])

    def add(count: int) -> None:
        for _ in range(count):
            group = EngagementGroupFactory()
            TermsOfReferenceFactory(
                group=group,
                approved_on=TODAY() - dt.timedelta(days=400),
                review_on=TODAY() - dt.timedelta(days=5),
            )

    add(3)
    with django_assert_max_num_queries(TERMS_DUE_MAX_QUERIES):
        small = client.get(reverse("engagement:terms-due"))
    add(27)
    with django_assert_max_num_queries(TERMS_DUE_MAX_QUERIES):
        large = client.get(reverse("engagement:terms-due"))

    assert (small.context["page_obj"].paginator.count, large.context["page_obj"].paginator.count) == (3, 30)


# Maturity


def test_each_assessment_is_kept_as_the_groups_history(users):
    group = EngagementGroupFactory()
    ratings = dict.fromkeys(MaturityAssessment.CRITERIA, 2)
    maturity_assess(
        group=group, by=users["manager"], assessed_on=TODAY() - dt.timedelta(days=365), ratings=ratings
    )
    maturity_assess(
        group=group,
        by=users["manager"],
        assessed_on=TODAY(),
        ratings={**ratings, "provider_voice": 4},
        notes="Better.",
    )

    assert [assessment.score for assessment in group.maturity_assessments.all()] == [2.4, 2.0]


def test_an_assessment_cannot_be_dated_in_the_future(users):
    with pytest.raises(GroupError) as error:
        maturity_assess(
            group=EngagementGroupFactory(),
            by=users["manager"],
            assessed_on=TODAY() + dt.timedelta(days=1),
            ratings=dict.fromkeys(MaturityAssessment.CRITERIA, 2),
        )

    assert error.value.field == "assessed_on"


def test_the_engagement_manager_assesses_through_the_form(client, users):
    group = EngagementGroupFactory()
    data = {
        **_date("assessed_on", TODAY()),
        **dict.fromkeys(MaturityAssessment.CRITERIA, "3"),
        "notes": "Settled.",
    }

    response = _client(client, users["manager"]).post(
        reverse("engagement:maturity-add", args=[group.slug]), data
    )

    assert response.status_code == 302
    assessment = group.maturity_assessments.get()
    assert (assessment.score, assessment.assessed_by, assessment.notes) == (3.0, users["manager"], "Settled.")


def test_a_missing_rating_is_named_in_the_error_summary(client, users):
    group = EngagementGroupFactory()
    data = {**_date("assessed_on", TODAY()), **dict.fromkeys(MaturityAssessment.CRITERIA, "3")}
    del data["provider_voice"]

    response = _client(client, users["manager"]).post(
        reverse("engagement:maturity-add", args=[group.slug]), data
    )

    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Rate the group on “providers shape the agenda”" in content
    assert not MaturityAssessment.objects.exists()
