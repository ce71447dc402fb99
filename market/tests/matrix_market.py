"""Permission-matrix rows for the market direction and fees pages.

Everyone signed in reads what is published; council staff also open drafts, which are a 404 for providers. Only the
engagement manager writes and publishes (403 for anyone else). Subscriptions are for provider users only.
"""

from tests.permission_matrix import SIGN_IN, Row, council_only, managers_only, signed_in

_KINDS = ("intention", "statement", "opportunity", "fee")


def _council_sees(status: int = 200) -> dict[str, int]:
    """A draft: council staff see it, and to a provider it does not exist."""
    return {**council_only(status), "provider_a": 404, "provider_b": 404}


def _providers_only(status: int = 200) -> dict[str, int]:
    return {
        **council_only(403),
        "anonymous": SIGN_IN,
        "provider_a": status,
        "provider_b": status,
        "superuser": 403,
    }


def _published(kind: str):
    return lambda objects: {"pk": objects[f"market_{kind}"].pk}


def _draft(kind: str):
    return lambda objects: {"pk": objects[f"market_draft_{kind}"].pk}


def _keep(kind: str):
    """A draft of the kind, as the pages that change and publish it name it."""
    return lambda objects: {"kind": kind, "pk": objects[f"market_draft_{kind}"].pk}


ROWS: list[Row] = [
    Row("market:direction", signed_in(200)),
    Row("market:opportunities", signed_in(200)),
    Row("market:fees", signed_in(200)),
    *(Row(f"market:{kind}", signed_in(200), kwargs=_published(kind), label="published") for kind in _KINDS),
    *(Row(f"market:{kind}", _council_sees(), kwargs=_draft(kind), label="draft") for kind in _KINDS),
    Row("market:keep", managers_only()),
    *(
        Row(
            "market:page-create",
            managers_only(),
            kwargs=lambda objects, kind=kind: {"kind": kind},
            label=kind,
        )
        for kind in _KINDS
    ),
    *(
        Row(
            "market:page-create",
            managers_only(),
            kwargs=lambda objects, kind=kind: {"kind": kind},
            method="post",
            label=f"{kind} with nothing filled in",
        )
        for kind in _KINDS
    ),
    *(Row("market:page-edit", managers_only(), kwargs=_keep(kind), label=f"draft {kind}") for kind in _KINDS),
    Row(
        "market:page-edit",
        managers_only(),
        kwargs=_keep("intention"),
        method="post",
        label="with nothing filled in",
    ),
    *(
        Row("market:page-publish", managers_only(), kwargs=_keep(kind), label=f"asks to confirm {kind}")
        for kind in _KINDS
    ),
    Row(
        "market:page-publish",
        managers_only(302),
        kwargs=_keep("statement"),
        method="post",
        label="confirmed",
    ),
    Row("market:subscription", _providers_only()),
    Row("market:subscription", _providers_only(), method="post", label="with nothing chosen"),
    Row("market:unsubscribe", _providers_only()),
    Row("market:unsubscribe", _providers_only(302), method="post", label="confirmed"),
]


def matrix_objects(*, provider_a, officer_record) -> dict:
    """The records this part's rows point at, added to the `matrix_objects` fixture (root conftest.py)."""
    from market.models import Published
    from market.tests import factories

    draft = {"status": Published.Status.DRAFT, "owner": officer_record}
    return {
        "market_intention": factories.IntentionFactory(owner=officer_record),
        "market_statement": factories.StatementFactory(owner=officer_record),
        "market_opportunity": factories.OpportunityFactory(owner=officer_record),
        "market_fee": factories.FeeExplanationFactory(owner=officer_record),
        "market_draft_intention": factories.IntentionFactory(**draft),
        "market_draft_statement": factories.StatementFactory(**draft),
        "market_draft_opportunity": factories.OpportunityFactory(**draft),
        "market_draft_fee": factories.FeeExplanationFactory(**draft),
    }
