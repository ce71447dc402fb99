"""Engagement: groups."""

urlpatterns: list = []
