"""Reads of the who's-who that screens need, one module per screen family."""
