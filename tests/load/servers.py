"""The portal as production runs it, for the load test: gunicorn and a Celery worker with beat, on PostgreSQL,
Redis and an SMTP sink. Everything started here is stopped by `Servers.stop`, whatever happened.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.smtp_sink import CountingSmtpSink
from tests.processes import stop_process_group

BASE_DIR = Path(__file__).resolve().parents[2]
LOAD_DIR = BASE_DIR / "var" / "load"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(*, database_url: str, port: int, directory: Path) -> dict[str, str]:
    """The settings of a production web process, as the environment gives them, for a server on `port`.

    The crowd stands where a TLS-terminating proxy would, so the address is https and HTTPS redirects stay on.
    """
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "MEDIA_ROOT": str(directory / "media"),
        # The crowd asks for pages, not their styles (a browser keeps those), so no collected static files are
        # needed: the plain storage names them without the manifest that `collectstatic` writes.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }


@dataclass
class Servers:
    database_url: str
    workers: int
    # Where the logs go, beside the figures.
    directory: Path
    broker_url: str = DEFAULT_BROKER_URL
    port: int = field(default_factory=free_port)
    # A queue of its own, so the worker takes only this portal's tasks from a shared Redis.
    queue: str = field(default_factory=lambda: f"load-{uuid.uuid4().hex[:12]}")
    sink: CountingSmtpSink | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Servers":
        self.directory.mkdir(parents=True, exist_ok=True)
        self.sink = CountingSmtpSink().start()
        environment = {
            **os.environ,
            **production_environment(
                database_url=self.database_url, port=self.port, directory=self.directory
            ),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "EMAIL_HOST": self.sink.host,
            "EMAIL_PORT": str(self.sink.port),
        }
        self._spawn("worker", [*_celery(), "--hostname", f"{self.queue}@%h", "-Q", self.queue], environment)
        self._spawn(
            "gunicorn",
            [
                *("-m", "gunicorn", "portal.wsgi", "--config", "gunicorn.conf.py"),
                *("--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)),
                *("--access-logfile", str(self.directory / "access.log")),
            ],
            environment,
        )
        return self

    def _spawn(self, name: str, arguments: list[str], environment: dict) -> None:
        with (self.directory / f"{name}.log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, *arguments],
                cwd=BASE_DIR,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_healthy(self, seconds: float = 120) -> None:
        """Until /healthz answers 200: the database, the broker and the worker's heartbeat are all there."""
        deadline = time.monotonic() + seconds
        answer = "no answer"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log_tail(name)}")
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                response = connection.getresponse()
                if response.status == 200:
                    return
                answer = response.read().decode(errors="replace")
            except OSError as error:
                answer = str(error)
            finally:
                connection.close()
            time.sleep(0.5)
        raise RuntimeError(f"the portal was not healthy within {seconds}s: {answer}")

    def log_tail(self, name: str) -> str:
        return (self.directory / f"{name}.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        for process in self.processes.values():
            stop_process_group(process, timeout=20)
        if self.sink is not None:
            self.sink.stop()
        _forget_queue(self.broker_url, self.queue)


def _celery() -> list[str]:
    # As `make worker` runs it: the default pool, with beat, whose heartbeat /healthz reads.
    return ["-m", "celery", "-A", "portal", "worker", "--beat", "--loglevel", "INFO"] + [
        "--without-mingle",
        "--without-gossip",
    ]


def _forget_queue(broker_url: str, queue: str) -> None:
    """Remove this run's queue from the shared Redis: tasks left in it would never be taken."""
    import redis

    client = redis.Redis.from_url(broker_url, socket_timeout=2)
    try:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    except redis.RedisError:
        pass
    finally:
        client.close()
