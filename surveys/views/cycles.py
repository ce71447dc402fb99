"""Relationship survey: views (to be built)."""

urlpatterns: list = []
