"""The demo's year of enquiries: routed, mostly resolved with timelines, some open or overdue, made once."""

import datetime as dt

import pytest
from django.db.models import Count, Max, Min
from django.utils import timezone

from directory.demo import link_demo_officer, seed_directory
from engagement.demo.enquiries import ENQUIRIES_PER_SCALE, seed_enquiries
from engagement.models import Enquiry, EnquiryEvent
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_council():
    seed_directory(scale=1)
    return link_demo_officer(CouncilUserFactory(email="officer@example.org", full_name="Olivia Officer"))


def test_a_year_of_enquiries_is_made_once(demo_council):
    created = seed_enquiries(scale=1)

    assert created["enquiries"] == Enquiry.objects.count() == ENQUIRIES_PER_SCALE
    assert created["enquiry events"] == EnquiryEvent.objects.count()
    today = timezone.localdate()
    span = Enquiry.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert (
        today - dt.timedelta(days=366) <= timezone.localdate(span["first"]) <= today - dt.timedelta(days=300)
    )
    assert timezone.localdate(span["last"]) >= today - dt.timedelta(days=14)
    assert seed_enquiries(scale=1) == {"enquiry targets": 0, "enquiries": 0, "enquiry events": 0}
    assert Enquiry.objects.count() == ENQUIRIES_PER_SCALE


def test_the_demo_enquiries_are_varied_and_mostly_resolved(demo_council):
    seed_enquiries(scale=1)

    statuses = dict(Enquiry.objects.values_list("status").annotate(Count("pk")))
    assert statuses[Enquiry.Status.RESOLVED] > 0.8 * ENQUIRIES_PER_SCALE
    assert statuses[Enquiry.Status.OPEN] > 0
    assert Enquiry.objects.filter(status=Enquiry.Status.OPEN, due_on__lt=timezone.localdate()).exists()
    assert Enquiry.objects.values("topic").distinct().count() >= 8
    assert Enquiry.objects.values("area").distinct().count() >= 4
    assert Enquiry.objects.values("provider").distinct().count() > 100
    assert Enquiry.objects.filter(assigned_officer__isnull=True).exists()
    resolved = Enquiry.objects.filter(status=Enquiry.Status.RESOLVED)
    assert not resolved.filter(first_response_at__isnull=True).exists()
    assert not resolved.filter(resolved_at__lt=timezone.now() - dt.timedelta(days=400)).exists()


def test_each_demo_timeline_runs_in_order_from_raised_to_resolved(demo_council):
    seed_enquiries(scale=1)

    enquiry = Enquiry.objects.filter(status=Enquiry.Status.RESOLVED).order_by("reference").first()
    events = list(enquiry.events.order_by("created_at", "pk"))
    assert events[0].kind == EnquiryEvent.Kind.RAISED
    assert events[0].created_at == enquiry.created_at
    assert events[-1].kind == EnquiryEvent.Kind.RESOLVED
    assert events[-1].created_at == enquiry.resolved_at
    assert not EnquiryEvent.objects.filter(kind=EnquiryEvent.Kind.INTERNAL_NOTE, is_internal=False).exists()


def test_the_demo_officer_has_enquiries_of_their_own(demo_council):
    seed_enquiries(scale=1)

    theirs = Enquiry.objects.filter(assigned_officer=demo_council)
    assert theirs.count() >= ENQUIRIES_PER_SCALE // 15
    assert theirs.filter(assigned_team=demo_council.team).count() == theirs.count()


def test_a_larger_scale_adds_enquiries_without_changing_those_made(demo_council):
    seed_enquiries(scale=1)
    before = list(Enquiry.objects.order_by("reference").values_list("reference", "subject", "due_on"))

    assert seed_enquiries(scale=2)["enquiries"] == ENQUIRIES_PER_SCALE

    after = Enquiry.objects.order_by("reference").values_list("reference", "subject", "due_on")
    assert list(after[:ENQUIRIES_PER_SCALE]) == before
