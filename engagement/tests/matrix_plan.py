"""Permission-matrix rows for the forward plan (see tests/permission_matrix.py)."""

from tests.permission_matrix import ROLES, Row, council_only, managers_only, signed_in


def _activity(objects: dict) -> dict:
    return {"pk": objects["activity"].pk}


def _group(objects: dict) -> dict:
    return {"slug": objects["group"].slug}


def _officers(status: int = 200) -> dict[str, int]:
    """Officers who run activities (the activity permissions): not directors, not providers."""
    return {**council_only(status), "director": 403}


# A calendar feed is opened without a session: without its token nobody, signed in or not, gets one.
_NO_FEED = dict.fromkeys(ROLES, 404)

ROWS: list[Row] = [
    Row("engagement:plan", signed_in(200)),
    Row("engagement:plan-print", signed_in(200)),
    Row("engagement:plan-ical", _NO_FEED, label="without a token"),
    Row("engagement:group-ical", _NO_FEED, kwargs=_group, label="without a token"),
    Row("engagement:activity-detail", signed_in(200), kwargs=_activity),
    Row("engagement:activity-add", _officers()),
    Row("engagement:activity-add", _officers(), method="post", label="with nothing filled in"),
    Row("engagement:activity-edit", _officers(), kwargs=_activity),
    Row(
        "engagement:activity-edit",
        _officers(),
        kwargs=_activity,
        method="post",
        label="with nothing filled in",
    ),
    Row("engagement:activity-cancel", _officers(), kwargs=_activity),
    Row("engagement:activity-cancel", _officers(), kwargs=_activity, method="post", label="without a reason"),
    Row("engagement:ad-hoc", council_only()),
    Row(
        "engagement:ad-hoc-approve", managers_only(), kwargs=_activity, label="of an activity planned in time"
    ),
    # Refused with a message on the activity's page: it was planned in good time, so there is nothing to approve.
    Row(
        "engagement:ad-hoc-approve",
        managers_only(302),
        kwargs=_activity,
        method="post",
        label="of an activity planned in time",
    ),
]
