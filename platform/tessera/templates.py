"""App templates shipped in templates_library/: each folder holds `app.json` (a tessera.app/1
definition) and optionally `demo.json` ({form key: [record data, ...]}) installed with it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.auth.tokens import Principal

LIBRARY = Path(__file__).resolve().parents[2] / "templates_library"
DEFAULT_TEMPLATE = "crm"


def list_templates() -> list[dict[str, Any]]:
    out = []
    for folder in sorted(p for p in LIBRARY.iterdir() if (p / "app.json").is_file()):
        definition = json.loads((folder / "app.json").read_text())
        out.append({"key": folder.name, "name": definition["name"],
                    "version": definition.get("version"),
                    "forms": len(definition.get("forms", [])),
                    "has_demo_data": (folder / "demo.json").is_file()})
    return out


def load_template(key: str) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    folder = LIBRARY / key
    if not (folder / "app.json").is_file():
        raise KeyError(f"no template {key!r} in {LIBRARY}")
    demo_path = folder / "demo.json"
    demo = json.loads(demo_path.read_text()) if demo_path.is_file() else {}
    return json.loads((folder / "app.json").read_text()), demo


def _resolve_refs(value: Any, refs: dict[str, str]) -> Any:
    """`{"$ref": "acme"}` -> the id of the row created with `"$id": "acme"`, at any depth
    (sub-form rows and multiple relations included)."""
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            return refs[value["$ref"]]
        return {k: _resolve_refs(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_refs(v, refs) for v in value]
    return value


async def install_template(conn: AsyncConnection, principal: Principal, key: str, *,
                           demo_data: bool = True, tenant_key: str) -> dict[str, Any]:
    """Import and publish the template, then create its demo records through the record
    service (validated like any user input; relations refer to earlier rows by `$ref`)."""
    from tessera.apps import service as apps
    from tessera.apps.cache import AppCache
    from tessera.records.service import create_record, open_form

    definition, demo = load_template(key)
    await apps.import_app(conn, principal, definition, publish=True)
    created = 0
    if demo_data and demo:
        published, tables = await AppCache().get(conn, principal.tenant_id, tenant_key,
                                                 definition["key"])
        refs: dict[str, str] = {}
        for form_key, rows in demo.items():
            ctx = await open_form(conn, principal, published, tables, form_key)
            for row in rows:
                ref = row.pop("$id", None)
                data = _resolve_refs(row, refs)
                record = await create_record(ctx, data)
                if ref:
                    refs[ref] = record["_id"]
                created += 1
    return {"app": definition["key"], "demo_records": created}
