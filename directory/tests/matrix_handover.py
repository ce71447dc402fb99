"""Permission-matrix rows for these who's-who pages (see tests/permission_matrix.py)."""

from tests.permission_matrix import Row, council_only, editors_only


def _officer_record(objects: dict) -> dict:
    return {"pk": objects["officer_record"].pk}


def _a_handover(objects: dict) -> dict:
    """A recorded handover from the matrix's officer to their successor, made on first use."""
    from directory.models import Handover

    handover, _ = Handover.objects.get_or_create(
        leaving_officer=objects["officer_record"],
        successor=objects["successor"],
        defaults={"effective_on": objects["officer_record"].created_at.date()},
    )
    return {"pk": handover.pk}


ROWS: list[Row] = [
    Row("directory:officer-hand-over", editors_only(), kwargs=_officer_record, label="of an officer"),
    Row(
        "directory:officer-hand-over",
        editors_only(),
        kwargs=_officer_record,
        method="post",
        label="with nothing chosen",
    ),
    Row("directory:handover-list", council_only()),
    Row("directory:handover-detail", council_only(), kwargs=_a_handover, label="of a recorded handover"),
]
