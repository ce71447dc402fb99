"""Permission-matrix rows for provider enquiries (see tests/permission_matrix.py).

Provider A raises and replies to its own enquiries; provider B asking for one of A's gets a 404, never a 403.
Officers, editors and engagement managers answer (reply, pass on, ask for more, note, resolve); directors only read.
A POST with nothing filled in re-renders the form with its errors (200), never a 500.
"""

from tests.permission_matrix import SIGN_IN, Row, council_only, signed_in


def _enquiry_a(objects: dict) -> dict:
    """Provider A's open enquiry, with the matrix's officer, made once per test."""
    if "enquiry_a" not in objects:
        from engagement.tests.factories_enquiries import EnquiryFactory

        objects["enquiry_a"] = EnquiryFactory(
            provider=objects["provider_a"], assigned_officer=objects["officer_record"]
        )
    return {"pk": objects["enquiry_a"].pk}


def _enquiry_b(objects: dict) -> dict:
    """Provider B's open enquiry, made once per test."""
    if "enquiry_b" not in objects:
        from engagement.tests.factories_enquiries import EnquiryFactory

        objects["enquiry_b"] = EnquiryFactory(
            provider=objects["provider_b"], assigned_officer=objects["officer_record"]
        )
    return {"pk": objects["enquiry_b"].pk}


def _attachment_a(objects: dict) -> dict:
    return _attachment_of(objects, "provider_a")


def _attachment_b(objects: dict) -> dict:
    return _attachment_of(objects, "provider_b")


def _attachment_of(objects: dict, provider: str) -> dict:
    from engagement.tests.factories_enquiries import EnquiryAttachmentFactory, EnquiryFactory

    enquiry = EnquiryFactory(provider=objects[provider], assigned_officer=objects["officer_record"])
    return {"pk": EnquiryAttachmentFactory(enquiry=enquiry).pk}


def _providers_only(status: int = 200, council: int = 403) -> dict[str, int]:
    """Pages a provider user uses for their own organisation; council staff get `council`."""
    return council_only(status=council, providers=status)


def _provider_a_record(status: int = 200, council: int = 200, director: int | None = None) -> dict[str, int]:
    """Provider A's own enquiry: A and council staff see it, B gets a 404."""
    expected = {**council_only(council), "provider_a": status, "provider_b": 404}
    if director is not None:
        expected["director"] = director
    return expected


def _provider_b_record(status: int = 200, director: int | None = None) -> dict[str, int]:
    """Provider B's own enquiry: the mirror image, where provider A gets the 404."""
    return {**_provider_a_record(status, director=director), "provider_a": 404, "provider_b": status}


def _answered_by_officers(status: int = 200) -> dict[str, int]:
    """Officers, editors and engagement managers; directors read only; providers may not."""
    return {**council_only(status), "director": 403}


_OFFICER_STEPS = [
    "engagement:enquiry-reassign",
    "engagement:enquiry-request-information",
    "engagement:enquiry-note",
    "engagement:enquiry-resolve",
]

ROWS: list[Row] = [
    Row("engagement:enquiry-raise", _providers_only()),
    Row("engagement:enquiry-raise", _providers_only(), method="post", label="with nothing filled in"),
    # Council staff are sent to their queue.
    Row("engagement:enquiry-list", _providers_only(council=302)),
    Row("engagement:enquiry-detail", _provider_a_record(), kwargs=_enquiry_a, label="of provider A's"),
    Row(
        "engagement:enquiry-reply",
        _provider_a_record(director=403),
        kwargs=_enquiry_a,
        label="of provider A's",
    ),
    Row(
        "engagement:enquiry-reply",
        _provider_a_record(director=403),
        kwargs=_enquiry_a,
        method="post",
        label="of provider A's, with no message",
    ),
    Row("engagement:enquiry-detail", _provider_b_record(), kwargs=_enquiry_b, label="of provider B's"),
    Row(
        "engagement:enquiry-reply",
        _provider_b_record(director=403),
        kwargs=_enquiry_b,
        label="of provider B's",
    ),
    Row(
        "engagement:enquiry-reply",
        _provider_b_record(director=403),
        kwargs=_enquiry_b,
        method="post",
        label="of provider B's, with no message",
    ),
    *(
        Row(name, _answered_by_officers(), kwargs=_enquiry_a, label="of provider A's")
        for name in _OFFICER_STEPS
    ),
    *(
        Row(name, _answered_by_officers(), kwargs=_enquiry_a, method="post", label="with nothing filled in")
        for name in _OFFICER_STEPS
    ),
    Row(
        "engagement:enquiry-attachment",
        {**signed_in(200), "anonymous": SIGN_IN, "provider_b": 404, "director": 403},
        kwargs=_attachment_a,
        label="on provider A's enquiry",
    ),
    Row(
        "engagement:enquiry-attachment",
        {**signed_in(200), "anonymous": SIGN_IN, "provider_a": 404, "director": 403},
        kwargs=_attachment_b,
        label="on provider B's enquiry",
    ),
]
