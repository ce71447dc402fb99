"""Keeping the directors' enquiry figures counted, so that a visit to the figures page never waits for a count.

The page shows the figures kept for its range of months (KeptEnquiryFigures). When enquiries have changed since
they were counted, it asks the worker once to count them again; a count is one query, but a long one. Each night
the default range is counted for the new day, and kept figures of past days are removed.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from engagement.models import KeptEnquiryFigures
from engagement.selectors import enquiry_figures as selectors
from engagement.selectors.plan import month_start

logger = logging.getLogger(__name__)

# A refresh asked for but not done by then (the worker or broker was down) is asked for again.
REFRESH_AGAIN_AFTER = dt.timedelta(minutes=2)
# Kept figures of days this far back are removed.
KEEP_DAYS = 7


def enquiry_figures_keep(
    *, first_month: dt.date, last_month: dt.date, today: dt.date, version: str | None = None
) -> KeptEnquiryFigures:
    """Count the figures for the range now and keep them, replacing any kept before."""
    version = version or selectors.enquiries_version()
    rows = selectors.count_rows(first_month=first_month, last_month=last_month, today=today)
    values = {"version": version, "rows": rows, "counted_at": timezone.now(), "refresh_requested_at": None}
    try:
        with transaction.atomic():
            kept, _ = KeptEnquiryFigures.objects.update_or_create(
                first_month=first_month, last_month=last_month, today=today, defaults=values
            )
    except IntegrityError:  # counted at the same moment by another visit: theirs is as good
        kept = KeptEnquiryFigures.objects.get(first_month=first_month, last_month=last_month, today=today)
    return kept


def enquiry_figures_refresh_request(*, kept: KeptEnquiryFigures) -> KeptEnquiryFigures:
    """Ask the worker, once, to count the range again; returns the figures as kept now.

    With tasks run in-process (local development, tests) the count has happened by the time this returns.
    """
    from engagement.tasks import refresh_enquiry_figures
    from portal.celery import app

    now = timezone.now()
    asked = (
        KeptEnquiryFigures.objects.filter(pk=kept.pk)
        .exclude(refresh_requested_at__gt=now - REFRESH_AGAIN_AFTER)
        .update(refresh_requested_at=now)
    )
    if asked:
        arguments = (kept.first_month.isoformat(), kept.last_month.isoformat(), kept.today.isoformat())
        try:
            refresh_enquiry_figures.apply_async(arguments, retry=False)
        except Exception:  # noqa: BLE001 - the broker being down must not fail the page; asked again later
            logger.warning("Could not ask for the enquiry figures to be counted again", exc_info=True)
        if app.conf.task_always_eager:
            # Counted in-process: the kept figures have been replaced.
            return KeptEnquiryFigures.objects.get(pk=kept.pk)
    # The worker counts them later; until then the figures are the ones already read.
    return kept


def enquiry_figures_nightly(*, today: dt.date) -> KeptEnquiryFigures:
    """Count the default range for a new day, and forget figures kept for days long past."""
    KeptEnquiryFigures.objects.filter(today__lt=today - dt.timedelta(days=KEEP_DAYS)).delete()
    this_month = today.replace(day=1)
    return enquiry_figures_keep(
        first_month=month_start(this_month, 1 - selectors.FIGURES_MONTHS), last_month=this_month, today=today
    )
