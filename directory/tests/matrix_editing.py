"""Permission-matrix rows for editing the who's-who (see tests/permission_matrix.py).

Council staff read the lists, pages and history; only directory editors add, edit, retire or mark as checked.
A POST with no data re-renders the form with its errors (200), never a 500.
"""

from tests.permission_matrix import Row, council_only, editors_only

_ENTRIES = {
    "officer": lambda objects: {"pk": objects["officer_record"].pk},
    "team": lambda objects: {"pk": objects["team"].pk},
    "responsibility": lambda objects: {"pk": objects["responsibility"].pk},
}


def _rows_for(kind: str) -> list[Row]:
    entry = _ENTRIES[kind]
    return [
        Row(f"directory:manage-{kind}-list", council_only()),
        Row(f"directory:manage-{kind}-detail", council_only(), kwargs=entry),
        Row(f"directory:manage-{kind}-add", editors_only()),
        Row(f"directory:manage-{kind}-add", editors_only(), method="post", label="with nothing filled in"),
        Row(f"directory:manage-{kind}-edit", editors_only(), kwargs=entry),
        Row(
            f"directory:manage-{kind}-edit",
            editors_only(),
            kwargs=entry,
            method="post",
            label="with nothing filled in",
        ),
        Row(f"directory:manage-{kind}-retire", editors_only(), kwargs=entry),
        # Officer and responsibility: the date is missing; team: it still has officers in post.
        Row(f"directory:manage-{kind}-retire", editors_only(), kwargs=entry, method="post", label="refused"),
        Row(f"directory:manage-{kind}-check", editors_only(302), kwargs=entry, method="post"),
    ]


ROWS: list[Row] = [
    *_rows_for("officer"),
    *_rows_for("team"),
    *_rows_for("responsibility"),
    Row("directory:needs-checking", council_only()),
    Row("directory:changes-since", council_only()),
]
