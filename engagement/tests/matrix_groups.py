"""Permission-matrix rows for the engagement groups and what follows an activity (see tests/permission_matrix.py).

Every signed-in user sees the groups and their published "you said, we did"; the engagement manager changes
groups, terms and maturity; officers add "you said, we did" entries, notes and actions; feedback is only for
the provider that held a place at an activity that happened (anyone else gets a 404). A POST with nothing
filled in re-renders the form with its errors (200), never a 500.
"""

import datetime as dt

from django.utils import timezone

from tests.permission_matrix import SIGN_IN, Row, council_only, managers_only, signed_in


def _group(objects: dict) -> dict:
    return {"slug": objects["group"].slug}


def _activity(objects: dict) -> dict:
    return {"pk": objects["activity"].pk}


def _held_activity(objects: dict) -> dict:
    """A meeting of the group held last week, where provider A had a confirmed place."""
    return _held_activity_booked_by(objects, "provider_a")


def _held_activity_of_provider_b(objects: dict) -> dict:
    return _held_activity_booked_by(objects, "provider_b")


def _held_activity_booked_by(objects: dict, provider: str) -> dict:
    from engagement.models import Activity
    from engagement.tests.factories import ActivityFactory, BookingFactory

    starts_at = timezone.now() - dt.timedelta(days=7)
    activity = ActivityFactory(
        group=objects["group"],
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        status=Activity.Status.HELD,
    )
    BookingFactory(activity=activity, provider=objects[provider])
    return {"pk": activity.pk}


def _entry(objects: dict) -> dict:
    from engagement.models import YouSaidWeDid

    entry = YouSaidWeDid.objects.create(group=objects["group"], you_said="Invoices are paid late.")
    return {"slug": objects["group"].slug, "pk": entry.pk}


def _officers_write(status: int = 200) -> dict[str, int]:
    """Officers, editors and the engagement manager write; directors read only."""
    return {**council_only(status), "director": 403}


def _nobody(status: int = 404) -> dict[str, int]:
    return {**signed_in(status), "anonymous": SIGN_IN}


def _provider_a_only(status: int = 200) -> dict[str, int]:
    return {**_nobody(404), "provider_a": status}


def _provider_b_only(status: int = 200) -> dict[str, int]:
    return {**_nobody(404), "provider_b": status}


_MANAGED = [
    ("engagement:group-add", lambda objects: {}),
    ("engagement:group-edit", _group),
    ("engagement:terms-add", _group),
    ("engagement:maturity-add", _group),
]

ROWS: list[Row] = [
    Row("engagement:group-list", signed_in(200)),
    Row("engagement:group-detail", signed_in(200), kwargs=_group),
    *(Row(name, managers_only(), kwargs=kwargs) for name, kwargs in _MANAGED),
    *(
        Row(name, managers_only(), kwargs=kwargs, method="post", label="with nothing filled in")
        for name, kwargs in _MANAGED
    ),
    Row("engagement:terms-due", council_only()),
    Row("engagement:tier-one-cadence", council_only()),
    Row("engagement:you-said-we-did", signed_in(200), kwargs=_group),
    Row("engagement:you-said-we-did-add", _officers_write(), kwargs=_group),
    Row(
        "engagement:you-said-we-did-add",
        _officers_write(),
        kwargs=_group,
        method="post",
        label="with nothing filled in",
    ),
    Row("engagement:you-said-we-did-edit", _officers_write(), kwargs=_entry, label="of a draft"),
    Row(
        "engagement:you-said-we-did-edit",
        _officers_write(),
        kwargs=_entry,
        method="post",
        label="of a draft, with nothing filled in",
    ),
    Row("engagement:activity-feedback", _nobody(), kwargs=_activity, label="of an activity not yet held"),
    Row(
        "engagement:activity-feedback",
        _provider_a_only(),
        kwargs=_held_activity,
        label="of a held activity where provider A had a place",
    ),
    Row(
        "engagement:activity-feedback",
        _provider_b_only(),
        kwargs=_held_activity_of_provider_b,
        label="of a held activity where provider B had a place",
    ),
    Row(
        "engagement:activity-feedback",
        _provider_a_only(),
        kwargs=_held_activity,
        method="post",
        label="of a held activity, with nothing filled in",
    ),
    Row("engagement:activity-notes", council_only(), kwargs=_activity),
    Row(
        "engagement:activity-notes",
        _officers_write(),
        kwargs=_held_activity,
        method="post",
        label="of a held activity, with nothing filled in",
    ),
]
