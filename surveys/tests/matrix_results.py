"""Permission-matrix rows for the relationship survey's results pages (see tests/permission_matrix.py).

Directors and the engagement manager read the dashboard; only the engagement manager, who runs the survey, sees
the live response rates and exports the responses.
"""

from tests.permission_matrix import Row, council_only, managers_only


def _this_year(objects: dict) -> dict:
    return {"year": objects["cycle"].year}


ROWS: list[Row] = [
    Row("surveys:dashboard", {**council_only(403), "director": 200, "manager": 200, "superuser": 200}),
    Row("surveys:rates", managers_only(), kwargs=_this_year),
    Row("surveys:export", managers_only(), kwargs=_this_year),
]
