"""The directors' relationship overview, and each cycle's results report as a PDF."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views import View
from django.views.generic import TemplateView

from portal import roles
from surveys.models import SurveyCycle
from surveys.report import report_pdf
from surveys.selectors.overview import relationship_overview


class OverviewView(PermissionRequiredMixin, TemplateView):
    """One page drawing on every part: survey trends, Tier One meetings, forums, enquiries, who's-who, pilots."""

    permission_required = "surveys.view_surveycycle"
    raise_exception = True
    template_name = "surveys/overview/overview.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            overview=relationship_overview(user),
            can_read_results=roles.may(user, "surveys.view_response"),
            **kwargs,
        )


class ReportView(PermissionRequiredMixin, View):
    permission_required = "surveys.view_response"
    raise_exception = True

    def get(self, request, year: int):
        cycle = get_object_or_404(SurveyCycle, year=year)
        response = HttpResponse(report_pdf(cycle), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="relationship-survey-{year}-results.pdf"'
        return response


urlpatterns = [
    path("overview/", OverviewView.as_view(), name="overview"),
    path("cycles/<int:year>/report.pdf", ReportView.as_view(), name="report"),
]
