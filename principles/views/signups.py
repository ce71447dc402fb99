"""Signing up to the current version: a provider organisation through someone entitled to act for it, an officer in
person.

A provider user signs for their own organisation only: asking for another one is a 404 (its existence is not
confirmed). Council staff cannot sign for a provider (403), and providers cannot sign as officers (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from directory.models import Officer, ProviderOrganisation
from portal.forms import add_service_error
from portal.permissions import is_council_staff
from principles import forms
from principles.selectors import versions as selectors
from principles.services import signups as services


class SignUpMixin:
    """What every sign-up page shows: the version, whether it is current, and any sign-up already made."""

    def dispatch(self, request, *args, **kwargs):
        if not self.may_sign(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def version(self):
        return selectors.version_for(self.request.user, self.kwargs["number"])

    @cached_property
    def current(self):
        return selectors.current_version()

    @cached_property
    def refusal(self) -> str | None:
        if self.existing is not None:
            return services.already_signed(self.existing)
        if self.current is None or self.current.pk != self.version.pk:
            return services.not_current(self.version, self.current)
        return None

    def render(self, form):
        return self.render_to_response(
            self.get_context_data(
                form=form,
                version=self.version,
                current=self.current,
                sign_up=self.existing,
                refusal=self.refusal,
                **self.extra_context_data(),
            )
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.blank_form())

    def post(self, request, *args, **kwargs):
        form = self.bound_form(request.POST)
        if self.refusal:
            form.add_error(None, self.refusal)
            return self.render(form)
        if not form.is_valid():
            return self.render(form)
        try:
            self.sign(form.cleaned_data)
        except services.PrinciplesError as error:
            add_service_error(form, error)
            return self.render(form)
        messages.success(request, self.success_message)
        return redirect("principles:current")


class ProviderSignUpView(SignUpMixin, TemplateView):
    template_name = "principles/sign_provider.html"

    def may_sign(self, user) -> bool:
        return bool(user.is_authenticated and user.provider_organisation_id)

    @cached_property
    def organisation(self) -> ProviderOrganisation:
        # Scoped to the user's own organisation: any other is a 404.
        if self.kwargs["pk"] != self.request.user.provider_organisation_id:
            raise Http404("No such provider organisation")
        return ProviderOrganisation.objects.get(pk=self.kwargs["pk"])

    @cached_property
    def existing(self):
        return selectors.provider_sign_up_for(version=self.version, organisation_id=self.organisation.pk)

    def extra_context_data(self) -> dict:
        return {"organisation": self.organisation}

    def blank_form(self):
        return forms.ProviderSignUpForm(organisation=self.organisation, user=self.request.user)

    def bound_form(self, data):
        return forms.ProviderSignUpForm(data, organisation=self.organisation, user=self.request.user)

    def sign(self, data) -> None:
        services.provider_sign_up(
            version=self.version, organisation=self.organisation, by=self.request.user, **data
        )

    @property
    def success_message(self) -> str:
        return f"{self.organisation.name} has signed up to version {self.version.number} of the New Deal"


class OfficerSignUpView(SignUpMixin, TemplateView):
    template_name = "principles/sign_officer.html"

    def may_sign(self, user) -> bool:
        return is_council_staff(user)

    @cached_property
    def officer(self) -> Officer | None:
        return selectors.linked_officer(self.request.user)

    @cached_property
    def existing(self):
        return selectors.officer_sign_up_for(
            version=self.version, officer_id=self.officer and self.officer.pk
        )

    @cached_property
    def refusal(self) -> str | None:
        if self.officer is None:
            return services.NO_OFFICER_RECORD
        return super().refusal

    def extra_context_data(self) -> dict:
        return {"officer": self.officer}

    def blank_form(self):
        return forms.OfficerSignUpForm()

    def bound_form(self, data):
        return forms.OfficerSignUpForm(data)

    def sign(self, data) -> None:
        services.officer_sign_up(version=self.version, officer=self.officer, by=self.request.user)

    @property
    def success_message(self) -> str:
        return f"You have signed up to version {self.version.number} of the New Deal"


urlpatterns = [
    path(
        "versions/<int:number>/sign/organisation/<int:pk>/",
        ProviderSignUpView.as_view(),
        name="sign-provider",
    ),
    path("versions/<int:number>/sign/officer/", OfficerSignUpView.as_view(), name="sign-officer"),
]
