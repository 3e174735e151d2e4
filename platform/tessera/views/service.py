"""Saved views of a form: stored per tenant, seen by their owner, and — when an administrator
shares one — by everyone who may view the form. The definition's own views come along,
read-only, so the browser offers both from one list.

Every query carries the caller's tenant; a view is checked against the form (and the fields the
caller may see) before it is stored, with the same checks as a definition's views
(`tessera.views.spec`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from tessera.api.errors import Conflict, FieldProblem, Forbidden, NotFound, ValidationFailed
from tessera.audit import audit
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.records.service import FormContext
from tessera.views.spec import CONFIG_KEYS, config_problems, view_for_caller

MAX_VIEWS_PER_FORM = 100  # per member: a menu, not a store
MAX_NAME = 100

def can_share(ctx: FormContext) -> bool:
    """Sharing a view puts it in everyone's menu: administrators of the app (or platform) and
    holders of the form's `manage` action may."""
    return ctx.access.full or ctx.access.can("manage")


def _config(values: Mapping[str, Any]) -> dict[str, Any]:
    """Only the view settings, without empty ones (the browser sends null for "none")."""
    config = {k: values[k] for k in CONFIG_KEYS if values.get(k) not in (None, "", [])}
    config.setdefault("type", "table")
    return config


def _for_caller(ctx: FormContext, config: Mapping[str, Any]) -> dict[str, Any] | None:
    return view_for_caller(config, ctx.access.hidden)


def _definition_views(ctx: FormContext) -> list[dict[str, Any]]:
    items = []
    for view in ctx.app.definition.get("views") or []:
        if view.get("form") != ctx.form["key"]:
            continue
        config = _for_caller(ctx, _config(view))
        if config is None:
            continue
        items.append({"id": f"definition:{view['key']}", "key": view["key"],
                      "source": "definition", "name": view["name"], "readonly": True,
                      "editable": False, "shared": True, "default": bool(view.get("default")),
                      **config})
    return items


def _present(ctx: FormContext, row: Mapping[str, Any]) -> dict[str, Any] | None:
    config = _for_caller(ctx, row["config"])
    if config is None:
        return None
    mine = row["owner_id"] == ctx.principal.user_id
    return {"id": str(row["id"]), "source": "saved", "name": row["name"],
            "shared": row["shared"], "readonly": False,
            "editable": mine or (row["shared"] and can_share(ctx)), "mine": mine,
            "owner": {"id": str(row["owner_id"]), "name": row["owner_name"]},
            "created_at": row["created_at"].isoformat(),
            "updated_at": row["updated_at"].isoformat(), **config}


def _query(ctx: FormContext) -> Any:
    v = t.saved_views
    return (select(v, t.users.c.name.label("owner_name"))
            .join(t.users, t.users.c.id == v.c.owner_id)
            .where(v.c.tenant_id == ctx.principal.tenant_id, v.c.app_key == ctx.app.key,
                   v.c.form_key == ctx.form["key"],
                   or_(v.c.owner_id == ctx.principal.user_id, v.c.shared)))


async def list_views(ctx: FormContext) -> dict[str, Any]:
    """The definition's views, then the caller's own, then those shared by others."""
    ctx.access.require("view")
    v = t.saved_views
    rows = (await ctx.conn.execute(_query(ctx).order_by(
        (v.c.owner_id != ctx.principal.user_id), func.lower(v.c.name)))).mappings().all()
    saved = [item for item in (_present(ctx, row) for row in rows) if item is not None]
    return {"items": _definition_views(ctx) + saved, "can_share": can_share(ctx)}


def _check(ctx: FormContext, name: Any, config: dict[str, Any]) -> str:
    problems = []
    clean = name.strip() if isinstance(name, str) else ""
    if not clean:
        problems.append(FieldProblem("name", "required", "A view needs a name."))
    elif len(clean) > MAX_NAME:
        problems.append(FieldProblem("name", "too_long", f"At most {MAX_NAME} characters.",
                                     {"max": MAX_NAME}))
    problems += config_problems(config, ctx.form, hidden=ctx.access.hidden)
    if problems:
        raise ValidationFailed("The view is not valid: " + "; ".join(
            f"{p.path}: {p.message}" for p in problems[:5]), code="invalid_view",
            errors=problems)
    return clean


def _require_share(ctx: FormContext, shared: bool) -> None:
    if shared and not can_share(ctx):
        raise Forbidden("Only an administrator of this app may share a view with everyone.",
                        code="share_not_allowed",
                        errors=[FieldProblem("shared", "share_not_allowed",
                                             "Save it as a personal view instead.")])


async def _audit_shared(ctx: FormContext, action: str, view: Mapping[str, Any]) -> None:
    """What everyone sees is audited (a shared view appears in every member's menu);
    personal views are not."""
    await audit(ctx.conn, tenant_id=ctx.principal.tenant_id, actor_id=ctx.principal.user_id,
                action=f"view.{action}", target_type="view", target_id=str(view["id"]),
                details={"app": ctx.app.key, "form": ctx.form["key"], "name": view["name"]})


def _duplicate(name: str) -> Conflict:
    return Conflict(f"You already have a view named {name!r} on this form.",
                    code="duplicate_name", params={"name": name},
                    errors=[FieldProblem("name", "duplicate", "Already in use.")])


async def _write(ctx: FormContext, statement: Any, name: str) -> Any:
    try:
        async with ctx.conn.begin_nested():
            return (await ctx.conn.execute(statement)).first()
    except IntegrityError:
        raise _duplicate(name) from None


async def create_view(ctx: FormContext, body: Mapping[str, Any]) -> dict[str, Any]:
    ctx.access.require("view")
    config = _config(body)
    name = _check(ctx, body.get("name"), config)
    shared = bool(body.get("shared"))
    _require_share(ctx, shared)
    v = t.saved_views
    mine = (await ctx.conn.execute(select(func.count()).select_from(v).where(
        v.c.tenant_id == ctx.principal.tenant_id, v.c.app_key == ctx.app.key,
        v.c.form_key == ctx.form["key"], v.c.owner_id == ctx.principal.user_id))).scalar_one()
    if mine >= MAX_VIEWS_PER_FORM:
        raise Conflict(f"You have {mine} views on this form; delete some first.",
                       code="too_many_views", extra={"max": MAX_VIEWS_PER_FORM},
                       params={"count": mine})
    view_id = uuid7()
    await _write(ctx, insert(v).values(
        id=view_id, tenant_id=ctx.principal.tenant_id, app_key=ctx.app.key,
        form_key=ctx.form["key"], owner_id=ctx.principal.user_id, name=name, shared=shared,
        config=config).returning(v.c.id), name)
    created = await _get(ctx, view_id)
    if shared:
        await _audit_shared(ctx, "shared", created)
    return created


def _view_id(raw: str) -> uuid.UUID:
    if raw.startswith("definition:"):
        raise Forbidden("The app's own views are part of its definition; change them in the "
                        "designer, or save a copy as your own view.", code="view_read_only")
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound("There is no such view.", code="view_not_found") from None


async def _get(ctx: FormContext, view_id: uuid.UUID) -> dict[str, Any]:
    row = (await ctx.conn.execute(_query(ctx).where(t.saved_views.c.id == view_id))
           ).mappings().first()
    item = _present(ctx, row) if row is not None else None
    if item is None:
        raise NotFound("There is no such view (or it is not shared with you).",
                       code="view_not_found")
    return item


async def _editable(ctx: FormContext, raw_id: str) -> dict[str, Any]:
    """The view, if the caller may change it: their own, or a shared one for an admin."""
    ctx.access.require("view")
    current = await _get(ctx, _view_id(raw_id))
    if not current["editable"]:
        raise Forbidden("Only its owner or an administrator may change a shared view.",
                        code="permission_denied")
    return current


async def update_view(ctx: FormContext, raw_id: str, changes: Mapping[str, Any]) -> dict:
    """Changes the fields sent: `name`, `shared`, and any view settings (a setting sent as null
    is cleared)."""
    current = await _editable(ctx, raw_id)
    config = _config({**current, **{k: changes[k] for k in CONFIG_KEYS if k in changes}})
    name = _check(ctx, changes.get("name", current["name"]), config)
    shared = bool(changes.get("shared", current["shared"]))
    if shared != current["shared"]:
        _require_share(ctx, True)
    v = t.saved_views
    await _write(ctx, update(v).where(
        v.c.tenant_id == ctx.principal.tenant_id, v.c.id == uuid.UUID(current["id"]))
        .values(name=name, shared=shared, config=config, updated_at=func.now())
        .returning(v.c.id), name)
    updated = await _get(ctx, uuid.UUID(current["id"]))
    if shared or current["shared"]:
        action = ("shared" if shared else "unshared") if shared != current["shared"] else "changed"
        await _audit_shared(ctx, action, updated)
    return updated


async def delete_view(ctx: FormContext, raw_id: str) -> dict[str, Any]:
    """Deletes the view; returns it as it was (the browser, which has it too, offers "Undo" by
    posting it again)."""
    current = await _editable(ctx, raw_id)
    v = t.saved_views
    await ctx.conn.execute(delete(v).where(v.c.tenant_id == ctx.principal.tenant_id,
                                           v.c.id == uuid.UUID(current["id"])))
    if current["shared"]:
        await _audit_shared(ctx, "deleted", current)
    return current
