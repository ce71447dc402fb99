"""Stopping the servers and workers tests and the load test start in process groups of their own."""

import os
import signal
import subprocess


def stop_process_group(process: subprocess.Popen, *, timeout: float = 10) -> None:
    """SIGTERM the process's group, then SIGKILL it if it has not ended within `timeout` seconds."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
