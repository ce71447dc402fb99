"""Permission-matrix rows for the partnership pilots' process pages."""

ROWS: list = []
