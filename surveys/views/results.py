"""The survey's live response rates, the directors' dashboard of results, and the export for analysts."""

import csv
import itertools

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views import View
from django.views.generic import TemplateView

from directory.services.csv_export import BYTE_ORDER_MARK, neutralise
from portal.roles import may
from surveys.forms.results import DashboardYearForm
from surveys.models import SurveyCycle
from surveys.results_chart import trend_charts
from surveys.selectors.rates import response_rates
from surveys.selectors.results import dashboard, export_rows, free_text_answers

FREE_TEXT_PER_PAGE = 20


class ResponseRatesView(PermissionRequiredMixin, TemplateView):
    """Invited, answered and the rate against the target, overall and per segment: the groups to chase first."""

    permission_required = "surveys.view_invitation"
    raise_exception = True
    template_name = "surveys/results/rates.html"

    def get_context_data(self, **kwargs):
        cycle = get_object_or_404(SurveyCycle, year=self.kwargs["year"])
        return super().get_context_data(rates=response_rates(cycle=cycle), **kwargs)


class DashboardView(PermissionRequiredMixin, TemplateView):
    """A cycle's results (`?year=`, the latest with responses by default) and every cycle's trend."""

    permission_required = "surveys.view_response"
    raise_exception = True
    template_name = "surveys/results/dashboard.html"

    def get_context_data(self, **kwargs):
        asked = self.request.GET.get("year", "")
        board = dashboard(year=int(asked) if asked.isdigit() else None)
        form = DashboardYearForm(self.request.GET, years=board.years)
        form.is_valid()
        context = super().get_context_data(
            form=form, board=board, charts=trend_charts(board.trends), **kwargs
        )
        if board.results and may(self.request.user, "surveys.view_free_text"):
            # A page at a time without counting them all: a cycle has thousands.
            asked_page = self.request.GET.get("page", "")
            number = int(asked_page) if asked_page.isdigit() and int(asked_page) > 0 else 1
            start = (number - 1) * FREE_TEXT_PER_PAGE
            answers = free_text_answers(cycle=board.cycle, results=board.results)
            shown = list(answers[start : start + FREE_TEXT_PER_PAGE + 1])
            context["comments"] = shown[:FREE_TEXT_PER_PAGE]
            context["comments_page"] = {
                "number": number,
                "previous": number - 1 if number > 1 else None,
                "next": number + 1 if len(shown) > FREE_TEXT_PER_PAGE else None,
            }
        return context


class ExportView(PermissionRequiredMixin, View):
    """The cycle's anonymised responses as CSV, suppression respected; free text only for those who may read it."""

    permission_required = "surveys.export_response"
    raise_exception = True

    def get(self, request, year: int):
        cycle = get_object_or_404(SurveyCycle, year=year)
        rows = export_rows(cycle=cycle, free_text=request.user.has_perm("surveys.view_free_text"))
        writer = csv.writer(_Echo())
        # Every cell neutralised: a comment starting "=" would otherwise run as a formula in the analyst's
        # spreadsheet.
        lines = (writer.writerow([neutralise(str(cell)) for cell in row]) for row in rows)
        response = StreamingHttpResponse(
            itertools.chain([BYTE_ORDER_MARK], lines), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="relationship-survey-{cycle.year}.csv"'
        return response


class _Echo:
    """A file for csv.writer that hands back each line rather than keeping it: the export is streamed."""

    def write(self, value: str) -> str:
        return value


urlpatterns = [
    path("cycles/<int:year>/rates/", ResponseRatesView.as_view(), name="rates"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("cycles/<int:year>/export.csv", ExportView.as_view(), name="export"),
]
