"""Permission-matrix rows for these who's-who pages (see tests/permission_matrix.py)."""

from tests.permission_matrix import Row

ROWS: list[Row] = []
