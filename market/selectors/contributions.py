"""What market direction and fees show in the who's-who search and the forward plan's calendar feed.

Each is one query whatever the number of pages, so the owning page's query count stays constant.
"""

import datetime as dt
from functools import reduce
from operator import and_

from django.conf import settings
from django.db.models import CharField, DateField, F, Q, TextField, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from market.models import (
    CommercialOpportunity,
    CommissioningIntention,
    FeeExplanation,
    MarketPositionStatement,
    Published,
)
from market.selectors.pages import visible
from portal.contributions import DatedItem, SearchResult

SEARCH_LIMIT = 10
CALENDAR_DAYS_BACK = 90

_KIND_NAMES = {
    "intention": "Commissioning intention",
    "statement": "Market position statement",
    "opportunity": "Commercial opportunity",
    "fee": "Fees explained",
}


def _words_match(words: list[str], fields: list[str]) -> Q:
    return reduce(
        and_, (reduce(lambda a, b: a | b, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words)
    )


def _rows(model, user, kind: str, words: list[str], fields: list[str], title, summary):
    return (
        visible(model, user)
        .filter(_words_match(words, fields))
        .annotate(
            kind=Value(kind, output_field=CharField()),
            found_title=Cast(title, CharField()),
            found_summary=Cast(summary, TextField()),
        )
        .values_list("kind", "pk", "found_title", "found_summary")
        .order_by()
    )


def market_search(user, words: list[str]) -> list[SearchResult]:
    """Intentions, statements, opportunities and fee explanations matching every word, in one query."""
    queries = [
        _rows(
            CommissioningIntention,
            user,
            "intention",
            words,
            ["title", "what_and_why", "service_type__name"],
            F("title"),
            F("what_and_why"),
        ),
        _rows(
            MarketPositionStatement,
            user,
            "statement",
            words,
            ["title", "summary", "body"],
            F("title"),
            F("summary"),
        ),
        _rows(
            CommercialOpportunity,
            user,
            "opportunity",
            words,
            ["title", "description"],
            F("title"),
            F("description"),
        ),
        _rows(
            FeeExplanation,
            user,
            "fee",
            words,
            ["service_type__name", "method", "inputs", "changes", "year"],
            F("service_type__name"),
            F("year"),
        ),
    ]
    found = queries[0].union(*queries[1:], all=True)[:SEARCH_LIMIT]
    results = []
    for kind, pk, title, summary in found:
        if kind == "fee":
            title, summary = f"How the {title.lower()} fee is set", f"For {summary}"
        results.append(
            SearchResult(
                kind=_KIND_NAMES[kind],
                title=title,
                path=reverse(f"market:{kind}", kwargs={"pk": pk}),
                summary=summary[:200],
            )
        )
    return results


def market_calendar(user) -> list[DatedItem]:
    """Published opportunities' opening and closing days, and the days intentions take effect, as all-day items."""
    since = timezone.localdate() - dt.timedelta(days=CALENDAR_DAYS_BACK)
    published = Q(status=Published.Status.PUBLISHED)

    def dated(model, kind: str, field: str):
        return (
            model.objects.filter(published, **{f"{field}__gte": since})
            .annotate(
                kind=Value(kind, output_field=CharField()),
                on=Cast(F(field), DateField()),
            )
            .values_list("kind", "pk", "title", "on")
            .order_by()
        )

    queries = [
        dated(CommercialOpportunity, "opens", "opens_on"),
        dated(CommercialOpportunity, "closes", "closes_on"),
        dated(CommissioningIntention, "intention", "starts_on"),
    ]
    labels = {
        "opens": ("Opportunity opens", "opportunity"),
        "closes": ("Opportunity closes", "opportunity"),
        "intention": ("Commissioning intention starts", "intention"),
    }
    items = []
    for kind, pk, title, on in queries[0].union(*queries[1:], all=True):
        label, url_name = labels[kind]
        on = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on))
        items.append(
            DatedItem(
                uid=f"market-{kind}-{pk}",
                title=f"{label}: {title}",
                starts_on=on,
                url=settings.SITE_URL + reverse(f"market:{url_name}", kwargs={"pk": pk}),
            )
        )
    return sorted(items, key=lambda item: (item.starts_on, item.uid))
