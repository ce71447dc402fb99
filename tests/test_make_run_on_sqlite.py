"""`make run` works on its embedded defaults: SQLite, seeded with the demo data, every main page answering.

PostgreSQL-only SQL has portable fallbacks; this is where they are proved, in a process of its own (the suite's
own database is PostgreSQL).
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def _run(arguments: list[str], database: Path) -> str:
    environment = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "PYTHONPATH": str(BASE_DIR),
    }
    for name in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "EMAIL_HOST", "EMAIL_PORT"):
        environment.pop(name, None)
    done = subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


def test_the_demo_seeds_on_sqlite_and_every_main_page_answers(tmp_path):
    database = tmp_path / "portal.sqlite3"
    _run(["manage.py", "migrate", "--no-input", "-v", "0"], database)
    _run(["manage.py", "seed_demo"], database)

    lines = _run([str(BASE_DIR / "tests" / "sqlite" / "visit_pages.py")], database).splitlines()

    pages = [line for line in lines if not line.startswith("handover")]
    assert len(pages) == 26, lines
    assert all(line.endswith(" 200") for line in pages), lines
    handovers = {line.split()[1]: int(line.split()[2]) for line in lines if line.startswith("handover")}
    assert handovers["partnerships.pilots"] >= 1, lines
    assert set(handovers) >= {"engagement.commitments", "partnerships.pilots"}, lines
