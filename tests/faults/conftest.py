"""Servers of the fault tests' own, which they stop and start again at will: Redis and an SMTP sink.

The shared Redis and the session's SMTP sink are never stopped; these are private, on ports of their own, and
always stopped after the tests that use them.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from conftest import IN_CI
from tests.celery_worker import celery_conf


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} within {seconds}s")


def require_program(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if IN_CI:
        pytest.fail(f"{name} is not installed")
    pytest.skip(f"{name} is not installed")


class PrivateRedis:
    """A Redis with nothing on disk: stopping it loses whatever was queued, as a crashed broker does."""

    def __init__(self, folder: Path):
        self.program = require_program("redis-server")
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [self.program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += [
            "--appendonly",
            "no",
            "--dir",
            str(self.folder),
            "--logfile",
            str(self.folder / "redis.log"),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: port_open(self.port), seconds=10, what="the private Redis did not start")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        assert not port_open(self.port), "the private Redis still answers"


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory):
    redis = PrivateRedis(tmp_path_factory.mktemp("redis"))
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def broker_url(private_redis):
    """`start_worker` puts its workers on the private Redis (running again if a test had stopped it)."""
    if private_redis.process.poll() is not None:
        private_redis.start()
    return private_redis.url


class MailServer:
    """Keeps every message it accepts, with its envelope recipients."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def received(self) -> Counter:
        """How many times each (recipient, subject, Message-ID) arrived."""
        with self.lock:
            envelopes = list(self.messages)
        counts: Counter = Counter()
        for envelope in envelopes:
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            for recipient in envelope.rcpt_tos:
                counts[(recipient.lower(), str(parsed["Subject"]), str(parsed["Message-ID"]))] += 1
        return counts


class StoppableSmtpSink:
    """An SMTP server on a fixed port that can be stopped (connections refused) and started again."""

    def __init__(self):
        self.host = "127.0.0.1"
        self.port = free_port()
        self.server = MailServer()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.server, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
        assert not port_open(self.port), "the SMTP sink still answers"


@pytest.fixture(scope="module")
def stoppable_smtp():
    sink = StoppableSmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def mail_server(stoppable_smtp):
    """The module's SMTP sink, running and empty at the start of each test."""
    if stoppable_smtp.controller is None:
        stoppable_smtp.start()
    with stoppable_smtp.server.lock:
        stoppable_smtp.server.messages.clear()
    return stoppable_smtp


@contextmanager
def publishing_to(broker: str, queue: str):
    """The test process queues tasks on `broker`, to `queue`, as the portal's web process does."""
    with celery_conf(broker_url=broker, task_always_eager=False, task_default_queue=queue):
        yield


@pytest.fixture
def worker_queue(private_redis, settings):
    """A queue of the test's own on the private Redis, which the test process publishes to."""
    queue = f"faults-{uuid.uuid4().hex[:12]}"
    settings.CELERY_BROKER_URL = private_redis.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with publishing_to(private_redis.url, queue):
        yield queue


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own, in a temporary folder, that can be killed and restarted.

    fsync is off: a restart kills the server, not the machine, so what it wrote is still in the page cache.
    """

    def __init__(self):
        self.bin = _postgres_programs()
        self.folder = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.log = str(self.folder / "server.log")
        if os.geteuid() == 0:  # the server refuses to run as root
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self._as_owner = ["runuser", "-u", "postgres", "--"]
        else:
            self._as_owner = []

    def url(self, database: str = "portal") -> str:
        return f"postgres://portal@127.0.0.1:{self.port}/{database}"

    def _pg(self, program: str, *arguments: str, timeout: float = 60) -> None:
        command = [*self._as_owner, str(self.bin / program), *arguments]
        # Not a pipe: the server that pg_ctl starts keeps its output open and a pipe would never end.
        with (self.folder / "commands.log").open("ab") as log:
            subprocess.run(command, check=True, timeout=timeout, stdout=log, stderr=log, cwd=self.folder)

    def start(self) -> None:
        self._pg("initdb", "-D", str(self.data), "-U", "portal", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=60"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-l", self.log, "-o", options, "-w", "start")
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "portal", "portal")

    def restart_immediately(self) -> None:
        """Kill the server without a checkpoint, as a crash would, and start it again (crash recovery)."""
        self._pg("pg_ctl", "-D", str(self.data), "-l", self.log, "-m", "immediate", "-w", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def _postgres_programs() -> Path:
    """Debian keeps initdb and pg_ctl out of PATH, in one folder per major version: the newest."""
    folders = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda folder: int(folder.parent.name))
    if folders:
        return folders[-1]
    return Path(require_program("initdb")).parent
