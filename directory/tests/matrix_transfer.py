"""Permission-matrix rows for these who's-who pages (see tests/permission_matrix.py)."""

from tests.permission_matrix import Row, council_only, editors_only

KINDS = ("officers", "responsibilities", "providers")

ROWS: list[Row] = [
    Row("directory:transfer", council_only()),
    *(
        Row(
            "directory:transfer-export",
            council_only(),
            kwargs=lambda objects, kind=kind: {"kind": kind},
            label=f"of {kind}",
        )
        for kind in KINDS
    ),
    Row("directory:transfer-import", editors_only()),
    # A POST with no file shows the form again with its errors.
    Row("directory:transfer-import", editors_only(), method="post", label="with no file"),
    # With no failed import in the session, the download sends editors back to the import page.
    Row("directory:transfer-import-report", editors_only(302), label="with no report"),
]
