"""The `tessera` command as an operator runs it: serve on an embedded Postgres (and a second
serve on the same data dir refused), users, apps import/export, templates."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

TESSERA = str(Path(sys.executable).with_name("tessera"))


def _run(*args: str, env: dict[str, str] | None = None,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([TESSERA, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"tessera {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def db_env(fresh_db) -> dict[str, str]:
    return {"DATABASE_URL": fresh_db.async_url}


def test_users_apps_and_templates_commands(db_env, tmp_path: Path) -> None:
    created = _run("users", "create", "ops@example.com", "--name", "Ops", "--admin", env=db_env)
    user = json.loads(created.stdout.splitlines()[0])
    assert user["email"] == "ops@example.com" and user["is_admin"] is True
    assert "password:" in created.stdout  # generated and printed once
    duplicate = _run("users", "create", "ops@example.com", "--name", "Ops", env=db_env,
                     check=False)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr

    _run("users", "create", "temp@example.com", "--name", "Temp", "--password", "temp-pass-1",
         env=db_env)
    handed = json.loads(_run("users", "offboard", "temp@example.com", "--successor",
                             "ops@example.com", env=db_env).stdout)
    assert handed["successor"] == "ops@example.com"
    _run("users", "create", "temp2@example.com", "--name", "Temp2", env=db_env)
    disabled = json.loads(_run("users", "disable", "temp2@example.com", env=db_env).stdout)
    assert disabled["is_active"] is False

    assert "crm" in _run("templates", "list").stdout
    installed = json.loads(_run("templates", "install", "crm", env=db_env).stdout)
    assert installed["app"] == "crm" and installed["demo_records"] > 0

    out = tmp_path / "crm.json"
    _run("apps", "export", "crm", "-o", str(out), env=db_env)
    definition = json.loads(out.read_text())
    assert definition["key"] == "crm"
    definition["key"] = "crm_copy"
    copy = tmp_path / "copy.json"
    copy.write_text(json.dumps(definition, ensure_ascii=False))
    imported = json.loads(_run("apps", "import", str(copy), env=db_env).stdout)
    assert imported["publish"]["version"] == 1

    definition["key"] = "broken"
    definition["forms"][0]["fields"][0]["type"] = "nubmer"
    copy.write_text(json.dumps(definition))
    refused = _run("apps", "import", str(copy), env=db_env, check=False)
    assert refused.returncode == 1
    assert "forms[0].fields[0].type" in refused.stderr


def test_serve_on_an_embedded_postgres(tmp_path: Path) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="tessera-cli-"))
    data_dir.chmod(0o755)
    port = _free_port()
    env = {**os.environ, "TESSERA_ADMIN_EMAIL": "boss@example.com",
           "TESSERA_ADMIN_PASSWORD": "boss-password-1"}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([TESSERA, "serve", "--port", str(port), "--data-dir",
                               str(data_dir)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(base + "/api/v1/health").status_code == 200:
                    break
            except httpx.HTTPError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.1)
        token = httpx.post(base + "/api/v1/auth/login", json={
            "email": "boss@example.com", "password": "boss-password-1"}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        apps = httpx.get(base + "/api/v1/apps", headers=headers).json()["items"]
        assert [a["key"] for a in apps] == ["crm"]  # the default app, installed on first start
        customers = httpx.get(base + "/api/v1/apps/crm/forms/customer/records",
                              headers=headers).json()["items"]
        assert customers

        second = _run("serve", "--port", str(_free_port()), "--data-dir", str(data_dir),
                      env={"DATABASE_URL": ""}, check=False)
        assert second.returncode == 1 and "already in use" in second.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    pid_file = data_dir / "pg" / "postmaster.pid"
    assert not pid_file.exists()  # graceful shutdown stopped Postgres too
    shutil.rmtree(data_dir, ignore_errors=True)


def test_serve_with_several_api_processes(db_env, fresh_db) -> None:
    """`--workers 2`: two processes answer on one port, each listening for invalidations, and
    SIGTERM stops them all."""
    import psycopg

    port = _free_port()
    env = {**os.environ, **db_env, "TESSERA_INSTALL_DEFAULT_APP": "0"}
    server = subprocess.Popen([TESSERA, "serve", "--port", str(port), "--workers", "2",
                               "--no-worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    listening = 0
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            with psycopg.connect(fresh_db.dsn) as conn:
                listening = conn.execute(
                    "select count(*) from pg_stat_activity where query like 'LISTEN%' "
                    "and datname = current_database()").fetchone()[0]
            try:
                healthy = httpx.get(base + "/api/v1/health").status_code == 200
            except httpx.HTTPError:
                healthy = False
            if healthy and listening >= 2:
                break
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            time.sleep(0.1)
        assert listening >= 2
        anonymous = httpx.get(base + "/api/v1/me")
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
