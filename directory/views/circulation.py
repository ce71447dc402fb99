"""The officers' pages of the contact-list circulation: the runs, starting one by hand, and a run's progress."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView

from directory.forms.circulation import CirculationStartForm
from directory.selectors import circulation_pages as selectors
from directory.services.circulation import CirculationError, circulation_resend_failures, circulation_start
from portal.permissions import CouncilStaffRequiredMixin

START_PERMISSION = "directory.add_circulationrun"
RESEND_PERMISSION = "directory.change_circulationrun"
# How often the progress page asks for fresh counts while a run is sending.
REFRESH_SECONDS = 3


class RunListView(CouncilStaffRequiredMixin, ListView):
    template_name = "directory/circulation/run_list.html"
    context_object_name = "runs"
    paginate_by = 25

    def get_queryset(self):
        return selectors.runs_with_counts()

    def get_context_data(self, **kwargs):
        can_start = self.request.user.has_perm(START_PERMISSION)
        return {**super().get_context_data(**kwargs), "can_start": can_start}


class CirculationStartView(PermissionRequiredMixin, FormView):
    """What a circulation started now would do, and the button that starts it."""

    permission_required = START_PERMISSION
    raise_exception = True
    template_name = "directory/circulation/start.html"
    form_class = CirculationStartForm

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "reach": selectors.circulation_reach(),
            "in_progress": selectors.circulation_in_progress(),
        }

    def form_valid(self, form):
        try:
            run = circulation_start(started_by=self.request.user)
        except CirculationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, "The circulation has started. The contact list is being emailed to providers"
        )
        return redirect("directory:circulation-run-detail", pk=run.pk)


class RunDetailView(CouncilStaffRequiredMixin, DetailView):
    """A run's progress bar and counts, its failures, and the providers it had nobody to send to."""

    template_name = "directory/circulation/run_detail.html"
    context_object_name = "run"
    failures_per_page = 25

    def get_queryset(self):
        return selectors.runs_for_progress()

    def get_context_data(self, **kwargs):
        run = self.object
        progress = selectors.run_progress_for_page(run)
        failures = Paginator(selectors.run_failures(run), self.failures_per_page)
        return {
            **super().get_context_data(**kwargs),
            "progress": progress,
            "page_obj": failures.get_page(self.request.GET.get("page")),
            "can_resend": progress["failed"] > 0 and self.request.user.has_perm(RESEND_PERMISSION),
            "refresh_seconds": REFRESH_SECONDS,
        }


@method_decorator(never_cache, name="dispatch")
class RunProgressView(CouncilStaffRequiredMixin, View):
    """The progress page's counts as JSON, for its script to refresh the bar while the run is sending."""

    def get(self, request, pk: int):
        run = get_object_or_404(selectors.runs_for_progress(), pk=pk)
        return JsonResponse(selectors.run_progress_for_page(run))


class ResendFailuresView(PermissionRequiredMixin, View):
    permission_required = RESEND_PERMISSION
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request, pk: int):
        run = get_object_or_404(selectors.runs_for_progress(), pk=pk)
        try:
            count = circulation_resend_failures(run=run, started_by=request.user)
        except CirculationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{count} failed deliver{'y is' if count == 1 else 'ies are'} being sent again"
            )
        return redirect("directory:circulation-run-detail", pk=run.pk)


urlpatterns = [
    path("circulations/", RunListView.as_view(), name="circulation-run-list"),
    path("circulations/start/", CirculationStartView.as_view(), name="circulation-start"),
    path("circulations/<int:pk>/", RunDetailView.as_view(), name="circulation-run-detail"),
    path("circulations/<int:pk>/progress.json", RunProgressView.as_view(), name="circulation-run-progress"),
    path(
        "circulations/<int:pk>/resend-failures/",
        ResendFailuresView.as_view(),
        name="circulation-resend-failures",
    ),
]
