"""Engagement managers write market direction and fees pages as drafts, change them, and publish them."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.generic import FormView, TemplateView

from market.forms import pages as forms
from market.selectors import pages as selectors
from market.services import publishing as services
from portal.forms import add_service_error
from portal.permissions import is_council_staff

# kind in the address: (form, service, what it is called)
_KINDS = {
    "intention": (forms.IntentionForm, services.intention_save, "commissioning intention"),
    "statement": (forms.StatementForm, services.statement_save, "market position statement"),
    "opportunity": (forms.OpportunityForm, services.opportunity_save, "commercial opportunity"),
    "fee": (forms.FeeExplanationForm, services.fee_explanation_save, "fee explanation"),
}


class _KindMixin(PermissionRequiredMixin):
    """Checks the permission for the kind of page first (403), then finds the page (404)."""

    raise_exception = True
    action = "change"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in _KINDS:
            raise Http404("No such kind of page")
        self.kind = kwargs["kind"]
        self.model = selectors.KINDS[self.kind]
        self.page_form, self.service, self.what = _KINDS[self.kind]
        if not (is_council_staff(request.user) and self.has_permission()):
            raise PermissionDenied
        self.item = get_object_or_404(self.model, pk=kwargs["pk"]) if "pk" in kwargs else None
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self):
        return [f"market.{self.action}_{self.model._meta.model_name}"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.kind, what=self.what, item=self.item, **kwargs)


class PagesToKeepView(PermissionRequiredMixin, TemplateView):
    """For engagement managers: drafts and pages past their review date, and links to write new ones."""

    raise_exception = True
    permission_required = "market.change_commissioningintention"
    template_name = "market/keep.html"

    def get_context_data(self, **kwargs):
        pages = selectors.pages_to_keep()
        sections = [(kind, _KINDS[kind][2], pages[kind]) for kind in _KINDS]
        return super().get_context_data(sections=sections, **kwargs)


class PageFormView(_KindMixin, FormView):
    """Write a new draft (no pk) or change a page."""

    template_name = "market/page_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.action = "change" if "pk" in kwargs else "add"
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return self.page_form

    def get_initial(self):
        if self.item is None:
            return {}
        initial = {}
        for name in self.page_form.base_fields:
            value = getattr(self.item, name)
            initial[name] = list(value.all()) if hasattr(value, "all") else value
        return initial

    def form_valid(self, form):
        try:
            item = self.service(item=self.item, **form.cleaned_data)
        except services.MarketError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"The {self.what} was saved" if self.item else f"Draft {self.what} saved"
        )
        return redirect(item.get_absolute_url())


class PagePublishView(_KindMixin, FormView):
    """Asks to confirm, then publishes from today and emails the subscribers it concerns."""

    template_name = "market/page_publish.html"
    form_class = django_forms.Form

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "prefix": "publish"}

    def form_valid(self, form):
        try:
            item = services.market_item_publish(item=self.item)
        except services.MarketError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"The {self.what} is published")
        return redirect(item.get_absolute_url())


urlpatterns = [
    path("keep/", PagesToKeepView.as_view(), name="keep"),
    path("keep/<slug:kind>/new/", PageFormView.as_view(), name="page-create"),
    path("keep/<slug:kind>/<int:pk>/edit/", PageFormView.as_view(), name="page-edit"),
    path("keep/<slug:kind>/<int:pk>/publish/", PagePublishView.as_view(), name="page-publish"),
]
