"""A cycle's results report as a PDF, printed by WeasyPrint like the contact list (directory/contact_list.py).

Aggregate figures only: response rates and mean scores, with any group smaller than SURVEY_MINIMUM_GROUP_SIZE
left out. No free-text answer is ever read for it.
"""

from functools import cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from surveys.models import SurveyCycle
from surveys.selectors.overview import cycle_results

PDF_VARIANT = "pdf/ua-1"
TEMPLATE = "surveys/report/pdf.html"
# A print stylesheet of its own, small enough to keep here; the pages it styles are never served to a browser.
STYLESHEET = """
@page {
  size: A4;
  margin: 18mm 15mm 20mm 15mm;
  @bottom-left { content: string(report-title); font-size: 8.5pt; color: #505a5f; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8.5pt; color: #505a5f; }
}
html { font-family: "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4; color: #0b0c0c; }
body { margin: 0; }
h1 { font-size: 28pt; margin: 0 0 6mm; color: #00594f; string-set: report-title content(); }
h2 { font-size: 17pt; margin: 0 0 4mm; color: #00594f; break-after: avoid; }
p { margin: 0 0 3mm; }
.cover { break-after: page; padding-top: 50mm; }
.cover__council { font-size: 14pt; font-weight: bold; }
.cover__lead { font-size: 13pt; }
.part { break-before: auto; margin-bottom: 9mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 5mm; }
caption { text-align: left; font-weight: bold; margin-bottom: 2mm; }
th, td { text-align: left; padding: 1.5mm 2mm; border-bottom: 0.5pt solid #b1b4b6; vertical-align: top; }
thead th { border-bottom: 1pt solid #0b0c0c; }
td.number, th.number { text-align: right; }
.note { font-size: 9pt; color: #505a5f; }
"""


@cache
def _stylesheet() -> CSS:
    return CSS(string=STYLESHEET)


def report_context(cycle: SurveyCycle) -> dict:
    return {
        "results": cycle_results(cycle),
        "made_on": timezone.localdate(),
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
    }


def report_html(cycle: SurveyCycle) -> str:
    """The HTML the PDF is printed from."""
    return render_to_string(TEMPLATE, report_context(cycle))


def report_pdf(cycle: SurveyCycle) -> bytes:
    # Made from the portal's own records only: it fetches nothing from the network or the disk.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=report_html(cycle), url_fetcher=fetcher).render(
        stylesheets=[_stylesheet()], pdf_variant=PDF_VARIANT
    )
    return document.write_pdf(pdf_variant=PDF_VARIANT)
