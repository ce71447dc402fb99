from directory.views import (
    circulation,
    contact_list,
    editing,
    handover,
    proposals,
    providers,
    search,
    transfer,
)

app_name = "directory"

urlpatterns = [
    *providers.urlpatterns,
    *search.urlpatterns,
    *editing.urlpatterns,
    *handover.urlpatterns,
    *proposals.urlpatterns,
    *transfer.urlpatterns,
    *contact_list.urlpatterns,
    *circulation.urlpatterns,
]
