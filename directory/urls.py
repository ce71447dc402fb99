from directory.views import editing, handover, proposals, providers, search, transfer

app_name = "directory"

urlpatterns = [
    *providers.urlpatterns,
    *search.urlpatterns,
    *editing.urlpatterns,
    *handover.urlpatterns,
    *proposals.urlpatterns,
    *transfer.urlpatterns,
]
