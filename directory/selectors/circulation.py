"""Reads about circulation runs that the services, tasks and pages share."""

from django.db.models import Count, Q

from directory.models import CirculationDelivery, CirculationRun, ProviderOrganisation, ProviderPerson

Status = CirculationDelivery.Status


def run_progress(run: CirculationRun) -> dict:
    """How far a run has got, counted in one query."""
    counts = run.deliveries.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        # Handed to the mail server, its answer awaited: still to be settled, so counted as waiting.
        pending=Count("pk", filter=Q(status__in=[Status.PENDING, Status.SENDING])),
        unconfirmed=Count("pk", filter=Q(status=Status.UNCONFIRMED)),
    )
    done = counts["sent"] + counts["failed"] + counts["unconfirmed"]
    counts["percent_done"] = round(100 * done / counts["total"]) if counts["total"] else 100
    counts["is_finished"] = counts["pending"] == 0
    return counts


def providers_with_recipients():
    """Every active provider with the people nominated to receive the contact list, in two queries."""
    from django.db.models import Prefetch

    recipients = ProviderPerson.objects.filter(receives_contact_list=True).order_by("pk")
    return (
        ProviderOrganisation.objects.filter(is_active=True)
        .order_by("pk")
        .only("pk", "name")
        .prefetch_related(Prefetch("people", queryset=recipients, to_attr="recipients"))
    )
