"""Reads for the circulation pages: the runs with their counts, a run's failures, and who a new run would reach."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, Trim

from directory.models import CirculationDelivery, CirculationRun, ProviderOrganisation, ProviderPerson
from directory.selectors.circulation import run_progress

Status = CirculationDelivery.Status


def runs_with_counts() -> QuerySet[CirculationRun]:
    """Every run, newest first, with its version, who started it and its delivery counts, in one query."""
    return (
        CirculationRun.objects.select_related("version", "started_by")
        .annotate(
            total=Count("deliveries"),
            sent=Count("deliveries", filter=Q(deliveries__status=Status.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__status=Status.FAILED)),
            pending=Count("deliveries", filter=Q(deliveries__status__in=[Status.PENDING, Status.SENDING])),
            unconfirmed=Count("deliveries", filter=Q(deliveries__status=Status.UNCONFIRMED)),
        )
        .order_by("-created_at", "-pk")
    )


def runs_for_progress() -> QuerySet[CirculationRun]:
    return CirculationRun.objects.select_related("version", "started_by")


def run_failures(run: CirculationRun) -> QuerySet[CirculationDelivery]:
    """The run's failed and unconfirmed deliveries with their provider and person, in the order they were planned."""
    return (
        run.deliveries.filter(status__in=[Status.FAILED, Status.UNCONFIRMED])
        .select_related("provider", "person")
        .order_by("provider__name", "pk")
    )


@dataclass(frozen=True)
class CirculationReach:
    """Who a circulation started now would be sent to."""

    providers_with_recipients: int
    recipients: int
    providers_without_recipients: list[ProviderOrganisation]


def _recipients():
    return ProviderPerson.objects.filter(provider__is_active=True, receives_contact_list=True).exclude(
        email=""
    )


def circulation_reach() -> CirculationReach:
    """Active providers' nominated recipients with an address, and the active providers with none."""
    has_recipient = Exists(_recipients().filter(provider=OuterRef("pk")))
    providers = ProviderOrganisation.objects.filter(is_active=True).annotate(has_recipient=has_recipient)
    reached = providers.filter(has_recipient=True).count()
    # One message per address, however many people or providers share it, as the run itself sends.
    addresses = _recipients().aggregate(count=Count(Lower(Trim("email")), distinct=True))["count"]
    without = list(providers.filter(has_recipient=False).only("pk", "name").order_by("name"))
    return CirculationReach(
        providers_with_recipients=reached, recipients=addresses, providers_without_recipients=without
    )


def circulation_in_progress() -> CirculationRun | None:
    return (
        CirculationRun.objects.select_related("version")
        .filter(status=CirculationRun.Status.SENDING)
        .order_by("-created_at")
        .first()
    )


def run_progress_for_page(run: CirculationRun) -> dict:
    """The run's counts, its status, and the share of the bar its sent and failed deliveries take, in percent."""
    progress = run_progress(run)
    total = progress["total"]
    return {
        **progress,
        "status": run.status,
        "status_label": run.get_status_display(),
        "sent_width": round(100 * progress["sent"] / total, 2) if total else 0,
        "failed_width": round(100 * (progress["failed"] + progress["unconfirmed"]) / total, 2)
        if total
        else 0,
        "summary": (
            f"{progress['percent_done']}% done: {progress['sent']} sent, {progress['failed']} failed"
            + (f", {progress['unconfirmed']} unconfirmed" if progress["unconfirmed"] else "")
            + f" and {progress['pending']} waiting, of {total}"
        ),
    }
