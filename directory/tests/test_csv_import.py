import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Area, Officer, ProviderOrganisation, Responsibility, Topic
from directory.services import csv_import
from directory.tests import factories
from directory.tests.factories_transfer import csv_bytes, directory_editor, read_csv, whos_who
from portal.tests.factories import OfficerFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/directory/transfer/import/"
# Reference data, existing entries, then the writes in bulk: none of it once per row.
IMPORT_MAX_QUERIES = 20


@pytest.fixture
def editor():
    return directory_editor(email="editor@council.example.org")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def team():
    directorate = factories.DirectorateFactory(name="Commissioning", slug="commissioning")
    return factories.TeamFactory(name="Quality and Improvement", directorate=directorate)


def upload(client, kind: str, content: bytes, name: str = "whos-who.csv"):
    return client.post(
        reverse("directory:transfer-import"),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
        follow=True,
    )


def officer_row(n: int = 1, **cells) -> dict[str, str]:
    return {
        "Email": f"new.{n}@council.example.org",
        "Full name": f"New Officer {n}",
        "Job title": "Quality officer",
        "Seniority": "Officer",
        "Team": "Quality and Improvement",
        "Directorate": "Commissioning",
        "Areas": "North East; Mid",
        **cells,
    }


def problems(response) -> list[str]:
    return [str(problem) for problem in response.context["problems"]]


def file_errors(response) -> list[str]:
    return response.context["form"].errors.get("file", [])


# Creating and updating


def test_editor_imports_new_officers_and_sees_how_many_were_created(editor_client, editor, team):
    content = csv_bytes("officers", [officer_row(1), officer_row(2, Seniority="head_of_service")])

    response = upload(editor_client, "officers", content)

    assert "Officers imported: 2 created, 0 updated, 0 unchanged." in response.content.decode()
    officer = Officer.objects.get(email="new.1@council.example.org")
    assert officer.team == team
    assert {area.name for area in officer.areas.all()} == {"North East", "Mid"}
    assert officer.owner == editor
    assert Officer.objects.get(email="new.2@council.example.org").seniority == "head_of_service"


def test_imported_changes_are_in_the_history_with_the_importer_and_the_areas(editor_client, editor, team):
    upload(editor_client, "officers", csv_bytes("officers", [officer_row(1)]))
    upload(
        editor_client,
        "officers",
        csv_bytes("officers", [officer_row(1, **{"Job title": "Lead", "Areas": "West"})]),
    )

    officer = Officer.objects.get(email="new.1@council.example.org")
    created, changed = officer.history.order_by("history_date")
    assert (created.history_type, changed.history_type) == ("+", "~")
    assert created.history_user == changed.history_user == editor
    assert changed.history_change_reason == "Imported from a CSV file"
    assert {link.area.name for link in created.areas.all()} == {"North East", "Mid"}
    assert {link.area.name for link in changed.areas.all()} == {"West"}
    assert changed.job_title == "Lead"


def test_a_row_with_an_officers_email_updates_them_whatever_its_case(editor_client, team):
    officer = factories.OfficerFactory(email="Jo.Smith@council.example.org", team=team, job_title="Old title")

    response = upload(
        editor_client, "officers", csv_bytes("officers", [officer_row(Email="jo.smith@COUNCIL.example.org")])
    )

    assert "0 created, 1 updated" in response.content.decode()
    officer.refresh_from_db()
    assert officer.job_title == "Quality officer"
    assert Officer.objects.count() == 1


def test_officers_in_one_file_can_deputise_for_each_other(editor_client, team):
    existing = factories.OfficerFactory(email="existing@council.example.org", team=team)
    rows = [
        officer_row(1, **{"Deputy email": "new.2@council.example.org"}),
        officer_row(2, **{"Deputy email": "new.1@council.example.org"}),
        officer_row(3, **{"Deputy email": "EXISTING@council.example.org"}),
    ]

    upload(editor_client, "officers", csv_bytes("officers", rows))

    first, second, third = (Officer.objects.get(email=f"new.{n}@council.example.org") for n in (1, 2, 3))
    assert (first.deputy, second.deputy, third.deputy) == (second, first, existing)
    assert first.history.get().deputy_id == second.pk


def test_seniority_market_lead_and_dates_accept_labels_codes_and_uk_dates(editor_client, team):
    row = officer_row(
        1,
        Seniority="HEAD OF SERVICE",
        **{"Market lead": "operational", "Active from": "01/04/2024", "Last verified": "2026-01-15"},
    )

    upload(editor_client, "officers", csv_bytes("officers", [row]))

    officer = Officer.objects.get()
    assert officer.seniority == Officer.Seniority.HEAD_OF_SERVICE
    assert officer.market_lead == Officer.MarketLead.OPERATIONAL
    assert officer.active_from == datetime.date(2024, 4, 1)
    assert officer.last_verified_on == datetime.date(2026, 1, 15)


def test_a_responsibility_is_found_by_its_topic_areas_and_service_types(editor_client, team):
    mid, home_care = factories.area("mid"), factories.service_type("home-care")
    before = factories.OfficerFactory(email="before@council.example.org", team=team)
    after = factories.OfficerFactory(email="after@council.example.org", team=team)
    answered = factories.ResponsibilityFactory(officer=before, areas=[mid], service_types=[home_care])
    rows = [
        {"Topic": "Safeguarding", "Officer email": after.email, "Areas": "Mid", "Service types": "Home care"},
        {
            "Topic": "payments-and-invoices",
            "Team": team.name,
            "Directorate": "Commissioning",
            "Notes": "Invoices",
        },
    ]

    response = upload(editor_client, "responsibilities", csv_bytes("responsibilities", rows))

    assert "Responsibilities imported: 1 created, 1 updated, 0 unchanged." in response.content.decode()
    answered.refresh_from_db()
    assert (answered.officer, answered.team) == (after, None)
    changed = answered.history.latest()
    assert (changed.history_type, changed.officer_id) == ("~", after.pk)
    assert [link.servicetype_id for link in changed.service_types.all()] == [home_care.pk]
    added = Responsibility.objects.get(topic__slug="payments-and-invoices")
    assert (added.team, added.notes, added.areas.count()) == (team, "Invoices", 0)


def test_providers_are_created_and_updated_by_name(editor_client, team):
    manager = factories.OfficerFactory(email="manager@council.example.org", team=team)
    factories.ProviderAssociationFactory(name="Care Homes Association")
    existing = factories.ProviderOrganisationFactory(
        name="Sunrise Care Ltd", tier=ProviderOrganisation.Tier.THREE
    )
    rows = [
        {
            "Name": "sunrise care ltd",
            "Location ID": "1-123456789",
            "Tier": "Tier 1",
            "Contract type": "Spot",
            "People supported": "1,204",
            "Areas": "West",
            "Service types": "Home care; Supported living",
            "Client groups": "Older people",
            "Associations": "Care Homes Association",
            "Contract manager email": "Manager@council.example.org",
            "Active": "Yes",
        },
        {"Name": "New Horizons Ltd", "Tier": "3", "Contract type": "framework", "Active": "No"},
    ]

    response = upload(editor_client, "providers", csv_bytes("providers", rows))

    assert "Providers imported: 1 created, 1 updated, 0 unchanged." in response.content.decode()
    existing.refresh_from_db()
    assert (existing.name, existing.tier, existing.contract_manager) == ("sunrise care ltd", 1, manager)
    assert existing.people_supported == 1204
    assert [group.name for group in existing.client_groups.all()] == ["Older people"]
    assert existing.history.latest().history_type == "~"
    assert ProviderOrganisation.objects.get(name="New Horizons Ltd").is_active is False


# Problems in rows: nothing is written, every problem is reported with its row and column


def test_an_unknown_area_names_the_row_and_the_areas_there_are(editor_client, team):
    response = upload(
        editor_client, "officers", csv_bytes("officers", [officer_row(1), officer_row(2, Areas="Nort East")])
    )

    assert response.status_code == 200
    assert problems(response) == ["Row 3: area 'Nort East' is not an area (North East, Mid, South, West)"]
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Row 3: area &#x27;Nort East&#x27; is not an area (North East, Mid, South, West)" in page
    assert "1 problem in 1 row, so nothing was imported" in page
    assert Officer.objects.count() == 0


def test_every_problem_in_every_row_is_reported_at_once(editor_client, team):
    rows = [
        officer_row(1, Team="Qualty and Improvement", Seniority="Boss"),
        officer_row(2, **{"Deputy email": "new.2@council.example.org", "Active from": "31/31/2024"}),
        officer_row(3, Email="not-an-email", **{"Owner email": "nobody@council.example.org"}),
        officer_row(4, **{"Full name": "", "Deputy email": "ghost@council.example.org"}),
    ]

    response = upload(editor_client, "officers", csv_bytes("officers", rows))

    found = {(problem.row, problem.column, problem.message) for problem in response.context["problems"]}
    assert found == {
        (2, "Seniority", "seniority 'Boss' is not one of: Director, Head of service, Manager, Officer"),
        (
            2,
            "Team",
            "team 'Qualty and Improvement' is not a team of Commissioning; did you mean 'Quality and Improvement'?",
        ),
        (3, "Deputy email", "an officer cannot be their own deputy"),
        (3, "Active from", "active from '31/31/2024' is not a date like 2026-03-31 or 31/03/2026"),
        (4, "Email", "Enter a valid email address."),
        (4, "Owner email", "owner email 'nobody@council.example.org' is not a council user of the portal"),
        (5, "Full name", "full name is empty; enter it"),
        (
            5,
            "Deputy email",
            "deputy email 'ghost@council.example.org' is not an officer in the who's-who or in this file",
        ),
    }
    assert Officer.objects.count() == 0


def test_the_same_email_twice_in_a_file_is_a_problem(editor_client, team):
    rows = [officer_row(1), officer_row(2), officer_row(1, Email="NEW.1@council.example.org")]

    response = upload(editor_client, "officers", csv_bytes("officers", rows))

    assert problems(response) == [
        "Row 4: email 'NEW.1@council.example.org' is also on row 2; give each officer one row"
    ]
    assert Officer.objects.count() == 0


def test_two_existing_officers_whose_emails_differ_only_in_case_are_not_guessed_between(editor_client, team):
    factories.OfficerFactory(email="sam@council.example.org", team=team)
    factories.OfficerFactory(email="Sam@council.example.org", team=team)

    response = upload(
        editor_client, "officers", csv_bytes("officers", [officer_row(Email="SAM@council.example.org")])
    )

    assert problems(response) == [
        "Row 2: 2 officers in the who's-who match this row; settle which one it is in the who's-who first"
    ]


def test_unknown_team_topic_and_service_type_are_problems(editor_client, team):
    rows = [
        {"Topic": "Safeguarding", "Team": "Nowhere Team", "Service types": "Home care; Space travel"},
        {"Topic": "Gardening", "Team": team.name, "Directorate": "Finance"},
        {"Topic": "Quality"},
    ]

    response = upload(editor_client, "responsibilities", csv_bytes("responsibilities", rows))

    assert problems(response) == [
        "Row 2: service type 'Space travel' is not a service type (Day opportunities, Home care, Nursing care, "
        "Residential care, Specialist services, Supported living)",
        "Row 2: team 'Nowhere Team' is not a team in the who's-who",
        "Row 3: topic 'Gardening' is not a topic (Commissioning, Contract management, Fees and pricing, Market "
        "leadership, Payments and invoices, Policy and practice, Quality, Safeguarding, Workforce and training)",
        "Row 3: directorate 'Finance' is not a directorate (Commissioning)",
        "Row 4: give the email of the officer who answers, or their team, or both",
    ]


def test_a_retired_team_takes_no_new_officers_but_keeps_its_own(editor_client, team):
    retired = factories.TeamFactory(name="Old Team", directorate=team.directorate, is_active=False)
    factories.OfficerFactory(email="stays@council.example.org", team=retired, job_title="Quality officer")
    rows = [officer_row(1, Team="Old Team"), officer_row(Email="stays@council.example.org", Team="Old Team")]

    response = upload(editor_client, "officers", csv_bytes("officers", rows))

    assert problems(response) == ["Row 2: team 'Old Team' has been retired; choose a current team"]


def test_two_rows_answering_the_same_question_are_a_problem(editor_client, team):
    rows = [
        {"Topic": "Safeguarding", "Team": team.name, "Areas": "Mid; West"},
        {"Topic": "Safeguarding", "Team": team.name, "Areas": "West; Mid"},
    ]

    response = upload(editor_client, "responsibilities", csv_bytes("responsibilities", rows))

    assert problems(response) == [
        "Row 3: Safeguarding for the same areas and service types is also on row 2; give each responsibility one row"
    ]


def test_malformed_location_id_and_tier_one_without_contract_manager_are_problems(editor_client):
    rows = [
        {"Name": "Bad ID Care", "Location ID": "12345", "Tier": "Tier 2", "Contract type": "Spot"},
        {"Name": "Big Care", "Tier": "Tier One", "Contract type": "Framework", "Associations": "Nobody"},
        {"Name": "Odd Care", "Tier": "Tier 4", "Contract type": "Block", "People supported": "many"},
    ]

    response = upload(editor_client, "providers", csv_bytes("providers", rows))

    found = {(problem.row, problem.column, problem.message) for problem in response.context["problems"]}
    assert found == {
        (2, "Location ID", "Enter a location ID in the format the care regulator uses, like 1-1234567890"),
        (3, "Contract manager email", "a Tier One provider must have a named contract manager"),
        (3, "Associations", "provider association 'Nobody' is not a provider association ()"),
        (4, "Tier", "tier 'Tier 4' is not one of: Tier 1, Tier 2, Tier 3"),
        (4, "Contract type", "contract type 'Block' is not one of: Framework, Spot"),
        (4, "People supported", "people supported 'many' is not a whole number"),
    }
    assert ProviderOrganisation.objects.count() == 0


def test_a_value_under_no_heading_is_a_problem(editor_client, team):
    content = csv_bytes("officers", [officer_row(1)]).rstrip(b"\r\n") + b",surprise\r\n"

    response = upload(editor_client, "officers", content)

    assert problems(response) == ["Row 2: the row has a value in a column with no heading"]


def test_the_list_of_problems_downloads_as_a_csv_to_work_through(editor_client, team):
    rows = [officer_row(1, Areas="=cmd|' /C calc'!A0"), officer_row(2, Seniority="Chief")]
    upload(editor_client, "officers", csv_bytes("officers", rows))

    response = editor_client.get(reverse("directory:transfer-import-report"))

    assert response["Content-Disposition"] == 'attachment; filename="whos-who-officers-import-problems.csv"'
    report = read_csv(response.content)
    assert [(row["Row"], row["Column"]) for row in report] == [("2", "Areas"), ("3", "Seniority")]
    assert report[0]["Value"] == "'=cmd|' /C calc'!A0"
    assert (
        report[1]["Problem"] == "seniority 'Chief' is not one of: Director, Head of service, Manager, Officer"
    )


def test_a_successful_import_clears_the_list_of_problems(editor_client, team):
    upload(editor_client, "officers", csv_bytes("officers", [officer_row(1, Areas="Nowhere")]))
    upload(editor_client, "officers", csv_bytes("officers", [officer_row(1)]))

    response = editor_client.get(reverse("directory:transfer-import-report"), follow=True)

    assert "There is no list of problems to download" in response.content.decode()


# Problems with the file as a whole


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"\xef\xbb\xbf\r\n", "The selected file is empty"),
        (csv_bytes("officers", []), "The selected file has headings but no rows to import"),
        (b"PK\x03\x04\x14\x00\x06\x00", "The selected file is a spreadsheet workbook, not a CSV file."),
        ("Email,Full name\r\n".encode("utf-16"), "The selected file must be a CSV file saved as UTF-8 text."),
        (b"Email\r\n\x81\x8d\r\n", "line 2 has characters that are not UTF-8 or Windows-1252"),
        (b"Email;Full name\r\na@b.org;A\r\n", "separates its columns with semicolons, not commas"),
        (b'Email,"Full name\r\n', "The selected file is not a CSV file that can be read"),
    ],
    ids=[
        "empty",
        "only-a-byte-order-mark",
        "headings-only",
        "excel-workbook",
        "utf-16",
        "invalid-bytes",
        "semicolons",
        "unclosed-quote",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(editor_client, content, message):
    response = upload(editor_client, "officers", content)

    assert response.status_code == 200
    assert any(message in error for error in file_errors(response)), file_errors(response)
    assert "govuk-error-summary" in response.content.decode()


def test_missing_and_unexpected_headings_are_named(editor_client):
    content = b"Email,Full name,Jobtitle,Seniority,Team,Directorate,Phone,Areas,Deputy email,Market lead,Active from,Active to,Owner email\r\nx\r\n"

    response = upload(editor_client, "officers", content)

    (error,) = file_errors(response)
    assert "(missing: Job title, Last verified; not expected: Jobtitle)" in error
    assert "The first row must have these headings: Email, Full name, Job title," in error


def test_headings_in_another_order_or_case_are_accepted(editor_client, team):
    content = b"areas,EMAIL,Full Name,job title,seniority,team,directorate,phone,deputy email,market lead,active from,active to,owner email,last verified\r\nMid,a@council.example.org,A Person,Officer,Officer,Quality and Improvement,Commissioning,,,,,,,\r\n"

    response = upload(editor_client, "officers", content)

    assert "1 created" in response.content.decode()
    assert Officer.objects.get().areas.get().name == "Mid"


def test_a_file_of_another_kind_says_which_kind_it_is(editor_client):
    response = upload(editor_client, "officers", csv_bytes("providers", [{"Name": "A Care Ltd"}]))

    assert file_errors(response) == [
        "The selected file has the headings of a file of providers, not of officers. "
        "Choose providers, or upload a file of officers."
    ]


def test_a_windows_1252_file_is_read_and_the_outcome_says_so(editor_client, team):
    content = csv_bytes("officers", [officer_row(1, **{"Full name": "Renée Noël"})], encoding="cp1252")

    response = upload(editor_client, "officers", content)

    assert "read as Windows-1252" in response.content.decode()
    assert Officer.objects.get().full_name == "Renée Noël"


def test_a_utf8_file_without_a_byte_order_mark_is_read(editor_client, team):
    content = csv_bytes("officers", [officer_row(1, **{"Full name": "Zoë Łukasz"})], encoding="utf-8")

    response = upload(editor_client, "officers", content)

    assert "read as Windows-1252" not in response.content.decode()
    assert Officer.objects.get().full_name == "Zoë Łukasz"


def test_a_file_over_five_megabytes_is_refused(editor_client):
    content = csv_bytes("officers", [officer_row(1)]) + b"," * (5 * 1024 * 1024)

    response = upload(editor_client, "officers", content)

    assert file_errors(response) == ["The selected file must be smaller than 5 MB"]


def test_posting_no_file_and_no_kind_shows_the_form_again_with_errors(editor_client):
    response = editor_client.post(reverse("directory:transfer-import"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "kind": ["Choose what the file lists"],
        "file": ["Select a CSV file"],
    }
    assert "Error: Import from a CSV file" in response.content.decode()


# Who may import


def test_officers_and_providers_cannot_import(client, team):
    content = csv_bytes("officers", [officer_row(1)])
    for user in (OfficerFactory(), ProviderUserFactory()):
        client.force_login(user)
        response = client.post(
            reverse("directory:transfer-import"),
            {"kind": "officers", "file": SimpleUploadedFile("x.csv", content)},
        )
        assert response.status_code == 403
    assert Officer.objects.count() == 0


# Round trips and size


@pytest.mark.parametrize(("kind", "count"), [("officers", 55), ("responsibilities", 9), ("providers", 55)])
def test_an_exported_file_imports_again_unchanged(editor_client, kind, count):
    whos_who(officers=55, providers=55)
    exported = b"".join(
        editor_client.get(reverse("directory:transfer-export", args=[kind])).streaming_content
    )

    response = upload(editor_client, kind, exported)

    assert f"imported: 0 created, 0 updated, {count} unchanged." in response.content.decode()
    again = b"".join(editor_client.get(reverse("directory:transfer-export", args=[kind])).streaming_content)
    assert again == exported


def test_one_bad_row_among_fifty_writes_nothing(editor_client):
    made = whos_who(officers=55, providers=0)
    exported = read_csv(b"".join(editor_client.get("/directory/transfer/officers.csv").streaming_content))
    for row in exported:
        row["Job title"] = "Changed"
    exported[29]["Areas"] = "Nort East"
    history_before = Officer.history.count()

    response = upload(editor_client, "officers", csv_bytes("officers", exported))

    assert problems(response) == ["Row 31: area 'Nort East' is not an area (North East, Mid, South, West)"]
    assert not Officer.objects.filter(job_title="Changed").exists()
    assert Officer.history.count() == history_before
    assert Officer.objects.count() == len(made.officers)


def _import_queries(editor, rows: int, offset: int) -> int:
    content = csv_bytes(
        "officers",
        [
            officer_row(offset + n, **{"Deputy email": f"new.{offset + (n + 1) % rows}@council.example.org"})
            for n in range(rows)
        ],
    )
    with CaptureQueriesContext(connection) as queries:
        outcome = csv_import.csv_import(kind="officers", content=content, imported_by=editor)
    assert outcome.created == rows
    return len(queries)


def test_importing_officers_takes_the_same_queries_for_ten_rows_or_a_hundred(editor, team):
    factories.OfficerFactory.create_batch(5, team=team, areas=[Area.objects.first()])

    ten = _import_queries(editor, 10, offset=0)
    hundred = _import_queries(editor, 100, offset=1000)

    assert ten == hundred
    assert hundred <= IMPORT_MAX_QUERIES


def test_updating_officers_takes_the_same_queries_for_ten_rows_or_a_hundred(editor):
    made = whos_who(officers=100, providers=0)
    exported = read_csv(b"".join(_export("officers")))
    for row in exported:
        row["Areas"], row["Job title"] = "West", "Changed"

    counts = []
    for rows in (exported[:10], exported[10:]):
        with CaptureQueriesContext(connection) as queries:
            outcome = csv_import.csv_import(
                kind="officers", content=csv_bytes("officers", rows), imported_by=editor
            )
        assert outcome.updated == len(rows)
        counts.append(len(queries))

    assert counts[0] == counts[1] <= IMPORT_MAX_QUERIES
    assert Officer.objects.filter(job_title="Changed", areas__name="West").count() == len(made.officers)


def _export(kind: str):
    from directory.services.csv_export import export_lines

    return (line.encode() for line in export_lines(kind))


def test_topic_lookup_accepts_the_slug(editor_client, team):
    rows = [{"Topic": "market-leadership", "Team": team.name}]

    upload(editor_client, "responsibilities", csv_bytes("responsibilities", rows))

    assert Responsibility.objects.get().topic == Topic.objects.get(slug="market-leadership")
