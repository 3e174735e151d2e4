"""A `tessera serve` run as a child process: what the browser tests and the browser benchmarks
both need (a free port, waiting until the server answers, stopping it, calling its API).

Both start the real server in its own process, on a database of their own, and drive it over
HTTP; only how they start it differs (the e2e tests run the installed `tessera serve`, the
benchmarks a copy of another commit). Kept in one place so that a change to how the server
starts or stops (a slower start, a new health route) is made once.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


class ServerDidNotStart(RuntimeError):
    """The child exited, or did not answer its health check in time; the message ends with the
    tail of its log, which says why."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(process: subprocess.Popen, url: str, log_path: Path,
                       timeout_s: float = 90.0) -> None:
    """Returns once `GET {url}/api/v1/health` answers 200; raises ServerDidNotStart if the
    process exits first or `timeout_s` passes (a first start migrates a fresh database)."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise ServerDidNotStart(f"tessera serve exited ({process.returncode}):\n"
                                    f"{_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerDidNotStart(f"tessera serve did not answer /health:\n{_tail(log_path)}")
        time.sleep(0.3)


def stop(process: subprocess.Popen, grace_s: float = 15.0) -> None:
    """SIGTERM (the server finishes its requests and closes its pool), then SIGKILL if it has
    not finished within `grace_s`."""
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def call_api(base_url: str, method: str, path: str, body: object | None = None, *,
             token: str | None = None, timeout_s: float = 30.0) -> Any:
    """`method {base_url}/api/v1{path}` with a JSON body; the decoded JSON answer (None when
    empty). An error status raises urllib's HTTPError, whose message gets the problem+json
    body's start so that a failed set-up step says what the server objected to."""
    request = urllib.request.Request(
        f"{base_url}/api/v1{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        error.msg = f"{method} {path}: {error.msg} {error.read()[:3000]!r}"
        raise
    return json.loads(raw) if raw else None


def _tail(log_path: Path, chars: int = 4000) -> str:
    try:
        return log_path.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"
