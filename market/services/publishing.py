"""Writing market direction and fees pages as drafts, and publishing them.

Only engagement managers write and publish (the views check the permissions). Publishing an intention or an
opportunity writes one email to each subscriber it concerns, in the same transaction; publishing again sends none.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from market.models import (
    CommercialOpportunity,
    CommissioningIntention,
    FeeExplanation,
    MarketPositionStatement,
    Published,
)
from market.selectors.subscriptions import subscribers_for
from portal.service_errors import ServiceError

REVIEW_NOT_AFTER_PUBLICATION = "The review date must be after the publication date"
CLOSES_BEFORE_OPENING = "The closing date must be on or after the opening date"
CONTRACT_BEFORE_CLOSING = "The contract start date must be after the closing date"
FEE_YEAR_TAKEN = "There is already a fee explanation for this type of service and year"


class MarketError(ServiceError):
    """A market direction or fees page that cannot be saved or published."""


def _check_review(review_on: dt.date, published_on: dt.date | None) -> None:
    if review_on <= (published_on or timezone.localdate()):
        raise MarketError(REVIEW_NOT_AFTER_PUBLICATION, field="review_on")


def _save(model: type[Published], item: Published | None, fields: dict, m2m: dict | None = None) -> Published:
    with transaction.atomic():
        item = model() if item is None else model.objects.select_for_update().get(pk=item.pk)
        _check_review(fields["review_on"], item.published_on)
        for name, value in fields.items():
            setattr(item, name, value.strip() if isinstance(value, str) else value)
        item.save()
        for name, values in (m2m or {}).items():
            getattr(item, name).set(values)
    return item


def intention_save(
    *,
    title: str,
    service_type,
    areas,
    direction: str,
    what_and_why: str,
    when: str,
    starts_on: dt.date,
    owner,
    review_on: dt.date,
    item: CommissioningIntention | None = None,
) -> CommissioningIntention:
    """Write a new draft intention, or change one (a published one stays published)."""
    fields = {
        "title": title,
        "service_type": service_type,
        "direction": direction,
        "what_and_why": what_and_why,
        "when": when,
        "starts_on": starts_on,
        "owner": owner,
        "review_on": review_on,
    }
    return _save(CommissioningIntention, item, fields, {"areas": areas})


def statement_save(
    *,
    title: str,
    year: str,
    summary: str,
    body: str,
    owner,
    review_on: dt.date,
    item: MarketPositionStatement | None = None,
) -> MarketPositionStatement:
    fields = {
        "title": title,
        "year": year,
        "summary": summary,
        "body": body,
        "owner": owner,
        "review_on": review_on,
    }
    return _save(MarketPositionStatement, item, fields)


def opportunity_save(
    *,
    title: str,
    description: str,
    service_types,
    areas,
    procurement_route: str,
    opens_on: dt.date,
    closes_on: dt.date,
    contract_starts_on: dt.date | None,
    owner,
    review_on: dt.date,
    item: CommercialOpportunity | None = None,
) -> CommercialOpportunity:
    if closes_on < opens_on:
        raise MarketError(CLOSES_BEFORE_OPENING, field="closes_on")
    if contract_starts_on is not None and contract_starts_on <= closes_on:
        raise MarketError(CONTRACT_BEFORE_CLOSING, field="contract_starts_on")
    fields = {
        "title": title,
        "description": description,
        "procurement_route": procurement_route,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "contract_starts_on": contract_starts_on,
        "owner": owner,
        "review_on": review_on,
    }
    return _save(CommercialOpportunity, item, fields, {"service_types": service_types, "areas": areas})


def fee_explanation_save(
    *,
    service_type,
    year: str,
    fee_level: str,
    method: str,
    inputs: str,
    changes: str,
    owner,
    review_on: dt.date,
    item: FeeExplanation | None = None,
) -> FeeExplanation:
    taken = FeeExplanation.objects.filter(service_type=service_type, year=year.strip())
    if taken.exclude(pk=getattr(item, "pk", None)).exists():
        raise MarketError(FEE_YEAR_TAKEN, field="year")
    fields = {
        "service_type": service_type,
        "year": year,
        "fee_level": fee_level,
        "method": method,
        "inputs": inputs,
        "changes": changes,
        "owner": owner,
        "review_on": review_on,
    }
    return _save(FeeExplanation, item, fields)


def market_item_publish(*, item: Published) -> Published:
    """Publish a draft from today. Publishing a published page changes nothing and sends nothing again."""
    model = type(item)
    with transaction.atomic():
        item = model.objects.select_for_update().get(pk=item.pk)
        if item.is_published:
            return item
        today = timezone.localdate()
        _check_review(item.review_on, today)
        item.status, item.published_on = Published.Status.PUBLISHED, today
        if item.notified_at is None:
            _email_subscribers(item)
            item.notified_at = timezone.now()
        item.save(update_fields=["status", "published_on", "notified_at", "updated_at"])
    return item


_EMAIL_KINDS = {
    CommissioningIntention: "intention",
    CommercialOpportunity: "opportunity",
    MarketPositionStatement: "statement",
    FeeExplanation: "fee",
}


def _email_subscribers(item: Published) -> int:
    kind = _EMAIL_KINDS[type(item)]
    context = {
        "item": item,
        "council_name": settings.COUNCIL_NAME,
        "item_url": settings.SITE_URL + item.get_absolute_url(),
        "subscription_url": settings.SITE_URL + reverse("market:subscription"),
    }
    subject = " ".join(render_to_string(f"market/emails/{kind}_published_subject.txt", context).split())
    body = render_to_string(f"market/emails/{kind}_published.txt", context)
    messages = [EmailMessage(subject, body, to=[email]) for email in subscribers_for(item)]
    return get_connection().send_messages(messages) if messages else 0
