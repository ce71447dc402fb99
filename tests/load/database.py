"""The load test's databases: one seeded at a scale and kept, and a fresh copy of it for every run.

The seeded one is built with the benchmark's code (migrate, `seed_demo`, ANALYZE) and reused while it holds the
scale asked for. A run books, cancels and raises enquiries, so it works on a copy made from the seeded one as a
PostgreSQL template: every run starts from the same data, and nothing a run wrote is seen by the next.
"""

import os
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from tests.bench import database as bench_database
from tests.bench.database import BenchDatabase

DEFAULT_URL = "postgres://portal:portal@127.0.0.1:5432/portal_load"
SEEDED_SUFFIX = "_seeded"


def run_database(url: str | None = None) -> BenchDatabase:
    """LOAD_DATABASE_URL if set, else `portal_load` on the local PostgreSQL; the harness owns either."""
    database = BenchDatabase(url or os.environ.get("LOAD_DATABASE_URL") or DEFAULT_URL, owned=True)
    if not database.is_postgres:
        raise SystemExit("The load test needs PostgreSQL: give a postgres:// LOAD_DATABASE_URL.")
    return database


def seeded_database(run: BenchDatabase) -> BenchDatabase:
    url = urlsplit(run.url)._replace(path=f"/{run.name}{SEEDED_SUFFIX}").geturl()
    return BenchDatabase(url, owned=True)


def seed(seeded: BenchDatabase, *, scale: int) -> None:
    """Create, migrate and seed the kept database; Django must be set up on it already."""
    from django.db import connection

    bench_database.create(seeded)
    bench_database.build(seeded, scale=scale)
    # A template cannot be copied while anyone is connected to it.
    connection.close()


def copy_for_run(seeded: BenchDatabase, run: BenchDatabase) -> None:
    """Drop the last run's database and copy the seeded one in its place."""
    with psycopg.connect(_server_url(run), autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(run.name)))
        server.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(run.name), sql.Identifier(seeded.name)
            )
        )


def drop(database: BenchDatabase) -> None:
    with psycopg.connect(_server_url(database), autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database.name))
        )


def _server_url(database: BenchDatabase) -> str:
    return urlsplit(database.url)._replace(path="/postgres").geturl()
