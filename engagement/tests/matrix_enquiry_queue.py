"""Permission-matrix rows for the enquiry queue and figures (see tests/permission_matrix.py).

Council staff, directors included, work the queue and read the figures; providers get a 403.
"""

from tests.permission_matrix import Row, council_only


def _with_an_enquiry(objects: dict) -> dict:
    """Provider A's open enquiry, so that the pages have a row to show; the pages take no arguments."""
    if "queue_enquiry" not in objects:
        from engagement.tests.factories_enquiries import EnquiryFactory

        objects["queue_enquiry"] = EnquiryFactory(
            provider=objects["provider_a"], assigned_officer=objects["officer_record"]
        )
    return {}


ROWS: list[Row] = [
    Row("engagement:enquiry-queue", council_only(), kwargs=_with_an_enquiry),
    Row("engagement:enquiry-figures", council_only(), kwargs=_with_an_enquiry),
]
