"""The build's first-paint templates (frontend/dist/first-paint/templates.json, written by
`npm run build`: frontend/scripts/first-paint.mjs) as the server reads them: the format of
docs/first-paint.md §1, and every template compiles and renders under Jinja2 with only the
names of the contract's `f` and `page` (a strict undefined turns any other name into an
error). Skipped where the frontend is not built."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

DIST = Path(__file__).resolve().parents[3] / "frontend" / "dist"
TEMPLATES = DIST / "first-paint" / "templates.json"

pytestmark = pytest.mark.skipif(not TEMPLATES.exists(), reason="the frontend is not built")

ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def load() -> dict[str, Any]:
    return json.loads(TEMPLATES.read_text(encoding="utf-8"))


def field_context(**given: Any) -> dict[str, Any]:
    """Every name of the contract's `f`, as the server always gives them."""
    f = {"id": "fp-x", "test_id": "field-x", "label": "X", "help": "", "placeholder": "",
         "required": False, "disabled": False, "empty": True, "shown": [], "text": "",
         "checked": False, "stars": 0, "prefix": "", "suffix": "", "def": {"key": "x"},
         "rows": [], "files": [], "columns": [], "place": "form"}
    f.update(given)
    return {"f": f}


def test_the_file_has_both_languages_a_page_and_messages() -> None:
    data = load()
    assert data["format"] == 1 and data["breakpoint"] == 768
    assert sorted(data["locales"]) == ["en", "zh-CN"]
    for side in data["locales"].values():
        assert {"text", "number", "select", "date", "checkbox"} <= set(side["fields"])
        assert "form" in side["page"]
        needed = {"form.newTitle", "form.editTitle", "action.save", "action.cancel"}
        assert needed <= set(side["messages"])
    assert set(data["locales"]["en"]["fields"]) == set(data["locales"]["zh-CN"]["fields"])


@pytest.mark.parametrize("filled", [False, True])
def test_every_field_template_renders_with_the_contracts_names_only(filled: bool) -> None:
    given = ({"required": True, "disabled": True, "help": "h", "placeholder": "p", "empty": False,
              "shown": ["a", "b"], "text": "t", "checked": True, "stars": 2,
              "files": [{"name": "File 1", "url": "/api/v1/files/1"}],
              "def": {"key": "x", "max": 3, "max_files": 1, "detail": False, "formula": "a",
                      "default_current": True, "accept": [".pdf"]},
              "columns": [{"label": "C", "required": True, "def": {"key": "c", "type": "text"}}],
              "rows": [{"grid": [Markup("<i>c</i>")], "card": [Markup("<i>c</i>")]}]}
             if filled else {})
    for locale, side in load()["locales"].items():
        for kind, template in side["fields"].items():
            html = ENV.from_string(template).render(field_context(**given))
            assert 'data-testid="field-x"' in html, (locale, kind)


def test_the_page_template_renders_the_fields_it_is_given() -> None:
    for side in load()["locales"].values():
        page = {"app_name": "CRM", "app_href": "/apps/crm", "user_name": "Li", "user_initial": "L",
                "nav": [{"key": "customer", "label": "Customers", "href": "", "selected": True,
                         "links": True, "children": []}],
                "form_name": "Customers", "title": "New", "subtitle": "", "back_href": "",
                "fields": Markup('<div data-testid="field-x"></div>'), "submit_label": "Save",
                "cancel": True}
        html = ENV.from_string(side["page"]["form"]).render(page=page)
        assert '<div data-testid="field-x"></div>' in html
        assert 'data-testid="nav-form-customer"' in html and "<script" not in html.lower()
        assert 'data-testid="nav-links-customer"' in html
