"""Which spreadsheet column feeds which field. Pure.

Automatic: a column whose header equals a field's key, or one of its labels in any language
(case, surrounding spaces, a required-marker `*` and a trailing `(必填)` / `(required)`
ignored), maps to that field; the first column wins when two match one field. The caller can
override any of it with `{"<header or 0-based column index>": "<field key>" | null}` (null
skips the column). Only fields the caller may write are offered: importable types
(`convert.importable_type`), not hidden from or read-only for the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tessera.imports.convert import fold, importable_type, label_texts

_MARKERS = re.compile(r"^[*＊]+|[*＊]+$|[(（](必填|必填项|required)[)）]$", re.IGNORECASE)


class MappingProblem(Exception):
    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        super().__init__("; ".join(m for _, _, m in problems))
        self.problems = problems  # (path, code, message)


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str | None
    matched_by: str | None  # "key" | "label" | "user" | None


def normalise_header(text: str) -> str:
    previous = None
    text = text.replace("\u3000", " ").strip()
    while previous != text:
        previous = text
        text = _MARKERS.sub("", text).strip()
    return fold(text)


def importable_fields(form: Mapping[str, Any], hidden: frozenset[str] = frozenset(),
                      readonly: frozenset[str] = frozenset()) -> list[Mapping[str, Any]]:
    return [f for f in form.get("fields") or []
            if importable_type(f) and f["key"] not in hidden and f["key"] not in readonly]


def propose(headers: list[str], fields: list[Mapping[str, Any]]) -> list[Column]:
    by_key = {fold(f["key"]): f["key"] for f in fields}
    by_label: dict[str, str] = {}
    for f in fields:
        for label in label_texts(f.get("label")):
            by_label.setdefault(normalise_header(label), f["key"])
    taken: set[str] = set()
    columns = []
    for index, header in enumerate(headers):
        name = normalise_header(header)
        key, how = by_key.get(fold(header.strip())), "key"
        if key is None:
            key, how = by_label.get(name), "label"
        if key is None or key in taken:
            columns.append(Column(index, header, None, None))
            continue
        taken.add(key)
        columns.append(Column(index, header, key, how))
    return columns


def apply_override(columns: list[Column], override: Mapping[str, Any] | None,
                   fields: list[Mapping[str, Any]]) -> list[Column]:
    """The proposal with the caller's choices applied; problems name `mapping.<column>`."""
    if not override:
        return columns
    allowed = {f["key"] for f in fields}
    by_header = {c.header: c.index for c in columns}
    out = list(columns)
    problems = []
    for name, target in override.items():
        path = f"mapping.{name}"
        if name in by_header:
            index = by_header[name]
        elif str(name).isdigit() and int(name) < len(columns):
            index = int(name)
        else:
            problems.append((path, "unknown_column", f"The file has no column {name!r}."))
            continue
        if target in (None, ""):
            out[index] = Column(index, columns[index].header, None, "user")
        elif target not in allowed:
            problems.append((path, "field_not_importable",
                             f"{target!r} is not a field you can import into."))
        else:
            out[index] = Column(index, columns[index].header, str(target), "user")
    # a field chosen by the caller takes it from a column that only matched automatically
    chosen = {c.field for c in out if c.matched_by == "user" and c.field}
    out = [Column(c.index, c.header, None, None)
           if c.field in chosen and c.matched_by != "user" else c for c in out]
    seen: dict[str, str] = {}
    for c in out:
        if c.field is None:
            continue
        if c.field in seen:
            problems.append((f"mapping.{c.header}", "field_mapped_twice",
                             f"Columns {seen[c.field]!r} and {c.header!r} both feed "
                             f"{c.field!r}."))
        seen[c.field] = c.header
    if problems:
        raise MappingProblem(problems)
    return out
