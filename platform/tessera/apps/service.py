"""App registry operations: import, read, edit the draft, plan, publish, export.

Published versions are immutable rows of `app_versions`; the draft is a separate column of
`apps`. Publishing validates the draft, plans the table changes, refuses on blockers, applies
the cheap DDL and the new version in one transaction, and queues the slow conversions as jobs.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import ApiError, Conflict, FieldProblem, NotFound, ValidationFailed
from tessera.apps import removed_roles
from tessera.apps.expressions import AppTrees, formula_trees
from tessera.apps.validation import validate_definition
from tessera.audit import audit
from tessera.auth.tokens import Principal
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.db.notify import announce
from tessera.org.tenants import schema_name
from tessera.permissions import ACTIONS
from tessera.storage.planner import Plan, apply_plan, plan_app

APP_PUBLISHED = "app_published"  # tessera.db.notify message kind


@dataclass(frozen=True)
class PublishedApp:
    """One immutable published version, as every request on it sees it."""

    app_id: uuid.UUID
    key: str
    version: int
    definition: dict[str, Any]
    published_at: datetime

    def form(self, form_key: str) -> dict[str, Any]:
        for form in self.definition.get("forms", []):
            if form["key"] == form_key:
                return form
        raise NotFound(f"The app {self.key!r} has no form {form_key!r}.", code="unknown_form",
                       params={"app": self.key, "form": form_key})


async def app_row(conn: AsyncConnection, tenant_id: uuid.UUID, app_key: str,
                   *, lock: bool = False) -> Any:
    """The app's registry row (404 problem when there is none); `lock` for a publish or a
    draft write, so two of them on one app take turns."""
    query = select(t.apps).where(t.apps.c.tenant_id == tenant_id, t.apps.c.key == app_key)
    if lock:
        query = query.with_for_update()
    row = (await conn.execute(query)).mappings().first()
    if row is None:
        raise NotFound(f"There is no app {app_key!r}.", code="unknown_app",
                       params={"app": app_key})
    return row


async def published(conn: AsyncConnection, tenant_id: uuid.UUID, app_key: str) -> PublishedApp:
    row = (await conn.execute(
        select(t.apps.c.id, t.apps.c.key, t.app_versions.c.version,
               t.app_versions.c.definition, t.app_versions.c.published_at)
        .join(t.app_versions, (t.app_versions.c.app_id == t.apps.c.id)
              & (t.app_versions.c.version == t.apps.c.published_version))
        .where(t.apps.c.tenant_id == tenant_id, t.apps.c.key == app_key))).mappings().first()
    if row is None:
        await app_row(conn, tenant_id, app_key)  # 404 when the app does not exist at all
        raise Conflict(f"The app {app_key!r} has not been published yet.",
                       code="app_not_published", params={"app": app_key})
    return PublishedApp(row["id"], row["key"], row["version"], row["definition"],
                        row["published_at"])


def summary(row: Any, definition: dict[str, Any] | None) -> dict[str, Any]:
    forms = (definition or row["draft"] or {}).get("forms", [])
    return {
        "key": row["key"],
        "name": row["name"],
        "version": (definition or row["draft"] or {}).get("version"),
        "published_version": row["published_version"],
        "status": "published" if row["published_version"] else "draft",
        "updated_at": row["updated_at"].isoformat(),
        "forms": [{"key": f["key"], "name": f["name"]} for f in forms],
    }


async def for_caller(conn: AsyncConnection, principal: Principal,
                     definition: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a definition the caller may know of: forms they have any permission on,
    without the fields hidden from them, and no roles section. None: nothing at all."""
    if definition is None or principal.is_admin:
        return definition
    from tessera.permissions import AccessResolver

    resolver = AccessResolver(conn, principal, definition)
    if await resolver.is_app_admin():  # app admins see the whole definition
        return definition
    from tessera.views.spec import view_for_caller

    forms, hidden_in = [], {}
    for form in definition.get("forms", []):
        access = await resolver.form(form["key"])
        if not access.actions:
            continue
        hidden_in[form["key"]] = hidden = access.hidden
        forms.append({**form, "fields": [f for f in form.get("fields", [])
                                         if f["key"] not in hidden]})
    if not forms:
        return None
    views = [v for v in (view_for_caller(view, hidden_in[view["form"]])
                         for view in definition.get("views") or []
                         if view.get("form") in hidden_in) if v is not None]
    return {**{k: v for k, v in definition.items() if k != "roles"}, "forms": forms,
            "views": views}


async def form_actions(conn: AsyncConnection, principal: Principal,
                       definition: dict[str, Any] | None) -> dict[str, Any]:
    """Per form, what the caller may do: the browser shows only the buttons that will work
    (the server checks every request anyway)."""
    from tessera.permissions import AccessResolver

    if definition is None:
        return {}
    resolver = AccessResolver(conn, principal, definition)
    out = {}
    for form in definition.get("forms", []):
        access = await resolver.form(form["key"])
        actions = list(ACTIONS) if access.full else sorted(access.actions)
        if actions:
            out[form["key"]] = {"actions": actions, "readonly": sorted(access.readonly)}
    return out


async def list_apps(conn: AsyncConnection, tenant_id: uuid.UUID,
                    principal: Principal | None = None) -> list[dict[str, Any]]:
    rows = (await conn.execute(
        select(t.apps, t.app_versions.c.definition, t.app_versions.c.published_at)
        .outerjoin(t.app_versions, (t.app_versions.c.app_id == t.apps.c.id)
                   & (t.app_versions.c.version == t.apps.c.published_version))
        .where(t.apps.c.tenant_id == tenant_id).order_by(t.apps.c.created_at))).mappings().all()
    items = []
    for row in rows:
        definition = row["definition"]
        if principal is not None and not principal.is_admin:
            definition = await for_caller(conn, principal, definition)
            if definition is None:
                continue  # an app the caller has no part in is not listed
        item = summary(row, definition)
        item["published_at"] = row["published_at"].isoformat() if row["published_at"] else None
        items.append(item)
    return items


async def get_app(conn: AsyncConnection, tenant_id: uuid.UUID, app_key: str,
                  principal: Principal | None = None, *,
                  trees: Callable[[PublishedApp], AppTrees] | None = None) -> dict[str, Any]:
    """`trees`: where a published version's formula trees are kept (`AppCache.trees`);
    without it they are worked out from the definition for this answer."""
    row = await app_row(conn, tenant_id, app_key)
    definition, published_at, kept = None, None, None
    if row["published_version"]:
        app = await published(conn, tenant_id, app_key)
        definition, published_at = app.definition, app.published_at
        kept = trees(app) if trees is not None else None
    if principal is not None and not principal.is_admin:
        full = definition
        definition = await for_caller(conn, principal, definition)
        if definition is None:
            raise NotFound(f"There is no app {app_key!r}.", code="unknown_app",
                           params={"app": app_key})
        return {**summary(row, definition), "definition": definition, "has_draft": False,
                "published_at": published_at.isoformat() if published_at else None,
                "access": await form_actions(conn, principal, full),
                "formula_trees": kept.for_forms(definition.get("forms")) if kept
                else formula_trees(definition.get("forms"))}
    access = await form_actions(conn, principal, definition or row["draft"]) if principal else {}
    shown = definition if definition is not None else row["draft"]
    return {**summary(row, definition), "access": access,
            "published_at": published_at.isoformat() if published_at else None,
            "definition": shown, "formula_trees": dict(kept.trees) if kept
            else formula_trees((shown or {}).get("forms")),
            "has_draft": row["draft"] is not None and row["draft"] != definition}


async def import_app(conn: AsyncConnection, principal: Principal, definition: Any, *,
                     publish: bool = True) -> dict[str, Any]:
    definition = validate_definition(copy.deepcopy(definition))
    exists = (await conn.execute(select(t.apps.c.id).where(
        t.apps.c.tenant_id == principal.tenant_id, t.apps.c.key == definition["key"]))).first()
    if exists:
        raise Conflict(f"An app with key {definition['key']!r} exists; edit its draft instead.",
                       code="app_exists", errors=[FieldProblem("key", "duplicate",
                                                               "Already in use.")],
                       params={"key": definition["key"]})
    await conn.execute(insert(t.apps).values(
        id=uuid7(), tenant_id=principal.tenant_id, key=definition["key"],
        name=definition["name"], draft=definition, draft_updated_at=func.now()))
    await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                action="app.imported", target_type="app", target_id=definition["key"],
                details={"version": definition.get("version")})
    result: dict[str, Any] = {"key": definition["key"]}
    if publish:
        result["publish"] = await publish_app(conn, principal, definition["key"])
    return result


async def save_draft(conn: AsyncConnection, principal: Principal, app_key: str,
                     definition: Any) -> dict[str, Any]:
    await app_row(conn, principal.tenant_id, app_key, lock=True)
    definition = validate_definition(copy.deepcopy(definition))
    if definition["key"] != app_key:
        raise ValidationFailed("The definition's key must stay the app's key.",
                               code="key_mismatch", params={"expected": app_key},
                               errors=[FieldProblem("key", "key_mismatch",
                                                    f"expected {app_key!r}",
                                                    {"expected": app_key})])
    await conn.execute(update(t.apps).where(
        t.apps.c.tenant_id == principal.tenant_id, t.apps.c.key == app_key)
        .values(draft=definition, name=definition["name"], draft_updated_at=func.now(),
                updated_at=func.now()))
    await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                action="app.draft_saved", target_type="app", target_id=app_key)
    return await get_app(conn, principal.tenant_id, app_key)


async def plan_draft(conn: AsyncConnection, tenant_id: uuid.UUID, tenant_key: str,
                     app_key: str) -> Plan:
    row = await app_row(conn, tenant_id, app_key)
    if row["draft"] is None:
        raise Conflict("The app has no draft to plan.", code="no_draft")
    definition = validate_definition(row["draft"])
    plan = await plan_app(conn, tenant_id=tenant_id, schema=schema_name(tenant_key),
                          definition=definition)
    await removed_roles.add_plan_steps(conn, tenant_id, app_key, definition, plan.steps)
    return plan


async def publish_app(conn: AsyncConnection, principal: Principal, app_key: str) -> dict[str, Any]:
    row = await app_row(conn, principal.tenant_id, app_key, lock=True)
    if row["draft"] is None:
        raise Conflict("The app has no draft to publish.", code="no_draft")
    definition = validate_definition(row["draft"])
    plan = await plan_app(conn, tenant_id=principal.tenant_id,
                          schema=schema_name(principal.tenant_key), definition=definition)
    await removed_roles.add_plan_steps(conn, principal.tenant_id, app_key, definition,
                                       plan.steps)
    if plan.blockers:
        raise Conflict(
            "Publishing would break existing data: " + "; ".join(b.message for b in plan.blockers),
            code="publish_blocked",
            errors=[FieldProblem(b.path, b.code, b.message, b.params) for b in plan.blockers],
            extra={"plan": plan.public()})
    try:
        async with conn.begin_nested():
            await apply_plan(conn, plan, tenant_id=principal.tenant_id, app_key=app_key)
    except DBAPIError as exc:
        if "lock timeout" in str(exc).lower():
            raise ApiError("A table of this app is busy (a long transaction holds it); nothing "
                           "was changed. Publish again in a moment.", status=409,
                           code="table_busy", title="Table busy") from None
        raise
    roles_dropped = await removed_roles.drop_assignments(conn, principal, app_key, definition)
    version = (row["published_version"] or 0) + 1
    await conn.execute(insert(t.app_versions).values(
        id=uuid7(), tenant_id=principal.tenant_id, app_id=row["id"], version=version,
        semver=definition.get("version") or f"0.0.{version}", definition=definition,
        published_by=principal.user_id))
    await conn.execute(update(t.apps).where(t.apps.c.id == row["id"]).values(
        published_version=version, updated_at=func.now()))
    # API processes trust the version they were last told (apps/cache.py)
    await announce(conn, APP_PUBLISHED, tenant=str(principal.tenant_id), app=app_key,
                   version=version)
    jobs = await _enqueue_plan_jobs(conn, principal, plan)
    await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                action="app.published", target_type="app", target_id=app_key,
                details={"version": version, "plan": plan.summary})
    return {"version": version, "plan": plan.public(), "jobs": jobs,
            "roles_dropped": roles_dropped, "published_at": datetime.now(UTC).isoformat()}


async def _enqueue_plan_jobs(conn: AsyncConnection, principal: Principal,
                             plan: Plan) -> list[str]:
    from tessera.jobs import enqueue

    ids = []
    for step in plan.steps:
        if step.job:
            job_id = await enqueue(conn, tenant_id=principal.tenant_id, kind=step.job["kind"],
                                   payload=step.job, created_by=principal.user_id)
            ids.append(str(job_id))
    return ids


async def export_app(conn: AsyncConnection, tenant_id: uuid.UUID, app_key: str, *,
                     draft: bool = False) -> dict[str, Any]:
    row = await app_row(conn, tenant_id, app_key)
    if draft or not row["published_version"]:
        return row["draft"]
    return (await published(conn, tenant_id, app_key)).definition
