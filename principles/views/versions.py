"""Reading the New Deal and its earlier versions; writing and publishing a version (engagement managers only).

Every signed-in user reads the published versions; drafts are council staff's only (a 404 for providers).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from portal import roles
from portal.forms import add_service_error
from principles import forms
from principles.selectors import versions as selectors
from principles.services import versions as services

from .mixins import PermissionFirstMixin


class CurrentView(TemplateView):
    """The current version, with the reader's own sign-up status and the way to sign."""

    template_name = "principles/current.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        version = selectors.current_version()
        context = {"version": version, "can_write": roles.may(user, "principles.add_principlesversion")}
        if version is not None and user.provider_organisation_id:
            context["sign_up"] = selectors.provider_sign_up_for(
                version=version, organisation_id=user.provider_organisation_id
            )
        elif version is not None:
            context["officer_id"] = selectors.linked_officer_id(user)
            context["sign_up"] = selectors.officer_sign_up_for(
                version=version, officer_id=context["officer_id"]
            )
        return super().get_context_data(**context, **kwargs)


class HistoryView(TemplateView):
    template_name = "principles/history.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        versions = selectors.version_history(user)
        return super().get_context_data(
            versions=versions,
            current=next((version for version in versions if version.is_published), None),
            can_write=roles.may(user, "principles.add_principlesversion"),
            **kwargs,
        )


class VersionView(TemplateView):
    template_name = "principles/version.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        version = selectors.version_for(user, kwargs["number"])
        return super().get_context_data(
            version=version,
            current=selectors.current_version(),
            can_write=not version.is_published and roles.may(user, "principles.change_principlesversion"),
            can_publish=not version.is_published and roles.may(user, "principles.publish_principlesversion"),
            **kwargs,
        )


class VersionFormMixin(PermissionFirstMixin):
    template_name = "principles/version_form.html"
    version = None

    def render(self, form):
        return self.render_to_response(
            self.get_context_data(form=form, version=self.version, refusal=self.refusal)
        )

    def get(self, request, *args, **kwargs):
        return self.render(forms.VersionForm(instance=self.version))

    def post(self, request, *args, **kwargs):
        form = forms.VersionForm(request.POST)
        if self.refusal:
            form.add_error(None, self.refusal)
            return self.render(form)
        if not form.is_valid():
            return self.render(form)
        try:
            version = self.save(form.cleaned_data)
        except services.PrinciplesError as error:
            add_service_error(form, error)
            return self.render(form)
        messages.success(request, f"Draft of version {version.number} saved. Publish it when it is approved.")
        return redirect("principles:version", number=version.number)


class VersionAddView(VersionFormMixin, TemplateView):
    permission_required = "principles.add_principlesversion"

    @cached_property
    def refusal(self) -> str | None:
        draft = selectors.current_draft()
        return services.draft_taken(draft) if draft else None

    def save(self, data):
        return services.version_create(by=self.request.user, **data)


class VersionEditView(VersionFormMixin, TemplateView):
    permission_required = "principles.change_principlesversion"

    @cached_property
    def version(self):
        return selectors.any_version(self.kwargs["number"])

    @cached_property
    def refusal(self) -> str | None:
        return services.ALREADY_PUBLISHED if self.version.is_published else None

    def save(self, data):
        return services.version_update(version=self.version, by=self.request.user, **data)


class VersionPublishView(PermissionFirstMixin, TemplateView):
    """A confirmation page; approving and publishing is a POST."""

    permission_required = "principles.publish_principlesversion"
    template_name = "principles/version_publish.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            version=selectors.any_version(self.kwargs["number"]),
            current=selectors.current_version(),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=forms.PublishForm()))

    def post(self, request, *args, **kwargs):
        context = self.get_context_data(form=forms.PublishForm(request.POST))
        try:
            version = services.version_publish(version=context["version"], by=request.user)
        except services.PrinciplesError as error:
            add_service_error(context["form"], error)
            return self.render_to_response(context)
        messages.success(
            request, f"Version {version.number} published: providers and officers are now asked to sign it"
        )
        return redirect("principles:current")


urlpatterns = [
    path("", CurrentView.as_view(), name="current"),
    path("versions/", HistoryView.as_view(), name="versions"),
    path("versions/add/", VersionAddView.as_view(), name="version-add"),
    path("versions/<int:number>/", VersionView.as_view(), name="version"),
    path("versions/<int:number>/edit/", VersionEditView.as_view(), name="version-edit"),
    path("versions/<int:number>/publish/", VersionPublishView.as_view(), name="version-publish"),
]
