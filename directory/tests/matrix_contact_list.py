"""Permission-matrix rows for the contact-list pages (see tests/permission_matrix.py).

`matrix_objects` holds no contact-list version, so each row's kwargs make the versions it needs.
"""

from tests.permission_matrix import (
    SIGN_IN,
    Row,
    council_only,
    provider_a_record,
    provider_b_record,
    signed_in,
)

# Making and previewing the contact list go with circulating it: officers and directory editors, not directors.
CIRCULATES = {**council_only(), "director": 403}
PROVIDERS_ONLY = {**council_only(403), "anonymous": SIGN_IN, "provider_a": 200, "provider_b": 200}
# A few bytes stand in for the PDF, kept under one name so that the matrix does not add a file each run.
STAND_IN = "contact-lists/permission-matrix-stand-in.pdf"


def _stored_version():
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from directory.tests.factories_circulation import ContactListVersionFactory

    if not default_storage.exists(STAND_IN):
        default_storage.save(STAND_IN, ContentFile(b"%PDF-1.7 stand-in"))
    return ContactListVersionFactory(file=STAND_IN)


def _current_version(objects: dict) -> dict:
    _stored_version()
    return {}


def _version_sent_to_provider_a(objects: dict) -> dict:
    return _version_sent_to(objects["provider_person_a"])


def _version_sent_to_provider_b(objects: dict) -> dict:
    from directory.tests.factories import ProviderPersonFactory

    return _version_sent_to(ProviderPersonFactory(provider=objects["provider_b"]))


def _version_sent_to(person) -> dict:
    """A past version sent to one provider only; a later one is the current version."""
    from directory.tests.factories_circulation import CirculationDeliveryFactory, CirculationRunFactory

    version = _stored_version()
    run = CirculationRunFactory(version=version)
    CirculationDeliveryFactory(
        run=run, person=person, provider=person.provider, email=person.email, sent=True
    )
    _stored_version()
    return {"pk": version.pk}


ROWS: list[Row] = [
    Row("directory:contact-list", signed_in(200), label="before the first version"),
    Row("directory:contact-list", signed_in(200), kwargs=_current_version, label="of the current version"),
    Row("directory:contact-list-preview", CIRCULATES),
    # Asked by GET, so that the matrix writes no PDF into MEDIA_ROOT: the permission is checked before the method
    # (403), and those allowed are told to POST (405). test_contact_list.py makes a version by POST.
    Row(
        "directory:contact-list-make",
        {**CIRCULATES, **{role: 405 for role in ("officer", "editor", "manager", "superuser")}},
        label="by GET",
    ),
    Row("directory:contact-list-versions", council_only()),
    Row(
        "directory:contact-list-version-download",
        provider_a_record(),
        kwargs=_version_sent_to_provider_a,
        label="sent to provider A",
    ),
    Row(
        "directory:contact-list-version-download",
        provider_b_record(),
        kwargs=_version_sent_to_provider_b,
        label="sent to provider B",
    ),
    Row("directory:contact-list-sent", PROVIDERS_ONLY),
]
