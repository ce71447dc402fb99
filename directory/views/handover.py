"""Handing over a leaving officer's duties, and the record of past handovers."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.generic import DetailView, FormView, ListView

from directory.forms.handover import HandoverForm
from directory.models import Officer
from directory.selectors import handover as selectors
from directory.services import handover as services
from portal.permissions import CouncilStaffRequiredMixin


class OfficerHandOverView(PermissionRequiredMixin, FormView):
    """One screen: what the officer holds, who takes it over and from when; posting it makes the handover."""

    permission_required = "directory.add_handover"
    raise_exception = True
    template_name = "directory/handover/hand_over.html"
    form_class = HandoverForm

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        try:
            self.leaving = selectors.officer_to_hand_over(pk=kwargs["pk"])
        except Officer.DoesNotExist as error:
            raise Http404("No such officer") from error
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "successors": selectors.handover_successor_choices(leaving=self.leaving),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        effective_on = getattr(form, "cleaned_data", {}).get("effective_on") or timezone.localdate()
        return {
            **context,
            "leaving": self.leaving,
            "preview": selectors.handover_preview(leaving=self.leaving),
            "earlier_handover": selectors.handover_already_made(leaving=self.leaving),
            "counts": services.handover_counts_preview(leaving=self.leaving, effective_on=effective_on),
        }

    def form_valid(self, form):
        try:
            handover = services.officer_hand_over(
                leaving=self.leaving,
                successor=form.cleaned_data["successor"],
                effective_on=form.cleaned_data["effective_on"],
                made_by=self.request.user,
                note=form.cleaned_data["note"],
            )
        except services.HandoverError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        moved = ", ".join(f"{label.lower()}: {count}" for label, count in handover.moved.items())
        messages.success(self.request, f"{handover.leaving_officer}’s duties were handed over ({moved})")
        return redirect("directory:handover-detail", pk=handover.pk)


class HandoverListView(CouncilStaffRequiredMixin, ListView):
    template_name = "directory/handover/handover_list.html"
    context_object_name = "handovers"
    paginate_by = 25

    def get_queryset(self):
        return selectors.handovers_recorded()


class HandoverDetailView(CouncilStaffRequiredMixin, DetailView):
    template_name = "directory/handover/handover_detail.html"
    context_object_name = "handover"

    def get_queryset(self):
        return selectors.handovers_recorded()


urlpatterns = [
    path("officers/<int:pk>/hand-over/", OfficerHandOverView.as_view(), name="officer-hand-over"),
    path("handovers/", HandoverListView.as_view(), name="handover-list"),
    path("handovers/<int:pk>/", HandoverDetailView.as_view(), name="handover-detail"),
]
