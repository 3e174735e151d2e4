"""Each field type's `f` (firstpaint.cells, computed, subform): what its editor in the browser
shows for a value, in both languages; a value of a shape the editor would not expect, or a
type the first paint does not draw, raises CannotDraw."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from engines.form import RecordContext
from tessera.firstpaint import computed, subform  # noqa: F401  (register their types)
from tessera.firstpaint.cells import Draw, cell, drawable, localize
from tessera.firstpaint.names import Names
from tessera.firstpaint.templates import CannotDraw, parse

FIXTURE = json.loads((Path(__file__).parent / "templates.fixture.json").read_text("utf-8"))
TEMPLATES = parse(FIXTURE)
NAMES = Names(members={"u1": "王小明"}, departments={"d1": "华东销售部"})


def draw(locale: str = "zh-CN", titles: dict[str, Any] | None = None) -> Draw:
    return Draw(locale=locale, templates=TEMPLATES.of(locale), names=NAMES, titles=titles or {})


def f_of(fdef: dict[str, Any], value: Any, locale: str = "zh-CN", **kwargs: Any) -> dict:
    fdef = {"key": "x", "label": {"zh-CN": "标签", "en": "Label"}, **fdef}
    return cell(fdef, value, draw(locale, kwargs.pop("titles", None)), path=fdef["key"],
                required=kwargs.pop("required", False), disabled=kwargs.pop("disabled", False))


def test_the_common_part() -> None:
    f = f_of({"type": "text", "help": {"en": "Say it"}, "placeholder": {"en": "e.g. hi"}}, "hi",
             locale="en", required=True)
    assert (f["id"], f["test_id"], f["label"], f["help"]) == ("fp-x", "field-x", "Label", "Say it")
    assert f["placeholder"] == "e.g. hi" and f_of({"type": "text"}, None)["placeholder"] == ""
    assert f["required"] and not f["disabled"] and not f["empty"]
    assert f["text"] == "hi" and f["shown"] == ["hi"]
    assert f_of({"type": "text"}, None)["empty"]


def test_labels_fall_back_as_the_browser_does() -> None:
    assert localize({"en-GB": "Colour"}, "en") == "Colour"
    assert localize({"zh-CN": "名称"}, "en") == "名称"
    assert localize({"fr": "Nom"}, "en") == "Nom"
    assert localize("plain", "zh-CN") == "plain"
    assert localize(None, "en") == ""


@pytest.mark.parametrize(("fdef", "value", "prefix", "shown", "suffix"), [
    ({"type": "number"}, 1234.5, "", "1234.5", ""),
    ({"type": "number", "precision": 2}, 1234.5, "", "1234.50", ""),
    ({"type": "number"}, 5, "", "5", ""),
    ({"type": "money"}, 1234567.5, "¥", "1,234,567.50", ""),
    ({"type": "money", "currency": "USD", "precision": 0}, -1234.5, "$", "-1,235", ""),
    ({"type": "percent"}, 0.155, "", "15.5", "%"),
    ({"type": "percent", "precision": 4}, 0.15555, "", "15.55", "%"),
    ({"type": "money"}, None, "¥", "", ""),
])
def test_numbers_as_the_number_editor_shows_them(fdef: dict, value: Any, prefix: str,
                                                 shown: str, suffix: str) -> None:
    f = f_of(fdef, value)
    assert (f["prefix"], f["shown"], f["suffix"]) == (prefix, [shown], suffix)


def test_choices_members_departments_and_relations_show_names() -> None:
    options = [{"value": "a", "label": {"zh-CN": "甲", "en": "A"}}]
    assert f_of({"type": "select", "options": options}, "a", "en")["shown"] == ["A"]
    assert f_of({"type": "multiselect", "options": options}, ["a", "zz"])["shown"] == ["甲", "zz"]
    assert f_of({"type": "select", "options": options}, None)["shown"] == []
    assert f_of({"type": "member"}, "u1")["shown"] == ["王小明"]
    assert f_of({"type": "members"}, ["u1", "gone"])["shown"] == ["王小明", "gone"]
    assert f_of({"type": "department"}, "d1")["shown"] == ["华东销售部"]
    gone = "0123456789"  # a department no longer there: its first eight characters
    assert f_of({"type": "departments"}, ["d1", gone])["shown"] == ["华东销售部", "01234567"]
    related = {"type": "relation", "target": "customer"}
    assert f_of(related, "r1", titles={"x": "华东精密"})["shown"] == ["华东精密"]
    assert f_of(related, "r1")["shown"] == ["r1"]  # no title: the id, as the look-alike does
    # a target form the caller's copy of the app lacks: nothing to pick from
    hidden_target = cell({**related, "key": "x"}, None, replace(draw(), forms=frozenset({"a"})),
                         path="x", required=False, disabled=False)
    assert hidden_target["disabled"]
    with pytest.raises(CannotDraw):
        f_of({"type": "select", "options": options}, 3)


def test_dates_checkbox_rating_files_and_address() -> None:
    assert f_of({"type": "date"}, "2026-11-25")["shown"] == ["2026-11-25"]
    assert f_of({"type": "datetime"}, "2026-11-25T01:30:00Z")["shown"] == ["2026-11-25 09:30"]
    assert f_of({"type": "time"}, "09:30:00")["shown"] == ["09:30"]
    assert f_of({"type": "date"}, None)["shown"] == []
    assert f_of({"type": "checkbox"}, True)["checked"] is True
    assert f_of({"type": "checkbox"}, None)["checked"] is False
    assert f_of({"type": "rating", "max": 5}, 3)["stars"] == 3
    files = f_of({"type": "attachment"}, ["f1", "f2"], "en")["files"]
    assert files == [{"name": "File 1", "url": "/api/v1/files/f1"},
                     {"name": "File 2", "url": "/api/v1/files/f2"}]
    place = {"province": "33", "city": "3301", "district": "330106", "detail": "文三路 1 号"}
    zh = f_of({"type": "address"}, place)
    assert zh["shown"] == ["浙江省 / 杭州市 / 西湖区"] and zh["text"] == "文三路 1 号"
    en = f_of({"type": "address"}, place, "en")
    assert en["shown"] == ["Zhejiang / Hangzhou / Xihu District"]
    with pytest.raises(CannotDraw):
        f_of({"type": "address"}, {"province": "99"})


def test_computed_values_as_the_form_shows_them() -> None:
    formula = {"type": "formula", "formula": "a + b", "result_type": "number", "precision": 2}
    assert f_of(formula, 1234.5)["shown"] == ["1,234.50"]
    assert f_of({**formula, "precision": None}, 0.1 + 0.2)["shown"] == ["0.3"]
    assert f_of({**formula, "result_type": "date"}, "2026-11-05", "en")["shown"] == ["Nov 5, 2026"]
    assert f_of({**formula, "result_type": "checkbox"}, True)["shown"] == ["是"]
    assert f_of({**formula, "result_type": "text"}, "Key account")["shown"] == ["Key account"]
    rollup = {"type": "rollup", "agg": "max"}
    assert f_of(rollup, "2026-11-20", "zh-CN")["shown"] == ["2026年11月20日"]
    assert f_of({"type": "rollup", "agg": "count"}, 0)["shown"] == ["0"]
    empty = f_of(rollup, None)
    assert empty["shown"] == [] and empty["empty"]
    assert f_of({"type": "serial"}, "Q-0001")["shown"] == ["Q-0001"]
    with pytest.raises(CannotDraw):
        f_of({"type": "rollup", "agg": "sum"}, "12345678901234567.5")


LINES = {"key": "lines", "type": "subform", "label": {"en": "Lines"}, "fields": [
    {"key": "product", "type": "relation", "target": "product", "label": {"en": "Product"}},
    {"key": "qty", "type": "number", "label": {"en": "Qty"}, "required": True,
     "help": {"en": "How many"}}]}


def sub_form(fdef: dict[str, Any], rows: Any, *, around: dict[str, Any] | None = None,
             disabled: bool = False) -> dict[str, Any]:
    """The sub-form's `f` with its rows drawn by the templates, as the server sends it."""
    row_draw = replace(draw("en"), around=around or {}, ctx=RecordContext())
    f = cell(fdef, rows, row_draw, path=fdef["key"], required=False, disabled=disabled)
    subform.draw_rows(f, TEMPLATES.of("en"))
    return f


def test_sub_form_columns_and_rows_of_cells_drawn_by_their_own_templates() -> None:
    rows = [{"_id": "r", "product": "p1", "qty": 2, "_titles": {"product": "Widget"}}, {}]
    f = sub_form(LINES, rows)
    assert [(c["label"], c["required"], c["def"]["type"]) for c in f["columns"]] == [
        ("Product", False, "relation"), ("Qty", True, "number")]
    first, second = f["rows"]
    # the grid's cells: the contract's fp- ids, the app's own test ids, bare (no help)
    assert 'data-testid="field-0.product"' in first["grid"][0]
    assert 'id="fp-lines_0_product"' in first["grid"][0] and ">Widget<" in first["grid"][0]
    assert 'id="fp-lines_0_qty"' in first["grid"][1] and "How many" not in first["grid"][1]
    assert 'class="required"' in first["grid"][1]
    # the phone's cards: the same cells, another id prefix, with help
    assert 'id="fpm-lines_1_qty"' in second["card"][1] and "How many" in second["card"][1]
    html = TEMPLATES.of("en").field("subform").render(f=f)
    assert html.count('for="fp-lines_') == 4 and html.count('for="fpm-lines_') == 4
    assert ">Widget<" in html and "<th>Product</th>" in html


def test_a_disabled_sub_form_disables_its_rows() -> None:
    f = sub_form(LINES, [{"qty": 1}], disabled=True)
    assert all(" disabled" in markup for markup in f["rows"][0]["grid"] + f["rows"][0]["card"])
    assert sub_form(LINES, None)["rows"] == [] and sub_form(LINES, [])["empty"]


def test_row_conditions_are_decided_per_row_as_the_browser_does() -> None:
    ruled = {**LINES, "fields": [
        {"key": "kind", "type": "text"},
        {"key": "note", "type": "text", "visible_when": {"==": [{"var": "kind"}, "b"]}},
        {"key": "why", "type": "text", "required_when": {"==": [{"var": "vip"}, True]}},
        {"key": "fixed", "type": "text", "editable_when": {"==": [{"var": "kind"}, "a"]}}]}
    rows = [{"_id": "r1", "kind": "a"}, {"_id": "r2", "kind": "b"}, {"kind": "b"}]
    f = sub_form(ruled, rows, around={"vip": True})
    saved_a, saved_b, unsaved_b = f["rows"]
    assert saved_a["grid"][1] == "" and saved_a["card"][1] == ""  # hidden in its row only
    assert 'id="fp-lines_1_note"' in saved_b["grid"][1]
    assert 'class="required"' in saved_a["grid"][2]  # required_when reads the record
    assert " disabled" not in saved_a["grid"][3] and " disabled" in saved_b["grid"][3]
    assert " disabled" not in unsaved_b["grid"][3]  # editable_when locks saved rows only
    calm = sub_form(ruled, rows, around={"vip": False})
    assert 'class="required"' not in calm["rows"][0]["grid"][2]


def test_a_sub_form_in_a_row_is_not_drawn() -> None:
    nested = {**LINES, "fields": [{"key": "inner", "type": "subform", "fields": []}]}
    with pytest.raises(CannotDraw):
        sub_form(nested, [{}])


@pytest.mark.parametrize("type_key", ["location", "signature", "richtext", "nonsense"])
def test_types_without_a_first_paint(type_key: str) -> None:
    assert not drawable(type_key)
    with pytest.raises(CannotDraw):
        f_of({"type": type_key}, None)


def test_every_fixture_template_renders_its_type() -> None:
    texts = TEMPLATES.of("en")
    for type_key in FIXTURE["locales"]["en"]["fields"]:
        assert drawable(type_key), type_key
        html = texts.field(type_key).render(f=f_of({"type": type_key}, None, "en"))
        assert 'data-testid="field-x"' in html
