"""Permission-matrix rows for the relationship survey's respond pages."""

ROWS: list = []
