"""Permission-matrix rows for the partnership pilots' register pages."""

ROWS: list = []
