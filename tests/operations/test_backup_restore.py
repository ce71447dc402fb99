"""Backup and restore with the ops scripts: pg_dump of the database, pg_restore into a new one, the portal on it."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conftest import IN_CI
from tests import celery_worker

ROOT = Path(settings.BASE_DIR)

# The portal on the restored database, in one process: the system checks, no migration left to apply, the records
# counted through the ORM and a signed-in page fetched from it.
PORTAL_ON_RESTORED_DATABASE = """
from django.core.management import call_command
from django.test import Client
from directory.models import ProviderOrganisation
from engagement.models import Enquiry
from portal.models import User
from tests.second_step import pass_second_step

call_command("check", databases=["default"])
call_command("migrate", check_unapplied=True, verbosity=0)
officer = User.objects.get(email="restored.officer@council.example.org")
client = Client()
client.force_login(officer)
pass_second_step(client)  # as force_login skips the password
provider = ProviderOrganisation.objects.get(name="Restored Care Homes Ltd")
page = client.get(f"/directory/providers/{provider.pk}/")
print(ProviderOrganisation.objects.filter(name__startswith="Restored").count(), Enquiry.objects.count(),
      page.status_code, provider.name in page.content.decode())
"""


def _run(command: list[str], **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return _run(
        [sys.executable, "manage.py", *args],
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        CONN_MAX_AGE="0",
    )


def _drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def client_tools() -> None:
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if shutil.which(tool) is None]
    if missing:
        reason = f"the PostgreSQL client tools are not installed: {', '.join(missing)}"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def postgres_url(client_tools) -> str:
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore use pg_dump and pg_restore: PostgreSQL only")
    return celery_worker.test_database_url()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_database_runs_the_portal(postgres_url, tmp_path):
    from directory.tests.factories import ProviderOrganisationFactory
    from engagement.tests.factories_enquiries import EnquiryFactory
    from portal.tests.factories import OfficerFactory

    provider = ProviderOrganisationFactory(name="Restored Care Homes Ltd")
    ProviderOrganisationFactory(name="Restored Homecare Ltd")
    EnquiryFactory(provider=provider)
    OfficerFactory(email="restored.officer@council.example.org")
    dump = tmp_path / "portal.dump"
    restored = f"portal_restored_{uuid.uuid4().hex[:10]}"
    restored_url = f"{postgres_url.rsplit('/', 1)[0]}/{restored}"

    backup = _run(["ops/backup.sh", str(dump)], DATABASE_URL=postgres_url)
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0
    try:
        restore = _run(["ops/restore.sh", str(dump), restored], DATABASE_URL=postgres_url)
        assert restore.returncode == 0, restore.stderr
        assert "://" not in restore.stdout, "the address, with its password, is not printed"

        portal = _manage(restored_url, "shell", "--no-imports", "-c", PORTAL_ON_RESTORED_DATABASE)
        assert portal.returncode == 0, portal.stdout + portal.stderr
        assert portal.stdout.strip().splitlines()[-1].split() == ["2", "1", "200", "True"]

        again = _run(["ops/restore.sh", str(dump), restored], DATABASE_URL=postgres_url)
        assert again.returncode != 0, "a restore never writes over an existing database"
        assert "already exists" in again.stderr
    finally:
        _drop(restored)


def test_a_backup_that_cannot_be_made_leaves_no_file(client_tools, tmp_path):
    dump = tmp_path / "portal.dump"
    unreachable = "postgres://portal:portal@127.0.0.1:1/portal"

    backup = _run(["ops/backup.sh", str(dump)], DATABASE_URL=unreachable)

    assert backup.returncode != 0
    assert list(tmp_path.iterdir()) == []
