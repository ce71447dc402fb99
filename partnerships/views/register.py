"""The register of partnership pilots, a pilot's page, and the officers' forms that keep a pilot's core record.

Every signed-in user reads the register; providers see published pilots only, and on a pilot's page only what
partnerships.scoping leaves open. Officers (the models' permissions) propose and keep pilots, their partners and
why they are strategic.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, register_converter, reverse
from django.urls.converters import SlugConverter
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from partnerships.filters import RegisterFilter
from partnerships.forms import pilots as forms
from partnerships.selectors import register as selectors
from partnerships.services import pilots as services
from portal import roles
from portal.forms import add_service_error
from portal.permissions import is_council_staff

PAGE_SIZE = 25

# What an officer may do from a pilot's page, and the permission each needs.
PAGE_ACTIONS = {
    "edit": "partnerships.change_partnershippilot",
    "add_partner": "partnerships.add_pilotpartner",
    "edit_partner": "partnerships.change_pilotpartner",
    "remove_partner": "partnerships.delete_pilotpartner",
    "edit_reasons": "partnerships.change_strategicreason",
    "change_stage": "partnerships.change_partnershippilot",
    "record_procurement": "partnerships.add_procurementrecord",
    "add_objective": "partnerships.add_objective",
    "edit_objective": "partnerships.change_objective",
    "add_milestone": "partnerships.add_milestone",
    "edit_milestone": "partnerships.change_milestone",
    "add_risk": "partnerships.add_risk",
    "edit_risk": "partnerships.change_risk",
    "add_progress": "partnerships.add_progressentry",
    "add_evaluation": "partnerships.add_evaluation",
    "open_check": "partnerships.add_relationshipcheck",
}


class PilotSlugConverter(SlugConverter):
    """A pilot's address; the pages that share the top level under /partnerships/ (new/, lessons/) are not pilots."""

    def to_python(self, value: str) -> str:
        if value in services.RESERVED_SLUGS:
            raise ValueError(value)
        return value


register_converter(PilotSlugConverter, "pilot")


class RegisterView(FilterView):
    filterset_class = RegisterFilter
    template_name = "partnerships/register/register.html"
    context_object_name = "pilots"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.register_pilots(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        council_staff = is_council_staff(user)
        context = super().get_context_data(
            form=self.filterset.form,
            filtered=self.filterset.is_bound
            and any(self.request.GET.get(name) for name in self.filterset.filters),
            is_council_staff=council_staff,
            # Providers never propose pilots: asking would cost them two permission queries.
            can_propose=council_staff and roles.may(user, "partnerships.add_partnershippilot"),
            **kwargs,
        )
        context["pilots"] = selectors.with_register_names(list(context["pilots"]))
        return context


class PilotDetailView(DetailView):
    template_name = "partnerships/register/pilot_detail.html"
    context_object_name = "pilot"

    def get_queryset(self):
        return selectors.pilot_for_page(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        council_staff = is_council_staff(user)
        can = (
            {action: roles.may(user, name) for action, name in PAGE_ACTIONS.items()} if council_staff else {}
        )
        return super().get_context_data(
            page=selectors.pilot_page(pilot=self.object, user=user),
            is_council_staff=council_staff,
            can=can,
            **kwargs,
        )


class PilotPermissionMixin(PermissionRequiredMixin):
    """The role check runs before the pilot (and partner) is looked up, so that someone who may not act learns nothing.

    A partner is looked up among its own pilot's partners: a partner of another pilot is a 404.
    """

    raise_exception = True
    pilot = None
    partner = None

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        if "slug" in kwargs:
            self.pilot = get_object_or_404(selectors.pilot_for_change(request.user), slug=kwargs["slug"])
        if "pk" in kwargs:
            self.partner = get_object_or_404(selectors.pilot_partners(self.pilot), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(pilot=self.pilot, partner=self.partner, **kwargs)

    def back_to_pilot(self, message: str, anchor: str = ""):
        messages.success(self.request, message)
        return redirect(reverse("partnerships:pilot", kwargs={"slug": self.pilot.slug}) + anchor)


class PilotFormView(PilotPermissionMixin, FormView):
    template_name = "partnerships/register/pilot_form.html"
    form_class = forms.PilotForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.pilot}

    def form_valid(self, form):
        try:
            self.pilot = self.save(form.cleaned_data)
        except services.PilotError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.back_to_pilot(self.success_message())


class PilotCreateView(PilotFormView):
    permission_required = "partnerships.add_partnershippilot"

    def save(self, data):
        return services.pilot_create(by=self.request.user, **data)

    def success_message(self) -> str:
        return f"{self.pilot} was proposed. Add its partners and why it is strategic."


class PilotEditView(PilotFormView):
    permission_required = "partnerships.change_partnershippilot"

    def save(self, data):
        return services.pilot_update(pilot=self.pilot, by=self.request.user, **data)

    def success_message(self) -> str:
        return f"Changes to {self.pilot} saved"


class PartnerFormView(PilotPermissionMixin, FormView):
    template_name = "partnerships/register/partner_form.html"
    form_class = forms.PartnerForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.partner}

    def form_valid(self, form):
        try:
            partner = self.save(form.cleaned_data)
        except services.PilotError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.back_to_pilot(self.success_message(partner), "#partners")


class PartnerAddView(PartnerFormView):
    permission_required = "partnerships.add_pilotpartner"

    def save(self, data):
        return services.pilot_partner_add(pilot=self.pilot, by=self.request.user, **data)

    def success_message(self, partner) -> str:
        return f"{partner} was added as a partner"


class PartnerEditView(PartnerFormView):
    permission_required = "partnerships.change_pilotpartner"

    def save(self, data):
        return services.pilot_partner_update(partner=self.partner, by=self.request.user, **data)

    def success_message(self, partner) -> str:
        return f"Changes to {partner} saved"


class PartnerRemoveView(PilotPermissionMixin, FormView):
    """A page that asks to confirm; the partner is removed only by the POST that follows."""

    permission_required = "partnerships.delete_pilotpartner"
    template_name = "partnerships/register/partner_remove.html"
    form_class = forms.PartnerRemoveForm

    def form_valid(self, form):
        name = self.partner.name
        try:
            services.pilot_partner_remove(partner=self.partner, by=self.request.user)
        except services.PilotError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.back_to_pilot(f"{name} was removed from the pilot's partners", "#partners")


class ReasonsEditView(PilotPermissionMixin, FormView):
    permission_required = "partnerships.change_strategicreason"
    template_name = "partnerships/register/reasons_form.html"
    form_class = forms.ReasonsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reasons": list(self.pilot.strategic_reasons.all())}

    def form_valid(self, form):
        try:
            services.pilot_reasons_set(pilot=self.pilot, by=self.request.user, reasons=form.reasons)
        except services.PilotError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self.back_to_pilot(f"Why {self.pilot} is strategic was saved", "#reasons")


urlpatterns = [
    path("", RegisterView.as_view(), name="register"),
    path("new/", PilotCreateView.as_view(), name="pilot-create"),
    path("<pilot:slug>/", PilotDetailView.as_view(), name="pilot"),
    path("<slug:slug>/edit/", PilotEditView.as_view(), name="pilot-edit"),
    path("<slug:slug>/partners/add/", PartnerAddView.as_view(), name="partner-add"),
    path("<slug:slug>/partners/<int:pk>/", PartnerEditView.as_view(), name="partner-edit"),
    path("<slug:slug>/partners/<int:pk>/remove/", PartnerRemoveView.as_view(), name="partner-remove"),
    path("<slug:slug>/reasons/", ReasonsEditView.as_view(), name="reasons-edit"),
]
