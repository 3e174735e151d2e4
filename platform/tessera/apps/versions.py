"""An app's published versions as history: list them with what each changed, and put an old
one back into the draft.

Published versions are immutable rows of `app_versions` (service.publish_app writes them); this
module only reads them. "What changed" is computed by comparing each version's definition with
the one before it, so it needs no extra column and is right for versions published before this
module existed. Restoring never publishes: it replaces the draft, and the admin publishes that
draft as a new version through the usual plan → publish path, which shows what the tables would
lose before anything happens.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import NotFound
from tessera.apps.service import app_row, save_draft
from tessera.apps.validation import SECTIONS
from tessera.audit import audit
from tessera.auth.tokens import Principal
from tessera.db import tables as t

MAX_VERSIONS = 200


def _by_key(items: Any) -> dict[str, Any]:
    return {i["key"]: i for i in items or [] if isinstance(i, dict) and "key" in i}


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """What `after` changed compared with `before` (None: the first version), in terms an
    admin recognises: forms and fields added, removed or edited, and which other sections
    (roles, views, flows…) changed at all. Empty lists are left out."""
    if before is None:
        return {"first": True, "forms_added": sorted(_by_key(after.get("forms")))}
    old_forms, new_forms = _by_key(before.get("forms")), _by_key(after.get("forms"))
    out: dict[str, Any] = {
        "forms_added": sorted(new_forms.keys() - old_forms.keys()),
        "forms_removed": sorted(old_forms.keys() - new_forms.keys()),
        "fields_added": {}, "fields_removed": {}, "fields_changed": {},
    }
    for key in sorted(old_forms.keys() & new_forms.keys()):
        old, new = _by_key(old_forms[key].get("fields")), _by_key(new_forms[key].get("fields"))
        for name, keys in (("fields_added", new.keys() - old.keys()),
                           ("fields_removed", old.keys() - new.keys()),
                           ("fields_changed", {k for k in old.keys() & new.keys()
                                               if old[k] != new[k]})):
            if keys:
                out[name][key] = sorted(keys)
    out["sections_changed"] = [s for s in SECTIONS if s != "forms"
                               and (before.get(s) or []) != (after.get(s) or [])]
    other = {k for k in before.keys() | after.keys() if k not in SECTIONS}
    out["settings_changed"] = sorted(k for k in other if before.get(k) != after.get(k))
    return {k: v for k, v in out.items() if v}


async def list_versions(conn: AsyncConnection, tenant_id: uuid.UUID, app_key: str,
                        limit: int = 50) -> dict[str, Any]:
    """The newest `limit` versions (each with who published it and what it changed) and the
    draft's state: whether it differs from the published version and since when."""
    app = await app_row(conn, tenant_id, app_key)
    v = t.app_versions
    # one more than shown, so the oldest shown version can still be compared with its parent
    rows = (await conn.execute(
        select(v.c.version, v.c.semver, v.c.definition, v.c.published_at,
               t.users.c.email, t.users.c.name)
        .outerjoin(t.users, t.users.c.id == v.c.published_by)
        .where(v.c.tenant_id == tenant_id, v.c.app_id == app["id"])
        .order_by(v.c.version.desc()).limit(min(limit, MAX_VERSIONS) + 1))).all()
    items = []
    for i, row in enumerate(rows[:limit]):
        parent = rows[i + 1].definition if i + 1 < len(rows) else None
        items.append({
            "version": row.version, "semver": row.semver,
            "published_at": row.published_at.isoformat(),
            "published_by": {"email": row.email, "name": row.name} if row.email else None,
            "current": row.version == app["published_version"],
            "changes": changes(parent, row.definition),
        })
    published = rows[0].definition if rows and rows[0].version == app["published_version"] \
        else None
    draft = app["draft"]
    return {
        "items": items,
        "has_more": len(rows) > limit,
        "published_version": app["published_version"],
        "draft": {
            "exists": draft is not None,
            "unpublished": draft is not None and draft != published,
            "updated_at": app["draft_updated_at"].isoformat() if app["draft_updated_at"]
            else None,
            "changes": changes(published, draft) if draft is not None and draft != published
            and published is not None else None,
        },
    }


async def restore_draft(conn: AsyncConnection, principal: Principal, app_key: str,
                        version: int) -> dict[str, Any]:
    """Version `version`'s definition becomes the draft (validated again: the rules may have
    grown stricter since it was published, and an invalid draft could not be published)."""
    app = await app_row(conn, principal.tenant_id, app_key)
    v = t.app_versions
    definition = (await conn.execute(select(v.c.definition).where(
        v.c.tenant_id == principal.tenant_id, v.c.app_id == app["id"],
        v.c.version == version))).scalar()
    if definition is None:
        raise NotFound(f"The app {app_key!r} has no version {version}.", code="unknown_version",
                       params={"app": app_key, "version": version})
    replaced_unpublished = app["draft"] is not None and app["draft"] != definition and \
        app["published_version"] is not None and app["draft"] != (await conn.execute(
            select(v.c.definition).where(v.c.app_id == app["id"],
                                         v.c.version == app["published_version"]))).scalar()
    result = await save_draft(conn, principal, app_key, definition)
    await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                action="app.version_restored", target_type="app", target_id=app_key,
                details={"version": version, "published_version": app["published_version"],
                         "replaced_unpublished_draft": replaced_unpublished})
    return result
