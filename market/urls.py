from market.views import direction, keeping, subscriptions

app_name = "market"

urlpatterns = [*direction.urlpatterns, *keeping.urlpatterns, *subscriptions.urlpatterns]
