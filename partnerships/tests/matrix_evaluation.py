"""Permission-matrix rows for the partnership pilots' evaluation pages."""

ROWS: list = []
