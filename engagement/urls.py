from engagement.views import bookings, groups, plan

app_name = "engagement"

urlpatterns = [
    *plan.urlpatterns,
    *bookings.urlpatterns,
    *groups.urlpatterns,
]
