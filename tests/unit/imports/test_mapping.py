"""Column mapping: automatic by key or label (any language, markers ignored), the caller's
override, and problems named by column."""

from __future__ import annotations

import pytest

from tessera.imports.mapping import (
    MappingProblem,
    apply_override,
    importable_fields,
    normalise_header,
    propose,
)

FORM = {"key": "deal", "fields": [
    {"key": "title", "type": "text", "label": {"zh-CN": "标题", "en": "Title"}},
    {"key": "amount", "type": "money", "label": {"zh-CN": "金额", "en": "Amount"}},
    {"key": "secret", "type": "text", "label": {"zh-CN": "备注"}},
    {"key": "total", "type": "formula", "formula": {"var": "amount"}, "label": {"en": "Total"}},
    {"key": "items", "type": "subform", "fields": [], "label": {"en": "Items"}},
]}


def test_headers_match_keys_and_labels_ignoring_markers() -> None:
    assert normalise_header(" *标题（必填）") == "标题"
    assert normalise_header("Amount (required)") == "amount"
    fields = importable_fields(FORM)
    columns = propose(["*标题", "AMOUNT", "Total", "items", "其他", "金额"], fields)
    assert [(c.header, c.field, c.matched_by) for c in columns] == [
        ("*标题", "title", "label"), ("AMOUNT", "amount", "key"), ("Total", None, None),
        ("items", None, None), ("其他", None, None), ("金额", None, None)]


def test_hidden_and_readonly_fields_are_never_offered() -> None:
    keys = {f["key"] for f in importable_fields(FORM, frozenset({"secret"}),
                                                frozenset({"amount"}))}
    assert keys == {"title"}


def test_override_by_header_or_index_moves_and_skips_columns() -> None:
    fields = importable_fields(FORM)
    columns = propose(["标题", "钱", "备注"], fields)
    mapped = apply_override(columns, {"钱": "amount", "2": None}, fields)
    assert [(c.field, c.matched_by) for c in mapped] == [
        ("title", "label"), ("amount", "user"), (None, "user")]
    # choosing a field for another column takes it from the automatic match
    moved = apply_override(columns, {"备注": "title"}, fields)
    assert [c.field for c in moved] == [None, None, "title"]


def test_override_problems_name_the_column() -> None:
    fields = importable_fields(FORM, frozenset({"secret"}))
    columns = propose(["标题", "钱"], fields)
    with pytest.raises(MappingProblem) as caught:
        apply_override(columns, {"nope": "title", "钱": "secret", "9": "amount"}, fields)
    assert [(p, c) for p, c, _ in caught.value.problems] == [
        ("mapping.nope", "unknown_column"), ("mapping.钱", "field_not_importable"),
        ("mapping.9", "unknown_column")]
    with pytest.raises(MappingProblem) as twice:
        apply_override(columns, {"钱": "title", "标题": "title"}, fields)
    assert twice.value.problems[0][1] == "field_mapped_twice"
