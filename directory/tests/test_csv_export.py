import datetime

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Area, Officer, ProviderOrganisation
from directory.services.csv_export import HEADINGS, neutralise, restore
from directory.tests import factories
from directory.tests.factories_transfer import read_csv, whos_who
from portal.tests.factories import OfficerFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

# Session, user and roles, then one query for the rows and one per many-to-many: the same for 5 rows or 5,000.
EXPORT_MAX_QUERIES = {"officers": 5, "responsibilities": 6, "providers": 8}


def download(client, kind: str) -> bytes:
    response = client.get(reverse("directory:transfer-export", args=[kind]))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


@pytest.fixture
def officer_client(client):
    client.force_login(OfficerFactory())
    return client


def test_export_starts_with_a_byte_order_mark_and_the_import_headings(officer_client):
    whos_who(officers=3, providers=3)

    for kind, headings in HEADINGS.items():
        content = download(officer_client, kind)
        assert content.startswith(b"\xef\xbb\xbf")
        assert content.decode("utf-8-sig").splitlines()[0] == ",".join(headings)


def test_export_is_an_attachment_named_after_its_kind_and_day(officer_client):
    response = officer_client.get(reverse("directory:transfer-export", args=["providers"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="whos-who-providers-')


def test_officers_file_lists_every_column(officer_client):
    made = whos_who(officers=6, providers=0)
    first = made.officers[1]

    rows = {row["Email"]: row for row in read_csv(download(officer_client, "officers"))}

    row = rows[first.email]
    assert row == {
        "Email": "officer.1@council.example.org",
        "Full name": "Officer 1",
        "Job title": "Quality officer",
        "Seniority": "Head of service",
        "Team": "Market Development",
        "Directorate": "Commissioning",
        "Phone": "'+44 300 555 0100",
        "Areas": "Mid; North East",
        "Deputy email": "officer.2@council.example.org",
        "Market lead": "",
        "Active from": "2024-04-01",
        "Active to": "",
        "Owner email": "owner@council.example.org",
        "Last verified": "2026-01-15",
    }
    assert rows["officer.0@council.example.org"]["Market lead"] == "Strategic lead for the care market"
    assert rows["officer.0@council.example.org"]["Active to"] == "2027-03-31"


def test_responsibilities_file_lists_current_responsibilities_only(officer_client):
    made = whos_who(officers=3, providers=0)
    retired = made.responsibilities[0]
    retired.retired_on = datetime.date(2025, 1, 1)
    retired.save()
    answered = made.responsibilities[4]

    rows = read_csv(download(officer_client, "responsibilities"))

    assert len(rows) == len(made.responsibilities) - 1
    assert retired.topic.name not in {row["Topic"] for row in rows}
    row = next(row for row in rows if row["Topic"] == answered.topic.name)
    assert row == {
        "Topic": answered.topic.name,
        "Officer email": answered.officer.email,
        "Team": answered.team.name,
        "Directorate": answered.team.directorate.name,
        "Areas": "Mid",
        "Service types": "",
        "Notes": "",
    }


def test_providers_file_lists_every_column(officer_client):
    made = whos_who(officers=3, providers=6)
    tier_one = made.providers[5]

    rows = {row["Name"]: row for row in read_csv(download(officer_client, "providers"))}

    assert rows[tier_one.name] == {
        "Name": "Provider 5 Care Ltd",
        "Location ID": "1-1000000005",
        "Tier": "Tier 1",
        "Contract type": "Spot",
        "People supported": "15",
        "Areas": "Mid; North East",
        "Service types": "Nursing care; Residential care",
        "Client groups": "Autism; Carers",
        "Associations": "Care Association 0",
        "Contract manager email": tier_one.contract_manager.email,
        "Active": "Yes",
    }
    assert rows["Provider 0 Care Ltd"]["Active"] == "No"
    assert rows["Provider 0 Care Ltd"]["Location ID"] == ""


@pytest.mark.parametrize("kind", ["officers", "responsibilities", "providers"])
def test_export_reads_the_same_number_of_queries_whatever_the_number_of_rows(officer_client, kind):
    whos_who(officers=4, providers=4)
    with CaptureQueriesContext(connection) as few:
        download(officer_client, kind)
    for n in range(60):
        officer = factories.OfficerFactory(
            email=f"more.{n}@council.example.org", areas=[Area.objects.first()]
        )
        provider = factories.ProviderOrganisationFactory(name=f"More {n} Ltd")
        provider.areas.set([Area.objects.first()])
        factories.ResponsibilityFactory(officer=officer, notes=str(n))

    with CaptureQueriesContext(connection) as many:
        content = download(officer_client, kind)

    assert len(read_csv(content)) > 50
    assert len(many) == len(few)
    assert len(many) <= EXPORT_MAX_QUERIES[kind], [query["sql"] for query in many]


def test_cells_a_spreadsheet_would_run_as_a_formula_are_neutralised(officer_client):
    team = factories.TeamFactory(name="@Team")
    factories.OfficerFactory(
        email="formula@council.example.org",
        full_name='=HYPERLINK("http://evil.example","Click")',
        job_title="+SUM(1,2)",
        phone="-1",
        team=team,
    )
    factories.ProviderOrganisationFactory(name="\tTabbed Care Ltd", location_id="")
    factories.ProviderOrganisationFactory(name="\rReturned Care Ltd", location_id="")
    factories.ProviderOrganisationFactory(name="Plain = Care Ltd", location_id="")

    officer = read_csv(download(officer_client, "officers"))[0]
    names = {row["Name"] for row in read_csv(download(officer_client, "providers"))}

    assert officer["Full name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert officer["Job title"] == "'+SUM(1,2)"
    assert officer["Phone"] == "'-1"
    assert officer["Team"] == "'@Team"
    assert names == {"'\tTabbed Care Ltd", "'\rReturned Care Ltd", "Plain = Care Ltd"}


@pytest.mark.parametrize("cell", ["=1+1", "+44", "-3", "@A1", "\tx", "\rx", "plain", "'quoted", "a=b", ""])
def test_restoring_a_neutralised_cell_gives_back_the_value(cell):
    assert restore(neutralise(cell)) == cell


def test_provider_users_cannot_download_the_whos_who(client):
    client.force_login(ProviderUserFactory())

    for kind in HEADINGS:
        assert client.get(reverse("directory:transfer-export", args=[kind])).status_code == 403


def test_unknown_kind_of_file_is_not_found(officer_client):
    assert officer_client.get("/directory/transfer/teams.csv").status_code == 404


def test_transfer_page_offers_the_import_only_to_directory_editors(client):
    client.force_login(OfficerFactory())

    page = client.get(reverse("directory:transfer")).content.decode()

    assert reverse("directory:transfer-export", args=["officers"]) in page
    assert reverse("directory:transfer-import") not in page
    assert Officer.objects.count() == ProviderOrganisation.objects.count() == 0
