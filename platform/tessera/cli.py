"""The `tessera` command (CONTRACT.md §5)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from tessera.config import Settings
from tessera.logging import configure_logging

app = typer.Typer(help="Tessera: no-code business apps on Postgres.", no_args_is_help=True)
users_app = typer.Typer(help="Members of the default tenant.", no_args_is_help=True)
apps_app = typer.Typer(help="Import and export app definitions.", no_args_is_help=True)
templates_app = typer.Typer(help="App templates shipped with Tessera.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(apps_app, name="apps")
app.add_typer(templates_app, name="templates")
tenants_app = typer.Typer(help="Workspaces (tenants) of this deployment.", no_args_is_help=True)
app.add_typer(tenants_app, name="tenants")

DataDir = Annotated[Path, typer.Option("--data-dir", help="Where the embedded Postgres lives.")]
DATABASE_NAME = "tessera"


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


@contextlib.contextmanager
def database(data_dir: Path) -> Iterator[Settings]:
    """Settings with a database: DATABASE_URL, or the embedded Postgres in `data_dir`."""
    from tessera.db.embedded import EmbeddedPostgres, EmbeddedPostgresError

    settings = Settings.from_env()
    if settings.database_url:
        yield settings
        return
    server = EmbeddedPostgres(data_dir)
    try:
        server.start()
    except EmbeddedPostgresError as exc:
        _fail(str(exc))
    try:
        _ensure_database(server)
        yield settings.with_database(server.sqlalchemy_url(DATABASE_NAME))
    finally:
        server.stop()


def _ensure_database(server: Any) -> None:
    import psycopg

    with psycopg.connect(server.dsn("postgres"), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s",
                              (DATABASE_NAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def _migrate(settings: Settings) -> None:
    from tessera.db import migrate

    migrate.upgrade(settings)


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _with_engine(settings: Settings, fn: Any) -> Any:
    from tessera.db.engine import create_engine

    engine = create_engine(settings, pool_size=2)
    try:
        return await fn(engine)
    finally:
        await engine.dispose()


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(0)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          data_dir: DataDir = Path(".tessera"),
          log_level: str = "INFO",
          workers_in_process: Annotated[bool, typer.Option(
              "--worker/--no-worker", help="Run a job worker inside the server.")] = True,
          workers: Annotated[int, typer.Option(
              "--workers", min=1, help="API processes sharing the port (the API is "
                                       "stateless; each caches and listens on its own).")] = 1,
          ) -> None:
    """Migrate, bootstrap (first admin, CRM template) and serve the API and browser app."""
    import uvicorn

    from tessera.app import create_app
    from tessera.bootstrap import bootstrap

    configure_logging(log_level)
    with database(data_dir) as settings:
        _migrate(settings)
        result = _run(_with_engine(settings, lambda engine: bootstrap(engine, settings)))
        if result.generated_password:
            typer.secho(f"\nFirst admin created: {result.admin_email} / password: "
                        f"{result.generated_password}\n(printed once; change it after logging "
                        "in, or set TESSERA_ADMIN_PASSWORD before the first start)\n",
                        fg=typer.colors.YELLOW, err=True)
        settings = Settings(**{**settings.__dict__, "in_process_worker": workers_in_process
                               and settings.in_process_worker})
        typer.secho(f"Tessera is serving on http://{host}:{port}", fg=typer.colors.GREEN,
                    err=True)
        # uvicorn re-raises SIGTERM after its graceful shutdown; turning it into SystemExit
        # lets `database()` stop the embedded Postgres instead of the process dying first.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        options: dict[str, Any] = {"host": host, "port": port, "log_config": None,
                                   "timeout_graceful_shutdown": 20, "server_header": False}
        if workers == 1:
            uvicorn.run(create_app(settings), **options)
            return
        # Child processes build their app from the environment (uvicorn spawns them): hand
        # over the database this process resolved (the embedded one, maybe) and the flags.
        os.environ.update({"DATABASE_URL": settings.database_url,
                           "TESSERA_IN_PROCESS_WORKER": "1" if settings.in_process_worker
                           else "0", "TESSERA_LOG_LEVEL": log_level})
        uvicorn.run("tessera.app:create_app_from_env", factory=True, workers=workers, **options)


@app.command()
def worker(data_dir: DataDir = Path(".tessera"), log_level: str = "INFO") -> None:
    """Run a job worker (more of them = more throughput); needs DATABASE_URL or --data-dir."""
    import tessera.handlers  # noqa: F401  (registers the job kinds)
    from tessera.jobs import run_worker

    configure_logging(log_level)
    if not os.environ.get("DATABASE_URL"):
        _fail("`tessera worker` joins a running deployment: set DATABASE_URL (the embedded "
              "Postgres of `serve` already runs an in-process worker).")
    run_worker(Settings.from_env())
    del data_dir


@app.command()
def migrate(data_dir: DataDir = Path(".tessera")) -> None:
    """Apply the platform's database migrations."""
    with database(data_dir) as settings:
        _migrate(settings)
    typer.echo("migrated")


@users_app.command("create")
def users_create(email: str, name: str = typer.Option(...),
                 password: str = typer.Option(None, help="Generated and printed when omitted."),
                 admin: bool = False, data_dir: DataDir = Path(".tessera")) -> None:
    """Create a member of the default tenant."""
    from tessera.auth.passwords import generate_password
    from tessera.org.tenants import ensure_tenant
    from tessera.org.users import create_user

    secret = password or generate_password()

    async def go(engine: Any) -> dict:
        async with engine.begin() as conn:
            tenant_id = await ensure_tenant(conn, settings.default_tenant)
            return await create_user(conn, tenant_id=tenant_id, email=email, name=name,
                                     password=secret, is_admin=admin)

    from tessera.api.errors import ApiError

    with database(data_dir) as settings:
        _migrate(settings)
        try:
            user = _run(_with_engine(settings, go))
        except ApiError as exc:
            _fail(f"{exc.detail} " + "; ".join(f"{e.path}: {e.message}" for e in exc.errors))
    typer.echo(json.dumps(user, ensure_ascii=False))
    if not password:
        typer.echo(f"password: {secret}")


def _member_command(email: str, data_dir: Path, action: Any) -> dict:
    """Run `action(conn, principal, user_row)` on a member of the default tenant."""
    from sqlalchemy import func, select

    from tessera.api.errors import ApiError
    from tessera.db import tables as t

    async def go(engine: Any) -> dict:
        async with engine.begin() as conn:
            principal = await _admin_principal(conn, settings)
            user = (await conn.execute(select(t.users).where(
                t.users.c.tenant_id == principal.tenant_id,
                func.lower(t.users.c.email) == email.lower()))).mappings().first()
            if user is None:
                _fail(f"No member with e-mail {email}.")
            return await action(conn, principal, user)

    with database(data_dir) as settings:
        _migrate(settings)
        try:
            return _run(_with_engine(settings, go))
        except ApiError as exc:
            _fail(f"{exc.detail} " + "; ".join(f"{e.path}: {e.message}" for e in exc.errors))
    raise AssertionError("unreachable")


@users_app.command("disable")
def users_disable(email: str, data_dir: DataDir = Path(".tessera")) -> None:
    """Disable a member: their sessions and API tokens stop working at once."""
    from tessera.audit import audit
    from tessera.org.lifecycle import update_user

    async def action(conn: Any, principal: Any, user: Any) -> dict:
        result = await update_user(conn, principal.tenant_id, user["id"], {"is_active": False})
        await audit(conn, tenant_id=principal.tenant_id, actor_id=None,
                    action="user.updated", target_type="user", target_id=str(user["id"]),
                    details={"is_active": False, "via": "cli"})
        return result

    typer.echo(json.dumps(_member_command(email, data_dir, action), ensure_ascii=False))


@users_app.command("offboard")
def users_offboard(email: str, successor: str = typer.Option(...),
                   data_dir: DataDir = Path(".tessera")) -> None:
    """Hand a leaver's records to a successor, revoke their access and disable them."""
    from tessera.audit import audit
    from tessera.org.lifecycle import offboard

    async def action(conn: Any, principal: Any, user: Any) -> dict:
        result = await offboard(conn, principal, user["id"], successor)
        await audit(conn, tenant_id=principal.tenant_id, actor_id=None,
                    action="user.offboarded", target_type="user", target_id=str(user["id"]),
                    details={**result, "via": "cli"})
        return result

    typer.echo(json.dumps(_member_command(email, data_dir, action), ensure_ascii=False,
                          indent=2))


async def _admin_principal(conn: Any, settings: Settings) -> Any:
    from sqlalchemy import select

    from tessera.auth.tokens import Principal
    from tessera.db import tables as t
    from tessera.org.tenants import ensure_tenant

    tenant_id = await ensure_tenant(conn, settings.default_tenant)
    admin = (await conn.execute(select(t.users).where(
        t.users.c.tenant_id == tenant_id, t.users.c.is_admin.is_(True)).limit(1))
    ).mappings().first()
    if admin is None:
        _fail("There is no admin yet: run `tessera serve` once or `tessera users create --admin`.")
    return Principal(user_id=admin["id"], tenant_id=tenant_id, tenant_key=settings.default_tenant,
                     email=admin["email"], name=admin["name"], is_admin=True, token_kind="cli")


@apps_app.command("import")
def apps_import(file: Path, publish: bool = True, data_dir: DataDir = Path(".tessera")) -> None:
    """Import (and publish) an app definition file."""
    from tessera.api.errors import ApiError
    from tessera.apps import service

    try:
        definition = json.loads(file.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        _fail(f"Cannot read {file}: {exc}")

    async def go(engine: Any) -> dict:
        async with engine.begin() as conn:
            principal = await _admin_principal(conn, settings)
            return await service.import_app(conn, principal, definition, publish=publish)

    with database(data_dir) as settings:
        _migrate(settings)
        try:
            result = _run(_with_engine(settings, go))
        except ApiError as exc:
            _fail(f"{exc.detail}\n" + "\n".join(f"  {e.path}: {e.message}" for e in exc.errors))
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


@apps_app.command("export")
def apps_export(app_key: str, output: Path = typer.Option(None, "-o", "--output"),
                draft: bool = False, data_dir: DataDir = Path(".tessera")) -> None:
    """Write an app definition as JSON (to stdout, or to --output)."""
    from tessera.api.errors import ApiError
    from tessera.apps import service

    async def go(engine: Any) -> dict:
        async with engine.begin() as conn:
            principal = await _admin_principal(conn, settings)
            return await service.export_app(conn, principal.tenant_id, app_key, draft=draft)

    with database(data_dir) as settings:
        try:
            definition = _run(_with_engine(settings, go))
        except ApiError as exc:
            _fail(exc.detail)
    text = json.dumps(definition, ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n")
    else:
        sys.stdout.write(text + "\n")


@tenants_app.command("create")
def tenants_create(key: str, name: str = typer.Option(...),
                   admin_email: str = typer.Option(...),
                   admin_password: str = typer.Option(None, help="Generated when omitted."),
                   data_dir: DataDir = Path(".tessera")) -> None:
    """Create a workspace with its own schema of form tables and its first admin."""
    from tessera.api.errors import ApiError
    from tessera.auth.passwords import generate_password
    from tessera.org.tenants import TENANT_KEY, ensure_tenant, get_tenant_id
    from tessera.org.users import create_user

    if not TENANT_KEY.match(key):
        _fail("A tenant key is lowercase letters, digits and '_', starting with a letter.")
    secret = admin_password or generate_password()

    async def go(engine: Any) -> dict:
        async with engine.begin() as conn:
            if await get_tenant_id(conn, key) is not None:
                _fail(f"The tenant {key!r} exists already.")
            tenant_id = await ensure_tenant(conn, key, name)
            return await create_user(conn, tenant_id=tenant_id, email=admin_email,
                                     name="Admin", password=secret, is_admin=True)

    with database(data_dir) as settings:
        _migrate(settings)
        try:
            admin = _run(_with_engine(settings, go))
        except ApiError as exc:
            _fail(f"{exc.detail} " + "; ".join(f"{e.path}: {e.message}" for e in exc.errors))
    typer.echo(json.dumps({"tenant": key, "admin": admin["email"]}, ensure_ascii=False))
    if not admin_password:
        typer.echo(f"password: {secret}")


@templates_app.command("list")
def templates_list() -> None:
    """The templates shipped in templates_library/."""
    from tessera.templates import list_templates

    for item in list_templates():
        typer.echo(f"{item['key']:<24} {item['name'].get('en', '')} / "
                   f"{item['name'].get('zh-CN', '')}  ({item['forms']} forms)")


@templates_app.command("install")
def templates_install(key: str, demo_data: bool = True,
                      data_dir: DataDir = Path(".tessera")) -> None:
    """Install a template as an app (with its demo data unless --no-demo-data)."""
    from tessera.api.errors import ApiError
    from tessera.templates import install_template

    async def go(engine: Any) -> dict:
        async with engine.begin() as conn:
            principal = await _admin_principal(conn, settings)
            return await install_template(conn, principal, key, demo_data=demo_data,
                                          tenant_key=settings.default_tenant)

    with database(data_dir) as settings:
        _migrate(settings)
        try:
            result = _run(_with_engine(settings, go))
        except (ApiError, KeyError) as exc:
            _fail(getattr(exc, "detail", str(exc)))
    typer.echo(json.dumps(result, ensure_ascii=False))


def main() -> None:
    app()
