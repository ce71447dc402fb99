"""Permission-matrix rows for the relationship survey's results pages."""

ROWS: list = []
