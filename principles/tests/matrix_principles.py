"""Permission-matrix rows for the New Deal pages."""

ROWS = []
