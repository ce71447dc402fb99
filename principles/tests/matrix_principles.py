"""Permission-matrix rows for the New Deal pages."""

ROWS = []


def matrix_objects(*, provider_a, officer_record) -> dict:
    """The records this part's rows point at, added to the `matrix_objects` fixture (root conftest.py)."""
    return {}
