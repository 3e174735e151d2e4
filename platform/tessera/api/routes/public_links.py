"""Public fill links: admins make and manage them; anyone with the token reads the form and
submits (docs/api.md "Public fill links")."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Header, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import JSONB
from starlette.datastructures import UploadFile

from engines.form import RecordContext, validate_record
from tessera.api.deps import CurrentPrincipal, transaction
from tessera.api.errors import ApiError, FieldProblem, Forbidden, NotFound, ValidationFailed
from tessera.api.routes.files import (
    field_params,
    file_row,
    file_storage,
    inspect_upload,
    keep_upload,
    refuse_misfit,
    safe_name,
)
from tessera.api.routes.records import form_context
from tessera.api.routing import api_router
from tessera.audit import audit
from tessera.auth.passwords import hash_password, verify_password
from tessera.auth.tokens import hash_token
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.permissions import form_access
from tessera.publiclinks import (
    UPLOADED,
    LinkGone,
    describe,
    file_field,
    find,
    foreign_files,
    link_id,
    mark_attached,
    new_token,
    owner_principal,
    password_problem,
    public_form,
    refuse_withheld,
    throttle,
    withheld,
    withheld_inside,
)
from tessera.publiclinks.embedding import FIELD, normalise_origins
from tessera.records import service

router = api_router(tags=["public links"])
LINKS = "/apps/{app}/forms/{form}/public-links"


# Bounded: a link's password is hashed with argon2 on every visit, and its name is a label.
Password = Field(None, max_length=128)
Name = Field(None, max_length=100)
# Sites that may frame the link's form (publiclinks.embedding checks each entry and the count).
EmbedOrigins = Field(None, description="sites that may show the form in a frame, such as "
                     "https://www.example.com (see docs/user/public-links.md)")


class CreateLink(BaseModel):
    owner: str
    password: str | None = Password
    expires_at: datetime | None = None
    name: str | None = Name
    embed_origins: list[Annotated[str, Field(max_length=300)]] | None = EmbedOrigins


class PatchLink(BaseModel):
    enabled: bool | None = None
    expires_at: datetime | None = None
    password: str | None = Password
    name: str | None = Name
    embed_origins: list[Annotated[str, Field(max_length=300)]] | None = EmbedOrigins


class Submission(BaseModel):
    data: dict[str, Any]
    password: str | None = None


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


async def _manage(request: Request, conn: Any, principal: Any, app: str, form: str) -> Any:
    published, _ = await request.app.state.app_cache.get(conn, principal.tenant_id,
                                                         principal.tenant_key, app)
    published.form(form)
    (await form_access(conn, principal, published.definition, form)).require("manage")
    return published


async def _owner_emails(conn: Any, rows: list[Any]) -> dict[Any, str]:
    ids = {r["owner_id"] for r in rows}
    if not ids:
        return {}
    return dict((await conn.execute(select(t.users.c.id, t.users.c.email).where(
        t.users.c.id.in_(ids)))).all())


@router.post(LINKS, status_code=201)
async def create_link(app: str, form: str, body: CreateLink, principal: CurrentPrincipal,
                      request: Request) -> dict:
    """Make a link; the response carries its token and URL, shown this once."""
    settings: dict[str, Any] = {"name": body.name} if body.name else {}
    if body.embed_origins:
        settings[FIELD] = normalise_origins(body.embed_origins)
    async with transaction(request) as conn:
        published = await _manage(request, conn, principal, app, form)
        owner = (await conn.execute(select(t.users.c.id, t.users.c.email).where(
            t.users.c.tenant_id == principal.tenant_id, t.users.c.is_active,
            func.lower(t.users.c.email) == body.owner.strip().lower()))).first()
        if owner is None:
            raise ValidationFailed("The owner must be an active member.", errors=[
                FieldProblem("owner", "unknown_user", "No such active member.",
                             {"email": body.owner.strip()})])
        row = {"id": uuid7(), "tenant_id": principal.tenant_id, "app_key": app,
               "form_key": form, "token_hash": "", "owner_id": owner.id,
               "password_hash": hash_password(body.password) if body.password else None,
               "expires_at": _utc(body.expires_at), "enabled": True,
               "settings": settings,
               "created_by": principal.user_id}
        fake = {"owner_id": owner.id, "tenant_id": principal.tenant_id}
        owner_access = await form_access(conn, await owner_principal(conn, fake),
                                         published.definition, form)
        if not owner_access.can("create"):
            raise ValidationFailed("The owner may not create records of this form.", errors=[
                FieldProblem("owner", "owner_cannot_create",
                             "This member may not create records of this form.")])
        token = new_token()
        row["token_hash"] = hash_token(token)
        stored = (await conn.execute(insert(t.public_links).values(**row)
                                     .returning(t.public_links))).mappings().one()
        await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                    action="public_link.created", target_type="public_link",
                    target_id=str(row["id"]), details={"app": app, "form": form})
    return {**describe(stored, owner.email), "token": token, "url": f"/api/v1/public/{token}"}


@router.get(LINKS)
async def list_links(app: str, form: str, principal: CurrentPrincipal, request: Request
                     ) -> dict:
    pl = t.public_links
    async with transaction(request) as conn:
        await _manage(request, conn, principal, app, form)
        rows = (await conn.execute(select(pl).where(
            pl.c.tenant_id == principal.tenant_id, pl.c.app_key == app, pl.c.form_key == form)
            .order_by(pl.c.created_at.desc()))).mappings().all()
        emails = await _owner_emails(conn, rows)
    return {"items": [describe(r, emails.get(r["owner_id"])) for r in rows]}


@router.patch(LINKS + "/{link}")
async def patch_link(app: str, form: str, link: str, body: PatchLink,
                     principal: CurrentPrincipal, request: Request) -> dict:
    """Turn a link off or on, change its expiry (`null`: never expires), password (`""`
    removes it), name (`""` removes it) or the sites that may frame it (`[]` or `null`: none);
    only the keys given change. Same permission as making links (`manage` on the form);
    audited as `public_link.changed` with what changed (never the password itself)."""
    pl = t.public_links
    changes, noted = _link_changes(body)
    async with transaction(request) as conn:
        await _manage(request, conn, principal, app, form)
        where = (pl.c.tenant_id == principal.tenant_id, pl.c.app_key == app,
                 pl.c.form_key == form, pl.c.id == link_id(link))
        if "settings" in changes:  # merged into settings, beside whatever else is there
            changes["settings"] = pl.c.settings.op("||")(literal(changes["settings"], JSONB))
        query = update(pl).where(*where).values(**changes).returning(pl) if changes \
            else select(pl).where(*where)
        row = (await conn.execute(query)).mappings().first()
        if row is None:
            raise link_missing()
        if noted:
            await audit(conn, tenant_id=principal.tenant_id, actor_id=principal.user_id,
                        action="public_link.changed", target_type="public_link",
                        target_id=link, details={"app": app, "form": form, **noted})
        emails = await _owner_emails(conn, [row])
    return describe(row, emails.get(row["owner_id"]))


def _link_changes(body: PatchLink) -> tuple[dict[str, Any], dict[str, Any]]:
    """The column values a PATCH sets, and what the audit log says of them."""
    given = body.model_fields_set
    changes: dict[str, Any] = {}
    noted: dict[str, Any] = {}
    if body.enabled is not None:
        changes["enabled"] = noted["enabled"] = body.enabled
    if "expires_at" in given:
        changes["expires_at"] = _utc(body.expires_at)
        noted["expires_at"] = changes["expires_at"].isoformat() if body.expires_at else None
    if body.password is not None:
        changes["password_hash"] = hash_password(body.password) if body.password else None
        noted["password"] = "set" if body.password else "removed"
    settings: dict[str, Any] = {}
    if "name" in given:
        settings["name"] = noted["name"] = (body.name or "").strip() or None
    if "embed_origins" in given:
        settings[FIELD] = noted[FIELD] = normalise_origins(body.embed_origins or [])
    if settings:
        changes["settings"] = settings
    return changes, noted


@router.delete(LINKS + "/{link}", status_code=204)
async def delete_link(app: str, form: str, link: str, principal: CurrentPrincipal,
                      request: Request) -> Response:
    pl = t.public_links
    async with transaction(request) as conn:
        await _manage(request, conn, principal, app, form)
        gone = (await conn.execute(pl.delete().where(
            pl.c.tenant_id == principal.tenant_id, pl.c.app_key == app, pl.c.form_key == form,
            pl.c.id == link_id(link)).returning(pl.c.id))).first()
        if gone is None:
            raise link_missing()
    return Response(status_code=204)


def link_missing() -> ApiError:
    return NotFound("There is no such link.", code="link_not_found")


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _unlock(request: Request, token: str, password: str | None, *,
                  count: bool, action: str | None = None) -> tuple[Any, Any]:
    """The link and its owner, after the throttle and the password; a wrong password is
    recorded (committed) before the error is raised."""
    failure: ApiError | None = None
    async with transaction(request) as conn:
        row = await find(conn, token)
        if count:
            await throttle(conn, row, _ip(request), request.app.state.settings,
                           **({"action": action} if action else {}))
        if row["password_hash"] and not (password and verify_password(row["password_hash"],
                                                                      password)):
            failure = password_problem(password)
            if password:
                await audit(conn, tenant_id=row["tenant_id"], actor_id=None,
                            action="public_link.wrong_password", target_type="public_link",
                            target_id=str(row["id"]), ip=_ip(request))
        else:
            owner = await owner_principal(conn, row)
    if failure is not None:
        raise failure
    return row, owner


@router.get("/public/{token}")
async def public_get(token: str, request: Request,
                     x_link_password: str | None = Header(None)) -> dict:
    """The form to fill, without the fields the public may not see or use. A link with a
    password needs it in the `X-Link-Password` header."""
    row, owner = await _unlock(request, token, x_link_password, count=bool(x_link_password))
    async with form_context(request, owner, row["app_key"], row["form_key"]) as ctx:
        keys = withheld(ctx.form, ctx.access)
        form = public_form(ctx.form, keys)
        return {"app": {"key": ctx.app.key, "name": ctx.app.definition.get("name")},
                "form": form,
                "formula_trees": request.app.state.app_cache.trees(ctx.app).for_forms([form]),
                "requires_password": row["password_hash"] is not None,
                "expires_at": row["expires_at"].isoformat() if row["expires_at"] else None}


@router.post("/public/{token}/submit", status_code=201)
async def public_submit(token: str, body: Submission, request: Request) -> dict:
    row, owner = await _unlock(request, token, body.password, count=True)
    try:
        async with form_context(request, owner, row["app_key"], row["form_key"]) as ctx:
            refuse_withheld(body.data, withheld(ctx.form, ctx.access), withheld_inside(ctx.form))
            files = [r for r in validate_record(ctx.form, body.data,
                                                context=RecordContext()).references
                     if r.kind == "file"]
            problems = await foreign_files(ctx.conn, row, files)
            if problems:  # only files uploaded through this very link
                raise ValidationFailed("The record is not valid.", errors=problems)
            try:
                record = await service.create_record(ctx, body.data)
            except Forbidden:
                raise LinkGone("The link's owner may no longer create these records.",
                               code="link_owner_not_allowed") from None
            await mark_attached(ctx.conn, row, {r.id for r in files}, record["_id"])
            await audit(ctx.conn, tenant_id=row["tenant_id"], actor_id=owner.user_id,
                        action="public_link.submitted", target_type="record",
                        target_id=str(record["_id"]), ip=_ip(request),
                        details={"link": str(row["id"]), "app": row["app_key"],
                                 "form": row["form_key"]})
    except ApiError as error:
        for problem in error.errors:  # no record ids of the tenant for the public
            problem.params = {}
        raise
    return {"_id": record["_id"], "submitted_at": datetime.now(UTC).isoformat()}


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"}}}}}}}


@router.post("/public/{token}/files", status_code=201, openapi_extra=UPLOAD_BODY)
async def public_upload(token: str, request: Request,
                        field: str = Query(..., description="the file field: `papers`, or "
                                           "`items.scan` in a sub-form"),
                        x_link_password: str | None = Header(None)) -> dict:
    """Upload a file for a file field of the link's form (multipart part `file`). The file
    belongs to the link's owner and can only be used in a submission through this link;
    unused uploads are deleted after a day. Counted by the link's throttle (uploads per
    address); at most `Settings.public_upload_max_bytes` (413 `payload_too_large`)."""
    limit = request.app.state.settings.public_upload_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + 64 * 1024:  # before reading the body
        raise _too_large(limit)
    row, owner = await _unlock(request, token, x_link_password, count=True, action=UPLOADED)
    async with form_context(request, owner, row["app_key"], row["form_key"]) as ctx:
        if not ctx.access.can("create"):
            raise LinkGone("The link's owner may no longer create these records.",
                           code="link_owner_not_allowed")
        keys = withheld(ctx.form, ctx.access)
        if file_field(ctx.form, field, keys) is None:
            raise ValidationFailed("The form offers no such file field.", code="invalid_request",
                                   errors=[FieldProblem("field", "not_a_file_field",
                                                        "Not a file field of this form.")])
        params = field_params(ctx.app.definition, row["form_key"], field)
    try:
        stored, sniffed = await _receive(request, row, owner, params, limit)
    except ApiError as error:  # a refused upload counts against the throttle too
        async with transaction(request) as conn:
            await audit(conn, tenant_id=row["tenant_id"], actor_id=None, action=UPLOADED,
                        target_type="public_link", target_id=str(row["id"]), ip=_ip(request),
                        details={"field": field, "refused": error.code})
        raise
    async with transaction(request) as conn:
        await conn.execute(insert(t.files).values(**stored))
        await audit(conn, tenant_id=row["tenant_id"], actor_id=None,
                    action=UPLOADED, target_type="file", target_id=str(stored["id"]),
                    ip=_ip(request), details={"link": str(row["id"]), "field": field,
                                              "size": stored["size"]})
    out = {k: stored[k] for k in ("name", "content_type", "size")}
    out["id"] = str(stored["id"])
    if sniffed.image:
        out["image"] = {"width": sniffed.image["width"], "height": sniffed.image["height"]}
    return out


async def _receive(request: Request, row: Any, owner: Any, params: dict[str, Any],
                   limit: int) -> tuple[dict[str, Any], Any]:
    """The multipart body read, checked (size, emptiness, the field's constraints on the
    sniffed type) and its bytes stored; the `files` row to insert."""
    parsed = await request.form(max_files=1, max_fields=4)
    try:
        upload = parsed.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("Send the file as the multipart part `file`.",
                                   code="invalid_request",
                                   errors=[FieldProblem("file", "missing", "No file part.")])
        if upload.size is not None and upload.size > limit:
            raise _too_large(limit)
        sha, size, sniffed = await asyncio.to_thread(inspect_upload, upload)
        if size > limit:
            raise _too_large(limit)
        stored = file_row(tenant_id=row["tenant_id"], created_by=owner.user_id,
                          name=safe_name(upload.filename), sha=sha, size=size, sniffed=sniffed,
                          public_link=str(row["id"]))
        refuse_misfit(stored, params)
        await asyncio.to_thread(keep_upload, file_storage(request), upload, sha, size)
    finally:
        await parsed.close()
    return stored, sniffed


def _too_large(limit: int) -> ApiError:
    return ApiError(f"Files sent through a public link are at most {limit} bytes.",
                    status=413, code="payload_too_large", title="Payload too large",
                    params={"limit": limit})
