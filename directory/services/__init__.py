"""Writes to the who's-who, one module per kind of change; each function is one transaction."""
