from principles.views import coverage, signups, versions

app_name = "principles"

urlpatterns = [
    *versions.urlpatterns,
    *signups.urlpatterns,
    *coverage.urlpatterns,
]
