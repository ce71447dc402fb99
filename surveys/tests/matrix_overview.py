"""Permission-matrix rows for the relationship overview and the results report (see tests/permission_matrix.py).

Directors and the engagement manager (who runs the survey) see the overview and a cycle's report; officers,
directory editors and providers get a 403; anonymous visitors are sent to sign in.
"""

from tests.permission_matrix import Row, council_only

READERS_ONLY = {**council_only(403), "manager": 200, "director": 200, "superuser": 200}

ROWS: list[Row] = [
    Row("surveys:overview", READERS_ONLY),
    Row(
        "surveys:report",
        READERS_ONLY,
        kwargs=lambda objects: {"year": objects["closed_cycle"].year},
        label="of last year's cycle",
    ),
    Row(
        "surveys:report",
        READERS_ONLY,
        kwargs=lambda objects: {"year": objects["cycle"].year},
        label="of the open cycle",
    ),
]
