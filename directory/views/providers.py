from django.urls import path
from django.views.generic import DetailView, ListView

from directory.selectors import provider_page
from directory.selectors import providers as selectors
from portal import contributions
from portal.paths import with_paths
from portal.permissions import CouncilStaffRequiredMixin


class ProviderListView(CouncilStaffRequiredMixin, ListView):
    template_name = "directory/provider_list.html"
    context_object_name = "providers"
    paginate_by = 50

    def get_queryset(self):
        return selectors.provider_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selectors.with_list_names(context["providers"])
        with_paths(context["providers"], "directory:provider-detail")
        return context


class ProviderDetailView(DetailView):
    """A provider's page: its record, key people and named council contacts. Another provider's is a 404."""

    template_name = "directory/provider_detail.html"
    context_object_name = "provider"

    def get_queryset(self):
        return provider_page.provider_page(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            profile=provider_page.provider_profile(self.object),
            sections=contributions.provider_sections(self.request.user, self.object),
            **kwargs,
        )


urlpatterns = [
    path("providers/", ProviderListView.as_view(), name="provider-list"),
    path("providers/<int:pk>/", ProviderDetailView.as_view(), name="provider-detail"),
]
