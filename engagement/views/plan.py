"""Engagement: plan."""

urlpatterns: list = []
