"""The contact-list PDF: the current version for everyone signed in, a preview and past versions for officers,
and for a provider the versions sent to it."""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from directory.contact_list import contact_list_pdf
from directory.models import ContactListVersion
from directory.selectors import contact_list as selectors
from directory.services.contact_list import ContactListError, contact_list_version_create
from portal.permissions import CouncilStaffRequiredMixin, is_council_staff

PAGE_SIZE = 25


def can_circulate(user) -> bool:
    """Officers who may circulate the contact list, and so make and preview it."""
    return is_council_staff(user) and user.has_perm("directory.add_circulationrun")


class CirculationOfficerRequiredMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self) -> bool:
        return can_circulate(self.request.user)


def _pdf_download(version: ContactListVersion) -> FileResponse:
    try:
        pdf = version.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file of this version is missing") from error
    return FileResponse(
        pdf,
        as_attachment=True,
        filename=f"contact-list-{version.version_date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


def current_contact_list(request: HttpRequest) -> HttpResponse:
    """The latest version for anyone signed in; before the first, a page that says so."""
    version = selectors.current_version()
    if version is None:
        context = {"can_make": can_circulate(request.user)}
        return render(request, "directory/contact_list/not_made_yet.html", context)
    return _pdf_download(version)


class ContactListMakeView(CirculationOfficerRequiredMixin, View):
    """Make a version now, without circulating it."""

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            version = contact_list_version_create(made_by=request.user)
        except ContactListError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The contact list of {version.version_date:%-d %B %Y} has been made.")
        return redirect("directory:contact-list-versions")


class ContactListPreviewView(CirculationOfficerRequiredMixin, View):
    """Today's contact list rendered on the fly and kept nowhere."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        pdf, _ = contact_list_pdf(as_of=today, changes_since=selectors.previous_version_made_at())
        response = HttpResponse(pdf, content_type="application/pdf")
        disposition = "attachment" if "download" in request.GET else "inline"
        response["Content-Disposition"] = (
            f'{disposition}; filename="contact-list-preview-{today:%Y-%m-%d}.pdf"'
        )
        return response


class VersionListView(CouncilStaffRequiredMixin, ListView):
    template_name = "directory/contact_list/version_list.html"
    context_object_name = "versions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.versions_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_make=can_circulate(self.request.user), **kwargs)


class ProviderRequiredMixin(UserPassesTestMixin):
    """Provider users only: the page is about their own organisation."""

    raise_exception = True

    def test_func(self) -> bool:
        return bool(getattr(self.request.user, "provider_organisation_id", None))


class SentVersionListView(ProviderRequiredMixin, ListView):
    """The versions sent to the provider's nominated recipients, with when and to whom."""

    template_name = "directory/contact_list/sent_list.html"
    context_object_name = "versions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.versions_sent_to(self.request.user.provider_organisation_id)


def version_download(request: HttpRequest, pk: int) -> FileResponse:
    """A past version: any for council staff; for a provider, one sent to it or the current one, else 404."""
    return _pdf_download(get_object_or_404(selectors.versions_visible_to(request.user), pk=pk))


urlpatterns = [
    path("contact-list/", current_contact_list, name="contact-list"),
    path("contact-list/preview/", ContactListPreviewView.as_view(), name="contact-list-preview"),
    path("contact-list/make/", ContactListMakeView.as_view(), name="contact-list-make"),
    path("contact-list/versions/", VersionListView.as_view(), name="contact-list-versions"),
    path("contact-list/versions/<int:pk>/", version_download, name="contact-list-version-download"),
    path("contact-list/sent-to-you/", SentVersionListView.as_view(), name="contact-list-sent"),
]
