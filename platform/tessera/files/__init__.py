"""Uploaded files (attachment, image and signature fields).

Bytes go to a `FileStorage` (local disk under `Settings.data_dir / "files"` by default),
content-addressed by SHA-256; each upload is a row of `files` (tenant, name, sniffed content
type, size, hash, image facts). The content type is never taken from the client: it is sniffed
from the bytes (puremagic; Pillow for images, which also proves an image decodes), so a file
named `x.png` holding HTML is not served as an image.

Who may download a file (docs/api.md "Files"): a member of the same tenant who uploaded it, a
platform admin, or someone who may view a live record whose (visible) file field holds it.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import uuid
from dataclasses import dataclass
from typing import Any, BinaryIO

import puremagic
from PIL import Image, UnidentifiedImageError
from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from engines.form import field_types
from tessera.auth.tokens import Principal
from tessera.db import tables as t
from tessera.files.storage import FileStorage, LocalFileStorage

__all__ = ["FileStorage", "LocalFileStorage", "Sniffed", "check_params", "describe",
           "may_read", "sniff", "storage_key"]

SNIFF_BYTES = 8192
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF"}
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
TEXT_TYPES = {"text/plain", "text/csv", "text/markdown", "text/tab-separated-values"}


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    image: dict[str, Any] | None  # {"width", "height", "format"} when Pillow can decode it


def storage_key(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256}"


def thumbnail_key(sha256: str, size: int) -> str:
    return f"thumbs/{sha256[:2]}/{sha256}-{size}.webp"


def hash_stream(stream: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def _image_facts(stream: BinaryIO) -> dict[str, Any] | None:
    try:
        with Image.open(stream) as img:
            facts = {"width": img.width, "height": img.height, "format": img.format}
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        stream.seek(0)
    return facts if facts["format"] in IMAGE_FORMATS else None


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def sniff(stream: BinaryIO, name: str) -> Sniffed:
    """The content type from the bytes; the file name only chooses between the candidates the
    bytes allow (a .docx is a zip) or names a kind of plain text."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    image = _image_facts(stream)
    if image is not None:
        return Sniffed(Image.MIME.get(image["format"], "application/octet-stream"), image)
    by_name = mimetypes.guess_type("x" + _extension(name))[0]
    try:
        matches = puremagic.magic_string(head, filename=name) if head else []
    except (puremagic.PureError, ValueError):
        matches = []
    mimes = [m.mime_type for m in matches if m.mime_type]
    if mimes:
        if by_name and (by_name in mimes or (mimes[0] == "application/zip"
                                             and _extension(name) in {".docx", ".xlsx",
                                                                      ".pptx", ".odt",
                                                                      ".ods", ".odp"})):
            return Sniffed(by_name, None)
        return Sniffed(mimes[0], None)
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:  # a multi-byte character cut at the sniff limit
            if exc.start < len(head) - 4:
                return Sniffed("application/octet-stream", None)
        return Sniffed(by_name if by_name in TEXT_TYPES else "text/plain", None)
    return Sniffed("application/octet-stream", None)


def _accepts(accept: list[str], name: str, content_type: str) -> bool:
    ext = _extension(name)
    for item in accept:
        item = item.strip().lower()
        if item.startswith(".") and item == ext:
            return True
        if item.endswith("/*") and content_type.startswith(item[:-1]):
            return True
        if item == content_type:
            return True
    return False


def check_params(row: Any, params: dict[str, Any]
                 ) -> tuple[str, str, dict[str, Any]] | None:
    """Why a stored file does not fit a field's constraints (`image`, `accept`,
    `max_size_mb` from `Reference.params`), as (code, message, the values the message
    names); None when it fits."""
    is_image = bool((row["metadata"] or {}).get("image"))
    if params.get("image") and not is_image:
        return "not_an_image", "The file is not an image.", {}
    limit = params.get("max_size_mb")
    if limit is not None and row["size"] > float(limit) * 1024 * 1024:
        return ("file_too_large", f"The file is larger than {limit} MB.",
                {"max_size_mb": limit})
    accept = params.get("accept")
    if accept and not _accepts(list(accept), row["name"], row["content_type"]):
        listed = ", ".join(accept)
        return ("file_type_not_accepted", "This kind of file is not accepted here: " + listed,
                {"accept": listed})
    return None


def describe(row: Any) -> dict[str, Any]:
    out = {"id": str(row["id"]), "name": row["name"], "content_type": row["content_type"],
           "size": row["size"], "url": f"/api/v1/files/{row['id']}"}
    image = (row["metadata"] or {}).get("image")
    if image:
        out["image"] = {"width": image["width"], "height": image["height"]}
        out["thumbnail_url"] = f"/api/v1/files/{row['id']}/thumbnail"
    return out


def thumbnail(stream: BinaryIO, size: int) -> bytes:
    with Image.open(stream) as img:
        img.draft("RGB", (size, size))  # JPEG: decode at a reduced scale
        img.thumbnail((size, size))
        if img.mode not in ("RGB", "RGBA"):
            img = img.convert("RGBA")
        out = io.BytesIO()
        img.save(out, "WEBP", quality=80)
        return out.getvalue()


def file_columns(form: dict[str, Any]) -> tuple[list[tuple[str, bool]],
                                                 dict[str, list[tuple[str, bool]]]]:
    """(field key, holds many ids) of a form's file fields, and of each sub-form's."""
    def of(fields: list[dict[str, Any]]) -> list[tuple[str, bool]]:
        out = []
        for f in fields:
            ft = field_types.get(f["type"]) if field_types.has(f.get("type")) else None
            if ft is not None and getattr(ft, "kind", None) == "file":
                out.append((f["key"], bool(getattr(ft, "many", False))))
        return out

    top = of(form.get("fields", []))
    subs = {f["key"]: of(f.get("fields", [])) for f in form.get("fields", [])
            if f.get("type") == "subform"}
    return top, {k: v for k, v in subs.items() if v}


def _holds(table: Any, columns: list[tuple[str, bool]], file_id: uuid.UUID,
           hidden: frozenset[str]) -> Any:
    conds = []
    for key, many in columns:
        if key in hidden or key not in table.c:
            continue
        col = table.c[key]
        conds.append(col.contains([file_id]) if many else col == file_id)
    return or_(*conds) if conds else false()


async def may_read(conn: AsyncConnection, principal: Principal, row: Any,
                   app_cache: Any) -> bool:
    """Uploader, platform admin, or a viewer of a live record that holds the file in a field
    they may see. One query per form that has file fields."""
    if principal.is_admin or row["created_by"] == principal.user_id:
        return True
    from tessera.permissions import form_access

    app_keys = (await conn.execute(select(t.apps.c.key).where(
        t.apps.c.tenant_id == principal.tenant_id,
        t.apps.c.published_version.is_not(None)))).scalars().all()
    for app_key in app_keys:
        published, tables = await app_cache.get(conn, principal.tenant_id,
                                                principal.tenant_key, app_key)
        for form in published.definition.get("forms", []):
            top, subs = file_columns(form)
            if (not top and not subs) or form["key"] not in tables.forms:
                continue
            access = await form_access(conn, principal, published.definition, form["key"])
            if not access.can("view"):
                continue
            ft = tables.forms[form["key"]]
            table = ft.table
            held = [_holds(table, top, row["id"], access.hidden)]
            for sub_key, columns in subs.items():
                if sub_key in access.hidden or sub_key not in ft.children:
                    continue
                child = ft.children[sub_key]
                held.append(exists(select(child.c._id).where(
                    child.c._parent_id == table.c._id,
                    _holds(child, columns, row["id"], frozenset()))))
            found = (await conn.execute(select(table.c._id).where(and_(
                table.c.tenant_id == principal.tenant_id, table.c._deleted_at.is_(None),
                access.row_condition(table, "view"), or_(*held))).limit(1))).first()
            if found is not None:
                return True
    return False
