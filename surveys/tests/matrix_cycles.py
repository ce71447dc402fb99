"""Permission-matrix rows for the relationship survey's cycles pages."""

ROWS: list = []
