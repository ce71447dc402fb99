"""Who has signed up to the current version, and the lists of those not yet signed for whoever chases them.

Council staff holding the coverage permission (officers, directory editors, engagement managers and directors).
"""

from django.urls import path
from django.views.generic import ListView, TemplateView

from directory.models import Officer, ProviderOrganisation
from principles import forms
from principles.selectors import coverage as selectors
from principles.selectors.versions import current_version

from .mixins import PermissionFirstMixin

NOT_SIGNED_PAGE_SIZE = 25


class CoverageView(PermissionFirstMixin, TemplateView):
    permission_required = "principles.view_signup_coverage"
    template_name = "principles/coverage.html"

    def get_context_data(self, **kwargs):
        version = current_version()
        return super().get_context_data(
            version=version, coverage=selectors.coverage(version) if version else None, **kwargs
        )


class NotSignedMixin(PermissionFirstMixin):
    permission_required = "principles.view_signup_coverage"
    paginate_by = NOT_SIGNED_PAGE_SIZE

    def get_queryset(self):
        self.version = current_version()
        self.form = self.form_class(self.request.GET or None)
        if self.version is None:
            return self.model.objects.none()
        # A choice that is not on the list shows as an error and the list is not narrowed.
        filters = self.form.cleaned_data if self.form.is_valid() else {}
        return self.queryset_for(self.version, filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            version=self.version, form=self.form, filtered=bool(self.request.GET.keys() - {"page"}), **kwargs
        )


class ProvidersNotSignedView(NotSignedMixin, ListView):
    model = ProviderOrganisation
    template_name = "principles/not_signed_providers.html"
    context_object_name = "providers"
    form_class = forms.ProvidersNotSignedForm

    def queryset_for(self, version, filters):
        return selectors.providers_not_signed(
            version,
            tier=filters.get("tier"),
            area=filters.get("area"),
            service_type=filters.get("service_type"),
        )


class OfficersNotSignedView(NotSignedMixin, ListView):
    model = Officer
    template_name = "principles/not_signed_officers.html"
    context_object_name = "officers"
    form_class = forms.OfficersNotSignedForm

    def queryset_for(self, version, filters):
        return selectors.officers_not_signed(
            version, directorate=filters.get("directorate"), team=filters.get("team")
        )


urlpatterns = [
    path("coverage/", CoverageView.as_view(), name="coverage"),
    path("coverage/providers/", ProvidersNotSignedView.as_view(), name="providers-not-signed"),
    path("coverage/officers/", OfficersNotSignedView.as_view(), name="officers-not-signed"),
]
