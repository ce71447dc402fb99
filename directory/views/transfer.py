"""Import and export of the who's-who as CSV files: council staff download, directory editors upload."""

from dataclasses import astuple

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, re_path
from django.views import View
from django.views.generic import FormView, TemplateView

from directory.forms.transfer import CsvImportForm
from directory.services import csv_export, csv_import
from portal.permissions import CouncilStaffRequiredMixin

IMPORT_PERMISSIONS = tuple(
    f"directory.{action}_{model}"
    for model in ("officer", "responsibility", "providerorganisation")
    for action in ("add", "change")
)
REPORT_SESSION_KEY = "directory.transfer.import_problems"
REPORT_HEADINGS = ("Row", "Column", "Value", "Problem")
MOST_PROBLEMS_KEPT = 5000  # in the session, for the download
MOST_PROBLEMS_SHOWN = 100  # on the page
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _formats() -> list[dict]:
    return [
        {"kind": kind, "label": kind.label, "headings": csv_export.HEADINGS[kind]} for kind in csv_export.Kind
    ]


def _report_rows(problems: list) -> list[tuple]:
    rows = [astuple(problem) for problem in problems[:MOST_PROBLEMS_KEPT]]
    if len(problems) > MOST_PROBLEMS_KEPT:
        rows.append(("", "", "", f"and {len(problems) - MOST_PROBLEMS_KEPT} more problems not listed"))
    return rows


class TransferView(CouncilStaffRequiredMixin, TemplateView):
    template_name = "directory/transfer/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            formats=_formats(), can_import=self.request.user.has_perms(IMPORT_PERMISSIONS), **kwargs
        )


class ExportView(CouncilStaffRequiredMixin, View):
    def get(self, request, kind: str):
        response = StreamingHttpResponse(csv_export.export_lines(kind), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{csv_export.export_file_name(kind)}"'
        return response


class ImportView(PermissionRequiredMixin, FormView):
    permission_required = IMPORT_PERMISSIONS
    raise_exception = True
    form_class = CsvImportForm
    template_name = "directory/transfer/import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(formats=_formats(), **kwargs)

    def form_valid(self, form):
        kind = form.cleaned_data["kind"]
        try:
            outcome = csv_import.csv_import(kind=kind, content=form.content(), imported_by=self.request.user)
        except csv_import.CsvRowsInvalid as error:
            self.request.session[REPORT_SESSION_KEY] = {
                "kind": kind,
                "problems": _report_rows(error.problems),
            }
            form.add_error("file", str(error))
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    problems=error.problems[:MOST_PROBLEMS_SHOWN],
                    problem_count=len(error.problems),
                    problem_rows=error.rows,
                )
            )
        except csv_import.CsvFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        self.request.session.pop(REPORT_SESSION_KEY, None)
        messages.success(self.request, str(outcome))
        return redirect("directory:transfer-import")


class ImportReportView(PermissionRequiredMixin, View):
    """The problems the last failed import found, as a CSV file to work through in a spreadsheet."""

    permission_required = IMPORT_PERMISSIONS
    raise_exception = True

    def get(self, request):
        report = request.session.get(REPORT_SESSION_KEY)
        if not report:
            messages.info(
                request, "There is no list of problems to download: an import makes one when it finds some."
            )
            return redirect("directory:transfer-import")
        response = HttpResponse(
            "".join(csv_export.csv_lines(REPORT_HEADINGS, report["problems"])), content_type=CSV_CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="whos-who-{report["kind"]}-import-problems.csv"'
        )
        return response


urlpatterns = [
    path("transfer/", TransferView.as_view(), name="transfer"),
    re_path(
        rf"^transfer/(?P<kind>{'|'.join(csv_export.Kind.values)})\.csv$",
        ExportView.as_view(),
        name="transfer-export",
    ),
    path("transfer/import/", ImportView.as_view(), name="transfer-import"),
    path("transfer/import/problems.csv", ImportReportView.as_view(), name="transfer-import-report"),
]
