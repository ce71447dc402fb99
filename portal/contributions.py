"""What one part of the portal shows on pages and feeds another part owns, without the owner importing it.

The who's-who (directory) shows what later parts publish in its search results, and on provider and officer pages;
the forward plan's calendar feed (engagement) carries their dated items. A part registers its contributions once,
in its AppConfig.ready(); the owning page asks this module and shows whatever comes back, in registration order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SearchResult:
    """One published page that matches the who's-who search words."""

    kind: str  # what it is, in the service's words: "Commissioning intention", "The New Deal"
    title: str
    path: str
    summary: str = ""


@dataclass(frozen=True)
class PageSection:
    """A part of a provider's or officer's page: a template included with its own context."""

    template_name: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DatedItem:
    """Something published with a date, shown in the forward plan's calendar feed as an all-day event."""

    uid: str  # stable across feeds, so a calendar updates the event rather than adding another
    title: str
    starts_on: date
    ends_on: date | None = None  # inclusive; None for a one-day item
    url: str = ""
    description: str = ""


SearchSource = Callable[[object, list[str]], list[SearchResult]]
ProviderSection = Callable[[object, object], PageSection | None]
OfficerSection = Callable[[object, object], PageSection | None]
CalendarSource = Callable[[object], list[DatedItem]]

_search_sources: dict[str, SearchSource] = {}
_provider_sections: dict[str, ProviderSection] = {}
_officer_sections: dict[str, OfficerSection] = {}
_calendar_sources: dict[str, CalendarSource] = {}


# Registered by name: ready() may run more than once in some test set-ups, and a name is registered once.
def register_search(name: str, source: SearchSource) -> None:
    """`source(user, words)` returns the published pages `user` may see that match every word."""
    _search_sources[name] = source


def register_provider_section(name: str, section: ProviderSection) -> None:
    """`section(user, provider)` returns what a provider's page shows of this part, or None."""
    _provider_sections[name] = section


def register_officer_section(name: str, section: OfficerSection) -> None:
    """`section(user, officer)` returns what an officer's page shows of this part, or None."""
    _officer_sections[name] = section


def register_calendar(name: str, source: CalendarSource) -> None:
    """`source(user)` returns the dated items `user`'s forward-plan feed carries."""
    _calendar_sources[name] = source


def search(user, words: list[str]) -> list[SearchResult]:
    if not words:
        return []
    return [result for source in _search_sources.values() for result in source(user, words)]


def provider_sections(user, provider) -> list[PageSection]:
    return [s for s in (section(user, provider) for section in _provider_sections.values()) if s]


def officer_sections(user, officer) -> list[PageSection]:
    return [s for s in (section(user, officer) for section in _officer_sections.values()) if s]


def calendar_items(user) -> list[DatedItem]:
    return [item for source in _calendar_sources.values() for item in source(user)]
