"""The directors' enquiry figures counted again by a real Celery worker on Redis after enquiries change."""

import pytest
from django.urls import reverse

from engagement.models import KeptEnquiryFigures
from engagement.selectors.enquiry_figures import enquiries_version
from engagement.tests.factories_enquiries import EnquiryFactory
from portal.tests.factories import DirectorFactory
from tests.celery_worker import queued_to, wait_for

pytestmark = pytest.mark.worker


def test_a_visit_after_a_change_shows_the_kept_figures_and_the_worker_counts_them_again(start_worker, client):
    EnquiryFactory(raised_by=None)
    client.force_login(DirectorFactory())
    url = reverse("engagement:enquiry-figures")
    first = client.get(url)
    assert first.context["figures"].total.raised == 1
    assert first.context["figures"].up_to_date
    worker = start_worker(beat=False)

    EnquiryFactory(raised_by=None)
    with queued_to(worker):
        during = client.get(url)

    # The visit did not wait for the count: it shows what was kept, and says a new count is coming.
    assert during.status_code == 200
    assert during.context["figures"].total.raised == 1
    assert not during.context["figures"].up_to_date
    assert "the figures are being counted again" in during.content.decode()
    version = enquiries_version()
    wait_for(
        lambda: KeptEnquiryFigures.objects.filter(version=version, refresh_requested_at=None).exists(),
        seconds=30,
        worker=worker,
        what="the worker did not count the figures again",
    )
    after = client.get(url)
    assert after.context["figures"].total.raised == 2
    assert after.context["figures"].up_to_date
    assert "being counted again" not in after.content.decode()
    assert KeptEnquiryFigures.objects.count() == 1
