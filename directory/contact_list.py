"""The contact-list PDF: the who's-who of one date, printed by WeasyPrint and tagged for accessibility (PDF/UA-1).

What it costs depends on the size of the who's-who, never on how many people it is sent to.
"""

from datetime import date, datetime
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from directory.selectors import contact_list as selectors
from directory.selectors import finder

PDF_VARIANT = "pdf/ua-1"
TEMPLATE = "directory/contact_list/pdf.html"
STYLESHEET = "pdf/contact-list.css"


@cache
def _stylesheet() -> CSS:
    """The print stylesheet, parsed once per process."""
    return CSS(filename=finders.find(STYLESHEET))


def contact_list_context(*, as_of: date, changes_since: datetime | None) -> dict:
    return {
        "as_of": as_of,
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "site_url": settings.SITE_URL,
        "areas": selectors.contacts_by_area(),
        "directorates": selectors.directorates_with_officers(on=as_of),
        "market_leads": finder.market_leads(),
        "changes": selectors.changes_since_circulation(changes_since) if changes_since else None,
    }


def contact_list_pdf(*, as_of: date, changes_since: datetime | None) -> tuple[bytes, int]:
    """The PDF of the who's-who on `as_of`, with what changed since `changes_since`, and its number of pages."""
    html = render_to_string(TEMPLATE, contact_list_context(as_of=as_of, changes_since=changes_since))
    # Made from the portal's own records only: it fetches nothing from the network or the disk.
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=fetcher).render(
        stylesheets=[_stylesheet()], pdf_variant=PDF_VARIANT
    )
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)
