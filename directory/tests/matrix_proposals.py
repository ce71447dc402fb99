"""Permission-matrix rows for these who's-who pages (see tests/permission_matrix.py)."""

from tests.permission_matrix import Row, council_only, editors_only, provider_a_record, provider_b_record


def _proposal_a(objects: dict) -> dict:
    return {"pk": objects["proposal_a"].pk}


def _proposal_b(objects: dict) -> dict:
    from directory.tests.factories import ContactProposalFactory

    return {"pk": ContactProposalFactory(provider=objects["provider_b"]).pk}


def _providers_only(status: int = 200, council: int = 403) -> dict[str, int]:
    """Pages a provider user sees for their own organisation; council staff get `council`."""
    return council_only(status=council, providers=status)


ROWS: list[Row] = [
    # Council staff asking for "your proposals" are sent to the queue.
    Row("directory:proposal-list", _providers_only(council=302)),
    Row("directory:proposal-create", _providers_only()),
    Row("directory:proposal-create", _providers_only(), method="post", label="with nothing filled in"),
    Row("directory:proposal-queue", council_only()),
    Row(
        "directory:proposal-detail", provider_a_record(), kwargs=_proposal_a, label="of provider A's proposal"
    ),
    Row(
        "directory:proposal-detail", provider_b_record(), kwargs=_proposal_b, label="of provider B's proposal"
    ),
    Row("directory:proposal-decide", editors_only(), kwargs=_proposal_a, label="of provider A's proposal"),
    Row(
        "directory:proposal-decide",
        editors_only(),
        kwargs=_proposal_a,
        method="post",
        label="with nothing chosen",
    ),
    # Only an accepted proposal can be added: the pending one is refused with a message on the proposal's page.
    Row(
        "directory:proposal-add-key-person",
        editors_only(302),
        kwargs=_proposal_a,
        method="post",
        label="of a pending proposal",
    ),
]
