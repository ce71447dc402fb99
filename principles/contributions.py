"""What the New Deal adds to pages other parts own: a search result, a status line on provider and officer pages, and
its versions' publication days in the forward plan's calendar feed."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from portal.contributions import DatedItem, PageSection, SearchResult
from principles.models import PrinciplesVersion
from principles.selectors import versions as selectors

SECTION_TEMPLATE = "principles/includes/page_section.html"


def search(user, words: list[str]) -> list[SearchResult]:
    """The current version, when it holds every word: published, so anyone signed in may find it."""
    version = selectors.search_current(words)
    if version is None:
        return []
    return [
        SearchResult(
            kind="The New Deal",
            title=f"The New Deal, version {version.number}: {version.title}",
            path=reverse("principles:current"),
            summary=Truncator(version.body).words(30),
        )
    ]


def provider_section(user, provider) -> PageSection | None:
    """Whether the provider signed the current version, and if not, the last one it signed: one query."""
    version = selectors.current_with_provider_status(provider.pk)
    if version is None:
        return None
    return PageSection(
        SECTION_TEMPLATE,
        {
            "version": version,
            "subject": "This organisation",
            "signed_current": version.signed_number == version.number,
            "own": user.provider_organisation_id == provider.pk,
            "sign_url": reverse("principles:sign-provider", args=[version.number, provider.pk]),
        },
    )


def officer_section(user, officer) -> PageSection | None:
    version = selectors.current_with_officer_status(officer.pk)
    if version is None:
        return None
    return PageSection(
        SECTION_TEMPLATE,
        {
            "version": version,
            "subject": officer.full_name,
            "signed_current": version.signed_number == version.number,
            "own": officer.user_id is not None and officer.user_id == user.pk,
            "sign_url": reverse("principles:sign-officer", args=[version.number]),
        },
    )


# As far back as the feed shows market direction's dates: a calendar shows what is coming and what just happened.
CALENDAR_DAYS_BACK = 90


def calendar(user) -> list[DatedItem]:
    """The days recent versions were published, as all-day events: one query."""
    since = timezone.now() - timedelta(days=CALENDAR_DAYS_BACK)
    versions = PrinciplesVersion.objects.published().filter(published_at__gte=since).order_by("number")
    return [
        DatedItem(
            uid=f"new-deal-version-{version.pk}",
            title=f"The New Deal, version {version.number} published",
            starts_on=timezone.localdate(version.published_at),
            url=settings.SITE_URL + reverse("principles:version", args=[version.number]),
            description=version.what_changed,
        )
        for version in versions
    ]
