from surveys.views import cycles, overview, respond, results

app_name = "surveys"

urlpatterns = [
    *cycles.urlpatterns,
    *respond.urlpatterns,
    *results.urlpatterns,
    *overview.urlpatterns,
]
