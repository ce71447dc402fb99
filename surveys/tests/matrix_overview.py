"""Permission-matrix rows for the relationship survey's overview pages."""

ROWS: list = []
