"""Which spreadsheet column feeds which field. Pure.

Sub-form fields are columns of their own, `<sub-form>.<field>` by key (`items.qty`) or by
label in one language (`明细.数量`, `Items.Quantity`); the importer groups the file's rows
into records (`importer.Importer.group`).

Automatic: a column whose header equals a field's key, or one of its labels in any language
(case, surrounding spaces, a required-marker `*` and a trailing `(必填)` / `(required)`
ignored), maps to that field; the first column wins when two match one field. The caller can
override any of it with `{"<header or 0-based column index>": "<field key>" | null}` (null
skips the column). Only fields the caller may write are offered: importable types
(`convert.importable_type`), not hidden from or read-only for the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tessera.imports.convert import FILE_TYPES, fold, importable_type, label_texts

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
    note: str | None = None  # why a column that names a field is not imported


def normalise_header(text: str) -> str:
    previous = None
    text = text.replace("\u3000", " ").strip()
    while previous != text:
        previous = text
        text = _MARKERS.sub("", text).strip()
    return fold(text)


def joined_label(sub: Any, child: Any, sub_key: str, child_key: str) -> dict[str, str]:
    """`明细` + `数量` -> `明细.数量` per language (a language one side lacks borrows the
    other's first text)."""
    sub_map = sub if isinstance(sub, Mapping) else {"": sub or sub_key}
    child_map = child if isinstance(child, Mapping) else {"": child or child_key}
    sub_any = next((str(v) for v in sub_map.values() if v), sub_key)
    child_any = next((str(v) for v in child_map.values() if v), child_key)
    locales = [k for k in {**sub_map, **child_map} if k]
    return {loc: f"{sub_map.get(loc) or sub_any}.{child_map.get(loc) or child_any}"
            for loc in locales} or {"en": f"{sub_any}.{child_any}"}


def subform_columns(sub: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A sub-form's importable fields as pseudo-fields keyed `<sub-form>.<field>`, each with
    `subform` and `child` (the sub-form field's own key) for the importer."""
    return [{**child, "key": f"{sub['key']}.{child['key']}", "subform": sub["key"],
             "child": child["key"],
             "label": joined_label(sub.get("label"), child.get("label"), sub["key"], child["key"])}
            for child in sub.get("fields") or [] if importable_type(child)]


def importable_fields(form: Mapping[str, Any], hidden: frozenset[str] = frozenset(),
                      readonly: frozenset[str] = frozenset()) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for f in form.get("fields") or []:
        if f["key"] in hidden or f["key"] in readonly:
            continue
        if f.get("type") == "subform":
            out += subform_columns(f)
        elif importable_type(f):
            out.append(f)
    return out


def file_fields(form: Mapping[str, Any], hidden: frozenset[str] = frozenset()
                ) -> list[Mapping[str, Any]]:
    """File fields (a sub-form's as `<sub-form>.<field>`): a column naming one is refused with
    `files_not_importable`, not silently left out."""
    out: list[Mapping[str, Any]] = []
    for f in form.get("fields") or []:
        if f["key"] in hidden:
            continue
        if f.get("type") in FILE_TYPES:
            out.append(f)
        elif f.get("type") == "subform":
            out += [{**c, "key": f"{f['key']}.{c['key']}",
                     "label": joined_label(f.get("label"), c.get("label"), f["key"], c["key"])}
                    for c in f.get("fields") or [] if c.get("type") in FILE_TYPES]
    return out


def _index(fields: list[Mapping[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    by_key = {fold(f["key"]): f["key"] for f in fields}
    by_label: dict[str, str] = {}
    for f in fields:
        for label in label_texts(f.get("label")):
            by_label.setdefault(normalise_header(label), f["key"])
    return by_key, by_label


def propose(headers: list[str], fields: list[Mapping[str, Any]],
            files: Sequence[Mapping[str, Any]] = ()) -> list[Column]:
    by_key, by_label = _index(fields)
    file_key, file_label = _index(list(files))
    taken: set[str] = set()
    columns = []
    for index, header in enumerate(headers):
        name = normalise_header(header)
        key, how = by_key.get(fold(header.strip())), "key"
        if key is None:
            key, how = by_label.get(name), "label"
        if key is None or key in taken:
            refused = key is None and (fold(header.strip()) in file_key or name in file_label)
            columns.append(Column(index, header, None, None,
                                  "files_not_importable" if refused else None))
            continue
        taken.add(key)
        columns.append(Column(index, header, key, how))
    return columns


def apply_override(columns: list[Column], override: Mapping[str, Any] | None,
                   fields: list[Mapping[str, Any]],
                   files: Sequence[Mapping[str, Any]] = ()) -> list[Column]:
    """The proposal with the caller's choices applied; problems name `mapping.<column>`."""
    if not override:
        return columns
    allowed = {f["key"] for f in fields}
    file_keys = {f["key"] for f in files}
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
        elif target in file_keys:
            problems.append((path, "files_not_importable",
                             "Files (attachments, images, signatures) can't be imported from a "
                             "spreadsheet."))
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
