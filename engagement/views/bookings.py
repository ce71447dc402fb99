"""Engagement: bookings."""

urlpatterns: list = []
