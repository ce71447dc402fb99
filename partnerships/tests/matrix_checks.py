"""Permission-matrix rows for the partnership pilots' checks pages."""

ROWS: list = []
