"""`page.public` of the build (frontend/dist/first-paint/templates.json) filled with the
server's own context (`firstpaint.public.public_context`): every name the template reads is one
the server gives (a strict undefined turns any other into an error), the page is PublicFormPage's
(no shell), the texts escaped, the description and the link's "open until" only when there is
one, Submit spaced as antd spaces two Chinese characters. Skipped where the frontend is not
built."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from tessera.firstpaint.public import public_context
from tessera.firstpaint.templates import parse

TEMPLATES = Path(__file__).resolve().parents[3] / "frontend" / "dist" / "first-paint" \
    / "templates.json"

pytestmark = pytest.mark.skipif(not TEMPLATES.exists(), reason="the frontend is not built")


@pytest.mark.parametrize(("locale", "submit"), [("zh-CN", "<span>提 交</span>"),
                                                ("en", "<span>Submit</span>")])
@pytest.mark.parametrize(("description", "open_until"), [("Tell us <who>", ""),
                                                        ("", "Open until Feb 3, 2031 04:05")])
def test_the_public_page_renders_the_servers_context(locale: str, submit: str,
                                                     description: str, open_until: str) -> None:
    texts = parse(json.loads(TEMPLATES.read_text(encoding="utf-8"))).of(locale)
    texts.env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    cell = '<div data-testid="field-x"><input id="fp-x"></div>'
    html = texts.page("public").render(page=public_context(
        texts, "Events & co", "Sign <up>", description, open_until, [Markup(cell)]))
    assert 'data-testid="public-page"' in html and 'data-testid="language-switch"' in html
    assert html.count(cell) == 1 and submit in html
    assert "Events &amp; co" in html and "Sign &lt;up&gt;" in html
    assert ("Tell us &lt;who&gt;" in html) is bool(description)
    assert ("Open until Feb 3, 2031 04:05" in html) is bool(open_until)
    assert "<script" not in html.lower() and "nav-form-" not in html
