"""Who has signed up to the current version of the New Deal: the shares, and the lists for whoever chases the rest.

Every figure comes from one query (coverage_sql), so the page asks the same questions whatever the number of
providers and officers. Providers are the active organisations; officers, the active who's-who entries.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from directory.models import Officer, ProviderOrganisation
from principles.models import OfficerSignUp, PrinciplesVersion, ProviderSignUp

from . import coverage_sql

# Changes to the who's-who (a provider joining, an officer leaving) show within this time; sign-ups at once.
KEPT_FOR_SECONDS = 300


@dataclass(frozen=True)
class Share:
    label: str
    signed: int
    total: int
    # The list of those in this group not yet signed, e.g. "/new-deal/coverage/providers/?tier=1".
    url: str = ""

    @property
    def not_signed(self) -> int:
        return self.total - self.signed

    @property
    def percent(self) -> int | None:
        return round(100 * self.signed / self.total) if self.total else None

    @property
    def percent_cell(self) -> str:
        percent = self.percent
        return "–" if percent is None else f"{percent}%"


@dataclass(frozen=True)
class Coverage:
    version: PrinciplesVersion
    providers: Share
    by_tier: list[Share]
    by_service_type: list[Share]
    by_area: list[Share]
    officers: Share
    by_directorate: list[Share]
    by_team: list[Share]


def _provider_signed(version: PrinciplesVersion, ref: str = "pk"):
    return Exists(ProviderSignUp.objects.filter(version=version, organisation=OuterRef(ref)))


def _officer_signed(version: PrinciplesVersion, ref: str = "pk"):
    return Exists(OfficerSignUp.objects.filter(version=version, officer=OuterRef(ref)))


def _total(shares: list[Share], label: str, url: str) -> Share:
    return Share(label, sum(share.signed for share in shares), sum(share.total for share in shares), url)


def _kept(version: PrinciplesVersion, kind: str, count):
    """The counts, kept for a while: counted again as soon as anyone signs the version (its `last_signed_at`
    changes), on a new day, and at least every KEPT_FOR_SECONDS for changes to the who's-who."""
    today = timezone.localdate()
    signed = version.last_signed_at.timestamp() if version.last_signed_at else 0
    key = f"principles:coverage:{kind}:{version.pk}:{signed}:{today.isoformat()}"
    counts = cache.get(key)
    if counts is None:
        counts = count(version_id=version.pk, today=today)
        cache.set(key, counts, KEPT_FOR_SECONDS)
    return counts


def coverage(version: PrinciplesVersion) -> Coverage:
    """One query, whatever the data size (see coverage_sql), or none while the counts are kept."""
    providers_url = reverse("principles:providers-not-signed")
    officers_url = reverse("principles:officers-not-signed")
    groups: dict[str, list[Share]] = {"tier": [], "area": [], "service_type": [], "team": []}
    tiers: dict[int, Share] = {}
    directorates: dict[str, list] = {}
    for kind, key, label, parent_key, parent, total, signed in _kept(
        version, "groups", coverage_sql.group_counts
    ):
        total, signed = int(total), int(signed or 0)
        if kind == "tier":
            tiers[int(key)] = Share("", signed, total)
        elif kind == "team":
            groups["team"].append(Share(label, signed, total, f"{officers_url}?team={key}"))
            entry = directorates.setdefault(parent_key, [parent, 0, 0])
            entry[1] += signed
            entry[2] += total
        else:
            groups[kind].append(Share(label, signed, total, f"{providers_url}?{kind}={key}"))
    by_tier = [
        Share(
            tier.label,
            tiers.get(tier.value, Share("", 0, 0)).signed,
            tiers.get(tier.value, Share("", 0, 0)).total,
            f"{providers_url}?tier={tier.value}",
        )
        for tier in ProviderOrganisation.Tier
    ]
    by_directorate = sorted(
        (
            Share(name, signed, total, f"{officers_url}?directorate={key}")
            for key, (name, signed, total) in directorates.items()
        ),
        key=lambda share: share.label,
    )
    by_team = groups["team"]
    return Coverage(
        version=version,
        providers=_total(by_tier, "All providers", providers_url),
        by_tier=by_tier,
        by_service_type=sorted(groups["service_type"], key=lambda share: share.label),
        by_area=sorted(groups["area"], key=lambda share: share.label),
        officers=_total(by_team, "All officers", officers_url),
        by_directorate=by_directorate,
        by_team=sorted(by_team, key=lambda share: share.label),
    )


def providers_not_signed(version: PrinciplesVersion, *, tier=None, area=None, service_type=None):
    """Active providers that have not signed `version`, with their contract manager, by name."""
    providers = (
        ProviderOrganisation.objects.filter(is_active=True)
        .exclude(_provider_signed(version))
        .select_related("contract_manager")
        .order_by("name", "pk")
    )
    if tier:
        providers = providers.filter(tier=tier)
    if area is not None:
        providers = providers.filter(areas=area)
    if service_type is not None:
        providers = providers.filter(service_types=service_type)
    return providers


def officers_not_signed(version: PrinciplesVersion, *, directorate=None, team=None):
    """Active officers who have not signed `version`, with their team and directorate, by name."""
    officers = (
        Officer.objects.active()
        .exclude(_officer_signed(version))
        .select_related("team__directorate")
        .order_by("full_name", "pk")
    )
    if directorate is not None:
        officers = officers.filter(team__directorate=directorate)
    if team is not None:
        officers = officers.filter(team=team)
    return officers


@dataclass(frozen=True)
class Headline:
    """The sign-up shares the directors' relationship overview shows."""

    version: PrinciplesVersion
    providers: Share
    officers: Share

    @property
    def shares(self) -> list[Share]:
        return [self.providers, self.officers]


def headline() -> Headline | None:
    """Providers' and officers' shares of the current version, or None before one is published: two queries (one
    while the counts are kept)."""
    version = PrinciplesVersion.objects.current()
    if version is None:
        return None
    counts = _kept(version, "headline", coverage_sql.headline_counts)
    providers_total, providers_signed = counts.get("providers", (0, 0))
    officers_total, officers_signed = counts.get("officers", (0, 0))
    return Headline(
        version=version,
        providers=Share("All providers", providers_signed, providers_total),
        officers=Share("All officers", officers_signed, officers_total),
    )
