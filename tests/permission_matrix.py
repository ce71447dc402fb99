"""The permission matrix: every URL of the project against every kind of visitor, with the status each gets.

Each part of the portal adds rows for its URLs here or in its own `matrix_*.py` module listed in `_all_rows`.
A row's `kwargs` gets the objects made by the `matrix_objects` fixture (root conftest.py). `test_permission_matrix.py` fails when a named URL has
no row, so a new page cannot ship without saying who may see it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "provider_a", "provider_b", "officer", "editor", "manager", "director", "superuser")
SIGN_IN = 302  # anonymous visitors are sent to the sign-in page

# URL namespaces covered by a single row rather than one per URL.
NAMESPACES_COVERED_WHOLE = {"admin"}


@dataclass(frozen=True)
class Row:
    url_name: str
    expected: dict[str, int | tuple[int, ...]]
    kwargs: Callable[[dict], dict] = field(default=lambda objects: {})
    method: str = "get"
    label: str = ""

    def __post_init__(self) -> None:
        if "manager" not in self.expected and "officer" in self.expected:
            # The engagement manager is an officer too: unless a row says otherwise, they get what officers get.
            object.__setattr__(self, "expected", {**self.expected, "manager": self.expected["officer"]})
        missing = set(ROLES) - set(self.expected)
        if missing:
            raise ValueError(f"{self.url_name}: no expected status for {sorted(missing)}")

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}{' ' + self.label if self.label else ''}"


def signed_in(status: int, anonymous: int = SIGN_IN) -> dict[str, int]:
    """Every signed-in visitor gets `status`."""
    return {"anonymous": anonymous, **{role: status for role in ROLES if role != "anonymous"}}


def council_only(status: int = 200, providers: int = 403) -> dict[str, int]:
    return {
        "anonymous": SIGN_IN,
        "provider_a": providers,
        "provider_b": providers,
        "officer": status,
        "editor": status,
        "manager": status,
        "director": status,
        "superuser": status,
    }


def editors_only(status: int = 200, others: int = 403) -> dict[str, int]:
    """Changes to the who's-who: directory editors (and superusers) only."""
    return {**council_only(others), "editor": status, "superuser": status}


def provider_a_record(status: int = 200) -> dict[str, int]:
    """A private record of provider A: its own users and council staff see it; provider B gets a 404."""
    return {**council_only(status), "provider_a": status, "provider_b": 404}


def provider_b_record(status: int = 200) -> dict[str, int]:
    """The same kind of record, of provider B: provider A is the one that gets a 404 from its scoped queryset."""
    return {**council_only(status), "provider_a": 404, "provider_b": status}


def managers_only(status: int = 200, others: int = 403) -> dict[str, int]:
    """The engagement structure: engagement managers (and superusers) only."""
    return {**council_only(others), "manager": status, "superuser": status}


PORTAL_ROWS: list[Row] = [
    # portal
    Row("home", signed_in(200)),
    Row("floor", signed_in(200)),
    Row("healthz", {role: (200, 503) for role in ROLES}),
    Row("login", {**signed_in(302), "anonymous": 200}),
    Row("logout", signed_in(302, anonymous=302), method="post"),
    Row("password_reset", signed_in(200, anonymous=200)),
    Row("password_reset_done", signed_in(200, anonymous=200)),
    Row(
        "password_reset_confirm",
        signed_in(200, anonymous=200),
        kwargs=lambda objects: {"uidb64": "MQ", "token": "not-a-real-token"},
        label="with an invalid link",
    ),
    Row("password_reset_complete", signed_in(200, anonymous=200)),
    Row("admin:index", {**signed_in(302), "superuser": 200}),
    Row("directory:provider-list", council_only()),
    Row(
        "directory:provider-detail",
        provider_a_record(),
        kwargs=lambda objects: {"pk": objects["provider_a"].pk},
        label="of provider A",
    ),
    Row(
        "directory:provider-detail",
        provider_b_record(),
        kwargs=lambda objects: {"pk": objects["provider_b"].pk},
        label="of provider B",
    ),
]


def _all_rows() -> list[Row]:
    from directory.tests import (
        matrix_circulation,
        matrix_contact_list,
        matrix_editing,
        matrix_handover,
        matrix_proposals,
        matrix_search,
        matrix_transfer,
    )
    from engagement.tests import (
        matrix_bookings,
        matrix_enquiries,
        matrix_enquiry_queue,
        matrix_groups,
        matrix_plan,
    )
    from market.tests import matrix_market
    from partnerships.tests import matrix_checks, matrix_evaluation, matrix_process, matrix_register
    from portal.tests import matrix_accessibility, matrix_second_step, matrix_single_sign_on
    from principles.tests import matrix_principles
    from surveys.tests import matrix_cycles, matrix_overview, matrix_respond, matrix_results

    rows = list(PORTAL_ROWS)
    for module in (
        matrix_search,
        matrix_editing,
        matrix_handover,
        matrix_proposals,
        matrix_transfer,
        matrix_contact_list,
        matrix_circulation,
        matrix_plan,
        matrix_bookings,
        matrix_groups,
        matrix_enquiries,
        matrix_enquiry_queue,
        matrix_register,
        matrix_process,
        matrix_evaluation,
        matrix_checks,
        matrix_cycles,
        matrix_respond,
        matrix_results,
        matrix_overview,
        matrix_accessibility,
        matrix_single_sign_on,
        matrix_second_step,
        matrix_principles,
        matrix_market,
    ):
        rows.extend(module.ROWS)
    return rows


MATRIX: list[Row] = _all_rows()
