"""Files API: upload (multipart), download, image thumbnails (docs/api.md "Files")."""

from __future__ import annotations

import asyncio
import urllib.parse
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import File, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import insert, select

from tessera.api.deps import CurrentPrincipal, transaction
from tessera.api.errors import FieldProblem, NotFound, ValidationFailed
from tessera.api.routing import api_router
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.files import (
    INLINE_TYPES,
    FileStorage,
    LocalFileStorage,
    check_params,
    describe,
    hash_stream,
    may_read,
    sniff,
    storage_key,
    thumbnail,
    thumbnail_key,
)

router = api_router(tags=["files"])
THUMBNAIL_SIZES = (64, 128, 256, 512, 1024)


def file_storage(request: Request) -> FileStorage:
    """The process's storage: app.state.file_storage if set, else local disk in the data dir."""
    state = request.app.state
    storage = getattr(state, "file_storage", None)
    if storage is None:
        storage = LocalFileStorage(state.settings.data_dir / "files")
        state.file_storage = storage
    return storage


def field_params(definition: dict[str, Any], form_key: str, field_path: str) -> dict[str, Any]:
    from engines.form import Reference, field_types

    form = next((f for f in definition.get("forms", []) if f["key"] == form_key), None)
    fields = form.get("fields", []) if form else []
    spec = None
    for part in field_path.split("."):
        spec = next((f for f in fields if f.get("key") == part), None)
        fields = (spec or {}).get("fields", [])
    ft = field_types.get(spec["type"]) if spec and field_types.has(spec.get("type")) else None
    if ft is None or getattr(ft, "kind", None) != "file":
        raise ValidationFailed(f"{form_key}.{field_path} is not a file field.",
                               code="invalid_request",
                               errors=[FieldProblem("field", "not_a_file_field",
                                                    "Not a file field of that form.")])
    refs: list[Reference] = ft.references(spec, uuid.uuid4() if not ft.many else [uuid.uuid4()],
                                          "x")
    return refs[0].params


def safe_name(filename: str | None) -> str:
    return (filename or "file").replace("/", "_").replace("\\", "_")[:255]


def inspect_upload(upload: UploadFile) -> tuple[str, int, Any]:
    """SHA-256, size and sniffed type of an upload, before anything is stored."""
    stream = upload.file
    sha, size = hash_stream(stream)
    return sha, size, sniff(stream, upload.filename or "")


def keep_upload(storage: FileStorage, upload: UploadFile, sha: str, size: int) -> None:
    key = storage_key(sha)
    if size and not storage.exists(key):
        upload.file.seek(0)
        storage.put(key, upload.file)


def file_row(*, tenant_id: Any, created_by: Any, name: str, sha: str, size: int,
             sniffed: Any, **metadata: Any) -> dict[str, Any]:
    """The `files` row of an upload; 422 `empty_file` for no bytes."""
    if size == 0:
        raise ValidationFailed("The file is empty.", code="empty_file",
                               errors=[FieldProblem("file", "empty_file", "The file is empty.")])
    if sniffed.image:
        metadata["image"] = sniffed.image
    return {"id": uuid7(), "tenant_id": tenant_id, "name": name,
            "content_type": sniffed.content_type, "size": size, "sha256": sha,
            "storage_key": storage_key(sha), "metadata": metadata, "created_by": created_by}


def refuse_misfit(row: dict[str, Any], params: dict[str, Any]) -> None:
    """422 `file_rejected` when the file does not meet the field's constraints."""
    problem = check_params(row, params)
    if problem:
        raise ValidationFailed(problem[1], code="file_rejected",
                               errors=[FieldProblem("file", *problem)])


@router.post("/files", status_code=201)
async def upload(request: Request, principal: CurrentPrincipal,
                 file: UploadFile = File(...),
                 app: str | None = Query(None, description="check against this app's field"),
                 form: str | None = Query(None), field: str | None = Query(
                     None, description="field key, `subform.field` for a sub-form's")) -> dict:
    storage = file_storage(request)
    name = safe_name(file.filename)
    sha, size, sniffed = await asyncio.to_thread(inspect_upload, file)
    row = file_row(tenant_id=principal.tenant_id, created_by=principal.user_id, name=name,
                   sha=sha, size=size, sniffed=sniffed)
    async with transaction(request) as conn:
        if app and form and field:
            published, _ = await request.app.state.app_cache.get(
                conn, principal.tenant_id, principal.tenant_key, app)
            refuse_misfit(row, field_params(published.definition, form, field))
        # the bytes are kept only for an accepted upload, before its row commits
        await asyncio.to_thread(keep_upload, storage, file, sha, size)
        await conn.execute(insert(t.files).values(**row))
    return describe(row)


async def _readable(request: Request, principal: Any, file_id: str) -> Any:
    try:
        fid = uuid.UUID(file_id)
    except ValueError:
        raise NotFound("No such file.", code="file_not_found") from None
    async with transaction(request) as conn:
        row = (await conn.execute(select(t.files).where(
            t.files.c.tenant_id == principal.tenant_id, t.files.c.id == fid))).mappings().first()
        if row is None or not await may_read(conn, principal, row,
                                             request.app.state.app_cache):
            # the same answer for "not yours" as for "not there": ids are not confirmed
            raise NotFound("No such file.", code="file_not_found")
    return row


def _disposition(kind: str, name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(name)}"


def _chunks(storage: FileStorage, key: str) -> Iterator[bytes]:
    with storage.open(key) as stream:
        while chunk := stream.read(256 * 1024):
            yield chunk


SAFE_HEADERS = {"X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
                "Cache-Control": "private, max-age=3600"}


@router.get("/files/{file_id}")
async def download(file_id: str, request: Request, principal: CurrentPrincipal,
                   download: bool = Query(False, description="always as an attachment")
                   ) -> Response:
    row = await _readable(request, principal, file_id)
    storage = file_storage(request)
    if request.headers.get("if-none-match") == f'"{row["sha256"]}"':
        return Response(status_code=304, headers={"ETag": f'"{row["sha256"]}"'})
    inline = row["content_type"] in INLINE_TYPES and not download
    headers = {**SAFE_HEADERS, "Content-Length": str(row["size"]),
               "ETag": f'"{row["sha256"]}"',
               "Content-Disposition": _disposition("inline" if inline else "attachment",
                                                   row["name"])}
    return StreamingResponse(_chunks(storage, row["storage_key"]),
                             media_type=row["content_type"], headers=headers)


def _thumbnail(storage: FileStorage, row: Any, size: int) -> bytes:
    key = thumbnail_key(row["sha256"], size)
    if storage.exists(key):
        with storage.open(key) as stream:
            return stream.read()
    import io

    with storage.open(row["storage_key"]) as stream:
        data = thumbnail(stream, size)
    storage.put(key, io.BytesIO(data))
    return data


@router.get("/files/{file_id}/thumbnail")
async def thumbnail_(file_id: str, request: Request, principal: CurrentPrincipal,
                     size: int = Query(256, description="longest side: 64, 128, 256, 512, 1024")
                     ) -> Response:
    if size not in THUMBNAIL_SIZES:
        raise ValidationFailed("Unsupported thumbnail size.", code="invalid_request",
                               errors=[FieldProblem("size", "invalid_size",
                                                    f"One of {THUMBNAIL_SIZES}.",
                                                    {"sizes": ", ".join(map(str,
                                                                            THUMBNAIL_SIZES))})])
    row = await _readable(request, principal, file_id)
    if not (row["metadata"] or {}).get("image"):
        raise NotFound("This file is not an image: it has no thumbnail.",
                       code="no_thumbnail")
    data = await asyncio.to_thread(_thumbnail, file_storage(request), row, size)
    return Response(data, media_type="image/webp",
                    headers={**SAFE_HEADERS, "ETag": f'"{row["sha256"]}-{size}"',
                             "Content-Disposition": _disposition("inline", row["name"] + ".webp")})
