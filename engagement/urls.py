from engagement.views import bookings, enquiries, enquiry_queue, groups, plan

app_name = "engagement"

urlpatterns = [
    *plan.urlpatterns,
    *bookings.urlpatterns,
    *groups.urlpatterns,
    *enquiries.urlpatterns,
    *enquiry_queue.urlpatterns,
]
