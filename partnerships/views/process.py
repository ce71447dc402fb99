"""Partnership pilots: views (to be built)."""

urlpatterns: list = []
