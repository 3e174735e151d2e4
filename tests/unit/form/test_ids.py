from __future__ import annotations

import uuid

import pytest
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Uuid

from engines.form import RecordContext, Reference, table_spec, validate_record
from engines.form.types.base import Invalid
from engines.form.types.ids import Members
from tests.unit.form.examples import ID1, ID2

ME = uuid.UUID(ID1)
CTX = RecordContext(user_id=ME)
FORM = {"key": "ticket", "fields": [
    {"key": "owner", "type": "member", "default_current": True},
    {"key": "watchers", "type": "members", "max_items": 2},
    {"key": "dept", "type": "department"},
    {"key": "files", "type": "attachment", "accept": ["application/pdf"], "max_size_mb": 5},
    {"key": "photos", "type": "image"},
    {"key": "sign", "type": "signature"},
]}


def test_columns() -> None:
    spec = table_spec(FORM)
    assert isinstance(spec.column("owner").type, Uuid)
    assert isinstance(spec.column("watchers").type, ARRAY)
    assert isinstance(spec.column("sign").type, Uuid)


def test_references_for_every_id() -> None:
    result = validate_record(FORM, {"watchers": [ID1, ID2, ID1], "dept": ID2, "files": [ID1],
                                    "photos": [ID2], "sign": ID1}, context=CTX)
    assert result.ok
    assert result.values["watchers"] == [uuid.UUID(ID1), uuid.UUID(ID2)]  # dedup, order kept
    assert result.values["owner"] == ME  # default_current
    refs = {(r.path, r.kind) for r in result.references}
    assert refs == {("owner", "user"), ("watchers[0]", "user"), ("watchers[1]", "user"),
                    ("dept", "department"), ("files[0]", "file"), ("photos[0]", "file"),
                    ("sign", "file")}
    files = next(r for r in result.references if r.path == "files[0]")
    assert files.params == {"accept": ["application/pdf"], "max_size_mb": 5}
    photo = next(r for r in result.references if r.path == "photos[0]")
    assert photo == Reference(path="photos[0]", kind="file", id=uuid.UUID(ID2),
                              params={"image": True})


def test_bad_ids_and_limits() -> None:
    result = validate_record(FORM, {"dept": "42", "watchers": [ID1, ID2, str(uuid.uuid4())]},
                             context=CTX)
    assert {(e.path, e.code) for e in result.errors} == {("dept", "invalid_id"),
                                                        ("watchers", "too_many_items")}
    with pytest.raises(Invalid, match="invalid_type"):
        Members().normalise({}, ID1, CTX)
