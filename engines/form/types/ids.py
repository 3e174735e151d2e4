"""Fields whose values are ids of things the platform owns: ``member(s)``, ``department(s)``,
``attachment``, ``image``, ``signature``. Relations build on the same middle (relation.py).

Ids are UUIDs. The engine cannot know whether they exist, so validation returns a
``Reference`` per id for the platform to check (and, for files, to check the constraints in
``Reference.params``). A single id is a UUID column; several are a UUID[] column, order kept,
duplicates dropped.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import TypeEngine, Uuid

from engines.form.model import RecordContext, Reference
from engines.form.types.base import Field, FieldType, Invalid


def parse_id(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            pass
    raise Invalid("invalid_id", value=str(value)[:64])


class IdBase(FieldType):
    """One id (``many = False``) or a list of ids, each a reference of ``kind``."""

    kind: ClassVar[str] = ""
    many: ClassVar[bool] = False
    sortable = False  # ordering by an opaque id means nothing to a user

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return ARRAY(Uuid()) if self.many else Uuid()

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None or value == "" or value == []:
            return None
        if not self.many:
            return parse_id(value)
        if not isinstance(value, list | tuple):
            raise Invalid("invalid_type", expected="list of ids")
        ids = list(dict.fromkeys(parse_id(v) for v in value))
        hi = field.get(self.max_prop())
        if hi is not None and len(ids) > hi:
            raise Invalid("too_many_items", max=hi)
        return ids

    def max_prop(self) -> str:
        return "max_items"

    def reference_params(self, field: Field) -> dict[str, Any]:
        return {}

    def reference_form(self, field: Field) -> str | None:
        return None

    def references(self, field: Field, value: Any, path: str) -> list[Reference]:
        if value is None:
            return []
        ids = value if self.many else [value]
        return [
            Reference(path=path if not self.many else f"{path}[{i}]", kind=self.kind, id=v,
                      form=self.reference_form(field), params=self.reference_params(field))
            for i, v in enumerate(ids)
        ]

    def value_schema(self, field: Field) -> dict[str, Any]:
        one = {"type": "string", "format": "uuid"}
        return {"type": "array", "items": one} if self.many else one


class OrgBase(IdBase):
    """Members and departments; ``default_current`` fills in the current user's (department)
    on create."""

    context_attr: ClassVar[str] = ""
    props: ClassVar[dict[str, Any]] = {
        "default_current": {"type": "boolean"},
        "max_items": {"type": "integer", "minimum": 1},
    }

    def dynamic_default(self, field: Field, ctx: RecordContext) -> Any:
        current = getattr(ctx, self.context_attr)
        if not field.get("default_current") or current is None:
            return None
        return [current] if self.many else current


class Member(OrgBase):
    type = "member"
    kind = "user"
    context_attr = "user_id"
    props: ClassVar[dict[str, Any]] = {"default_current": {"type": "boolean"}}


class Members(OrgBase):
    type = "members"
    kind = "user"
    context_attr = "user_id"
    many = True
    multi_valued = True


class Department(OrgBase):
    type = "department"
    kind = "department"
    context_attr = "department_id"
    props: ClassVar[dict[str, Any]] = {"default_current": {"type": "boolean"}}


class Departments(OrgBase):
    type = "departments"
    kind = "department"
    context_attr = "department_id"
    many = True
    multi_valued = True


FILE_PROPS: dict[str, Any] = {
    "max_files": {"type": "integer", "minimum": 1},
    "max_size_mb": {"type": "number", "exclusiveMinimum": 0},
    "accept": {"type": "array", "items": {"type": "string", "minLength": 1}},
}


class FileBase(IdBase):
    """Uploaded files by id. The platform checks each file exists, belongs to the tenant and
    meets ``Reference.params`` (``accept``: MIME types or ``.ext``; ``max_size_mb``;
    ``image``: must be an image)."""

    kind = "file"
    filterable = False
    default_allowed = False
    image: ClassVar[bool] = False
    props: ClassVar[dict[str, Any]] = FILE_PROPS

    def max_prop(self) -> str:
        return "max_files"

    def reference_params(self, field: Field) -> dict[str, Any]:
        params: dict[str, Any] = {"image": True} if self.image else {}
        for prop in ("accept", "max_size_mb"):
            if prop in field:
                params[prop] = field[prop]
        return params


class Attachment(FileBase):
    type = "attachment"
    many = True
    multi_valued = True


class Image(FileBase):
    type = "image"
    many = True
    multi_valued = True
    image = True


class Signature(FileBase):
    """A hand-written signature, saved by the browser as one PNG file."""

    type = "signature"
    image = True
    props: ClassVar[dict[str, Any]] = {}
