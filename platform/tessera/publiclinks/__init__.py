"""Public fill links (外链填写): anyone holding a link's token may read the form and submit one
record, which is created as the link's owner — a member chosen by the admin who made the link,
so the owner's permissions decide what the public may fill (their hidden and read-only fields
are left out of the public form).

Tokens are random and stored only as SHA-256 hashes (like auth tokens), so the link is shown
once, when it is made. Passwords are argon2 hashes.

Throttling is kept in Postgres, like login throttling (docs/adr/0004): every public submission,
upload and wrong password is an `audit_log` row with the client address, and a client address
with too many of one within the window gets 429 — across every API process. Limits come
from `Settings.extra` (`public_submit_limit`, `public_upload_limit`,
`public_password_failures`, `public_window_seconds`).

Files (attachment, image and signature fields): the public uploads them through the link
(`POST /public/{token}/files?field=`); such a file belongs to the link's owner and carries
`metadata.public_link`, and a submission may only name files uploaded through the same link
(`foreign_files`). A submission marks its files `metadata.attached`; uploads no submission
used are deleted by the housekeeping job (`tessera.jobs.pruning`) after a day.
"""

from __future__ import annotations

import copy
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from engines.form import field_types
from tessera.api.errors import (
    ApiError,
    FieldProblem,
    NotAuthenticated,
    NotFound,
    ValidationFailed,
)
from tessera.auth.tokens import Principal, hash_token
from tessera.db import tables as t
from tessera.publiclinks.embedding import stored_origins

TOKEN_PREFIX = "tpl_"
SUBMIT_LIMIT = 30
UPLOAD_LIMIT = 60
PASSWORD_FAILURES = 10
WINDOW_SECONDS = 600
SUBMITTED, UPLOADED, WRONG_PASSWORD = (
    "public_link.submitted", "public_link.uploaded", "public_link.wrong_password")
# what an anonymous filler cannot use: pickers over the tenant's records and members, plus
# fields only shown from other records (files are uploaded through the link itself)
PRIVATE_KINDS = frozenset({"record", "user", "department"})
PRIVATE_TYPES = frozenset({"lookup", "rollup"})


class LinkGone(ApiError):
    status, code, title = 410, "link_disabled", "This link no longer works"


class TooManySubmissions(ApiError):
    status, code, title = 429, "too_many_submissions", "Too many submissions"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(24)


def limits(settings: Any) -> tuple[int, int, int]:
    extra = getattr(settings, "extra", None) or {}
    return (int(extra.get("public_submit_limit", SUBMIT_LIMIT)),
            int(extra.get("public_password_failures", PASSWORD_FAILURES)),
            int(extra.get("public_window_seconds", WINDOW_SECONDS)))


def upload_limit(settings: Any) -> int:
    extra = getattr(settings, "extra", None) or {}
    return int(extra.get("public_upload_limit", UPLOAD_LIMIT))


def describe(row: Any, owner_email: str | None) -> dict[str, Any]:
    return {"id": str(row["id"]), "app": row["app_key"], "form": row["form_key"],
            "name": (row["settings"] or {}).get("name"), "owner": owner_email,
            "embed_origins": stored_origins(row["settings"]),
            "enabled": row["enabled"], "has_password": row["password_hash"] is not None,
            "expires_at": row["expires_at"].isoformat() if row["expires_at"] else None,
            "created_at": row["created_at"].isoformat() if row.get("created_at") else None}


async def find(conn: AsyncConnection, token: str) -> Any:
    """The usable link of a token: 404 `link_not_found`, 410 `link_disabled` /
    `link_expired`."""
    row = (await conn.execute(select(t.public_links).where(
        t.public_links.c.token_hash == hash_token(token)))).mappings().first()
    if row is None or not token.startswith(TOKEN_PREFIX):
        raise NotFound("There is no such link.", code="link_not_found")
    if not row["enabled"]:
        raise LinkGone("This link has been turned off.")
    if row["expires_at"] is not None and row["expires_at"] <= datetime.now(UTC):
        raise LinkGone("This link has expired.", code="link_expired")
    return row


async def embed_origins_of(conn: AsyncConnection, token: str) -> list[str]:
    """The sites allowed to frame a token's page (none for an unknown token). Whether the link
    is usable is the page's to say, in the frame as anywhere else."""
    if not token.startswith(TOKEN_PREFIX):
        return []
    settings = (await conn.execute(select(t.public_links.c.settings).where(
        t.public_links.c.token_hash == hash_token(token)))).scalar_one_or_none()
    return stored_origins(settings)


async def owner_principal(conn: AsyncConnection, row: Any) -> Principal:
    u, m = t.users, t.memberships
    user = (await conn.execute(select(
        u.c.id, u.c.email, u.c.name, u.c.is_admin, u.c.is_active, t.tenants.c.key,
        select(m.c.department_id).where(m.c.user_id == u.c.id, m.c.is_main)
        .limit(1).scalar_subquery().label("department_id"))
        .join(t.tenants, t.tenants.c.id == u.c.tenant_id)
        .where(u.c.id == row["owner_id"], u.c.tenant_id == row["tenant_id"]))).mappings().first()
    if user is None or not user["is_active"]:
        raise LinkGone("The member who owns this link's submissions is no longer active.",
                       code="link_owner_inactive")
    return Principal(user_id=user["id"], tenant_id=row["tenant_id"], tenant_key=user["key"],
                     email=user["email"], name=user["name"], is_admin=user["is_admin"],
                     token_kind="public_link", department_id=user["department_id"])


def _private(field: dict[str, Any]) -> bool:
    if field.get("type") in PRIVATE_TYPES or not field_types.has(field.get("type")):
        return True
    return getattr(field_types.get(field["type"]), "kind", None) in PRIVATE_KINDS


def withheld(form: dict[str, Any], access: Any) -> frozenset[str]:
    """Field keys the public form leaves out: the owner's hidden and read-only fields and
    fields an anonymous filler cannot use."""
    keys = {f["key"] for f in form.get("fields", []) if _private(f)}
    return frozenset(keys | set(access.hidden) | set(access.readonly))


def withheld_inside(form: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Per sub-form, the keys of its fields an anonymous filler cannot use (a sub-form's
    relation or member picker)."""
    out = {}
    for f in form.get("fields", []):
        if f.get("type") == "subform":
            keys = frozenset(c["key"] for c in f.get("fields", []) if _private(c))
            if keys:
                out[f["key"]] = keys
    return out


def _strip(node: Any, keys: frozenset[str]) -> Any:
    """Layouts name fields in lists and in objects (`{"field": key}`): drop those."""
    if isinstance(node, list):
        return [_strip(n, keys) for n in node
                if not (isinstance(n, str) and n in keys)
                and not (isinstance(n, dict) and (n.get("field") in keys or n.get("key") in keys))]
    if isinstance(node, dict):
        return {k: _strip(v, keys) for k, v in node.items()}
    return node


def public_form(form: dict[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    out = {k: copy.deepcopy(v) for k, v in form.items()
           if k in ("key", "name", "description", "title_field", "layout")}
    inside = withheld_inside(form)
    out["fields"] = [copy.deepcopy(f) for f in form.get("fields", []) if f["key"] not in keys]
    for f in out["fields"]:
        if f["key"] in inside:
            f["fields"] = [c for c in f.get("fields", []) if c["key"] not in inside[f["key"]]]
    if "layout" in out:
        out["layout"] = _strip(out["layout"], keys)
    if out.get("title_field") in keys:
        out.pop("title_field")
    return out


def refuse_withheld(data: Any, keys: frozenset[str],
                    inside: dict[str, frozenset[str]] | None = None) -> None:
    """422 `unknown_field` for each withheld field given, sub-form rows included."""
    if not isinstance(data, dict):
        return
    problems = [FieldProblem(f"data.{k}", "unknown_field", "No such field.")
                for k in data if k in keys]
    for sub, hidden in (inside or {}).items():
        rows = data.get(sub)
        for i, row in enumerate(rows if isinstance(rows, list) else []):
            if isinstance(row, dict):
                problems += [FieldProblem(f"data.{sub}[{i}].{k}", "unknown_field",
                                          "No such field.") for k in row if k in hidden]
    if problems:
        raise ValidationFailed("The record is not valid.", errors=problems)


async def throttle(conn: AsyncConnection, row: Any, ip: str | None, settings: Any, *,
                   action: str = SUBMITTED) -> None:
    """429 when this address did `action` (submitted, uploaded) or guessed passwords too often
    within the window."""
    if not ip:
        return
    submit_limit, failure_limit, window = limits(settings)
    limit = upload_limit(settings) if action == UPLOADED else submit_limit
    a = t.audit_log
    since = datetime.now(UTC) - timedelta(seconds=window)
    counts = dict((await conn.execute(select(a.c.action, func.count()).where(
        a.c.tenant_id == row["tenant_id"], a.c.at > since, a.c.ip == ip,
        a.c.action.in_((action, WRONG_PASSWORD)))
        .group_by(a.c.action))).all())
    if (counts.get(action, 0) >= limit
            or counts.get(WRONG_PASSWORD, 0) >= failure_limit):
        raise TooManySubmissions("Too many submissions from your address; try again later.",
                                 headers={"Retry-After": str(window)})


def password_problem(given: str | None) -> NotAuthenticated:
    if not given:
        return NotAuthenticated("This link needs a password.", code="password_required")
    return NotAuthenticated("The password is wrong.", code="wrong_password")


def link_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound("There is no such link.", code="link_not_found") from None


def file_field(form: dict[str, Any], path: str, keys: frozenset[str]) -> dict[str, Any] | None:
    """The file field `path` names (`papers`, or `items.scan` in a sub-form) when the public
    form offers it; None otherwise."""
    fields = form.get("fields", [])
    spec: dict[str, Any] | None = None
    for depth, part in enumerate(path.split(".")):
        if depth == 0 and part in keys:
            return None
        spec = next((f for f in fields if f.get("key") == part), None)
        if spec is None or depth > 1:
            return None
        fields = spec.get("fields", [])
    ft = field_types.get(spec["type"]) if spec and field_types.has(spec.get("type")) else None
    return spec if ft is not None and getattr(ft, "kind", None) == "file" else None


async def foreign_files(conn: AsyncConnection, row: Any, refs: list[Any]) -> list[FieldProblem]:
    """Problems for the file references (`engines.form.Reference`, kind `file`) of a public
    submission that name a file not uploaded through this link."""
    ids = {r.id for r in refs}
    if not ids:
        return []
    f = t.files
    own = set((await conn.execute(select(f.c.id).where(
        f.c.tenant_id == row["tenant_id"], f.c.id.in_(ids),
        f.c.metadata["public_link"].astext == str(row["id"])))).scalars())
    return [FieldProblem(f"data.{r.path}", "unknown_file", "No such file.")
            for r in refs if r.id not in own]


async def mark_attached(conn: AsyncConnection, row: Any, ids: set[Any],
                        record_id: Any) -> None:
    """The link's uploads a submission used: kept by the housekeeping job."""
    if not ids:
        return
    f = t.files
    await conn.execute(update(f).where(f.c.tenant_id == row["tenant_id"], f.c.id.in_(ids))
                       .values(metadata=f.c.metadata.op("||")(
                           func.jsonb_build_object("attached", str(record_id)))))
