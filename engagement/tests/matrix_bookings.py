"""Permission-matrix rows for forum places (see tests/permission_matrix.py).

The matrix's activity is bookable by any provider, eight weeks ahead; `booking_a` is provider A's place at it.
"""

from tests.permission_matrix import Row, council_only


def _activity(objects: dict) -> dict:
    return {"pk": objects["activity"].pk}


def _booking_a(objects: dict) -> dict:
    return {"pk": objects["booking_a"].pk}


def _booking_b(objects: dict) -> dict:
    from engagement.tests.factories import BookingFactory

    return {"pk": BookingFactory(activity=objects["activity"], provider=objects["provider_b"]).pk}


def _providers_only(status: int = 200, council: int = 403) -> dict[str, int]:
    """Pages a provider user uses for their own organisation; council staff get `council`."""
    return council_only(status=council, providers=status)


# Recording attendance: officers, editors and engagement managers; directors only look.
RECORDS_ATTENDANCE = {**council_only(302), "director": 403}

ROWS: list[Row] = [
    Row("engagement:book", _providers_only(), kwargs=_activity),
    # Nothing filled in: the page comes back with the error summary.
    Row("engagement:book", _providers_only(), kwargs=_activity, method="post", label="with no one named"),
    Row("engagement:my-bookings", _providers_only()),
    Row(
        "engagement:booking-cancel",
        {**council_only(403), "provider_a": 200, "provider_b": 404},
        kwargs=_booking_a,
        label="of provider A's booking",
    ),
    Row(
        "engagement:booking-cancel",
        {**council_only(403), "provider_a": 302, "provider_b": 404},
        kwargs=_booking_a,
        method="post",
        label="of provider A's booking",
    ),
    Row(
        "engagement:booking-cancel",
        {**council_only(403), "provider_a": 404, "provider_b": 200},
        kwargs=_booking_b,
        label="of provider B's booking",
    ),
    Row(
        "engagement:booking-cancel",
        {**council_only(403), "provider_a": 404, "provider_b": 302},
        kwargs=_booking_b,
        method="post",
        label="of provider B's booking",
    ),
    Row("engagement:attendees", council_only(), kwargs=_activity),
    # The activity has not started: the officer is sent back with a message and nothing is recorded.
    Row(
        "engagement:attendees",
        RECORDS_ATTENDANCE,
        kwargs=_activity,
        method="post",
        label="before the activity",
    ),
    Row("engagement:attendees-csv", council_only(), kwargs=_activity),
]
