"""Permission-matrix rows for the market direction and fees pages."""

ROWS = []
