"""The benchmark's own database, built at the chosen scale, so a run never touches the developer's data."""

import os
import socket
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from django.core.management import call_command
from django.db import connection
from psycopg import sql

BENCH_DIR = Path(__file__).resolve().parents[2] / "var" / "bench"
LOCAL_POSTGRES = ("127.0.0.1", 5432)
LOCAL_POSTGRES_URL = "postgres://portal:portal@127.0.0.1:5432/portal_bench"


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    # The harness chose this database itself, so it may drop and rebuild it.
    owned: bool

    @property
    def is_postgres(self) -> bool:
        return urlsplit(self.url).scheme.startswith("postg")

    @property
    def name(self) -> str:
        return urlsplit(self.url).path.lstrip("/")


def bench_database() -> BenchDatabase:
    """BENCH_DATABASE_URL if set, else `portal_bench` on a local PostgreSQL, else a SQLite file."""
    if url := os.environ.get("BENCH_DATABASE_URL"):
        return BenchDatabase(url, owned=False)
    if _local_postgres_reachable():
        return BenchDatabase(LOCAL_POSTGRES_URL, owned=True)
    return BenchDatabase(f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}", owned=True)


def _local_postgres_reachable() -> bool:
    try:
        with socket.create_connection(LOCAL_POSTGRES, timeout=1):
            return True
    except OSError:
        return False


def create(database: BenchDatabase) -> None:
    """Make sure the database exists; Django cannot create its own database."""
    if not database.is_postgres:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        return
    with _server(database) as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name]).fetchone():
            return
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.name)))


def build(database: BenchDatabase, *, scale: int) -> None:
    """Migrate and seed: a larger scale adds what is missing, a smaller one starts again from empty.

    A database of the harness's own that no longer migrates (its demo data predates a new rule) is rebuilt.
    """
    try:
        call_command("migrate", interactive=False, verbosity=0)
    except Exception as error:
        if not database.owned:
            raise SystemExit(
                f"BENCH_DATABASE_URL cannot be migrated ({error}); give an empty database."
            ) from error
        print(f"Rebuilding the benchmark database, which no longer migrates: {error}")
        _rebuild(database)
    if _holds_more_than(scale):
        if not database.owned:
            raise SystemExit(f"BENCH_DATABASE_URL holds more than scale {scale}; give an empty database.")
        _rebuild(database)
    call_command("seed_demo", "--scale", str(scale), stdout=StringIO())
    # Fresh statistics, so the first run after seeding gets the query plans later runs will.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _rebuild(database: BenchDatabase) -> None:
    _drop(database)
    create(database)
    call_command("migrate", interactive=False, verbosity=0)


def _holds_more_than(scale: int) -> bool:
    # Imported here: the models load only once django.setup() has read the chosen database.
    from directory.demo.providers import PROVIDERS_PER_SCALE
    from directory.models import ProviderOrganisation

    return ProviderOrganisation.objects.count() > PROVIDERS_PER_SCALE * scale


def _drop(database: BenchDatabase) -> None:
    path = connection.settings_dict["NAME"]
    connection.close()
    if not database.is_postgres:
        Path(path).unlink()
        return
    with _server(database) as server:
        server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database.name)))


def _server(database: BenchDatabase) -> psycopg.Connection:
    """A connection to the same server's `postgres` database, where databases are created and dropped."""
    return psycopg.connect(urlsplit(database.url)._replace(path="/postgres").geturl(), autocommit=True)
