"""The page around the fields (firstpaint.page): its place in index.html, the tab's title, the
page's language, and what the shell shows of the user and the record."""

from __future__ import annotations

import pytest

from tessera.firstpaint.page import (
    fill_index,
    initial,
    navigation,
    record_title,
    safe_next,
    seg,
)
from tessera.firstpaint.templates import CannotDraw

INDEX = ('<!doctype html><html lang="zh-CN"><head><script>boot()</script><title>Tessera</title>'
         '</head><body><div id="root"></div></body></html>')


def test_the_drawn_page_goes_before_an_invisible_root() -> None:
    page = fill_index(INDEX, "<form>…</form>", 'crm/"x"', "New · CRM · Tessera", "en")
    assert page == ('<!doctype html><html lang="en"><head><script>boot()</script>'
                    "<title>New · CRM · Tessera</title></head><body>"
                    '<div id="first-paint" data-first-paint="crm/&#34;x&#34;"><form>…</form></div>'
                    '<div id="root" data-first-paint=""></div></body></html>')
    bare = fill_index(INDEX.replace(' lang="zh-CN"', ""), "", "a/b", "<T>", "zh-CN")
    assert '<html lang="zh-CN">' in bare and "<title>&lt;T&gt;</title>" in bare


def test_no_single_root_or_a_drawn_script_is_not_drawn() -> None:
    with pytest.raises(CannotDraw):
        fill_index(INDEX.replace('<div id="root"></div>', ""), "", "a/b", "t", "en")
    with pytest.raises(CannotDraw):
        fill_index(INDEX, "<SCRIPT>x()</SCRIPT>", "a/b", "t", "en")


def test_what_the_shell_and_the_header_show() -> None:
    assert initial("王小明") == "明" and initial(" ada ") == "A" and initial("") == "?"
    assert safe_next("/apps/crm") == "/apps/crm"
    assert safe_next("//evil.example") == "/" and safe_next("https://x") == "/"
    assert seg("a b/c") == "a%20b%2Fc"
    form = {"key": "c", "fields": [{"key": "n", "type": "text"}]}
    assert record_title(form, form["fields"], {"_id": "r1", "n": "Acme"}) == "Acme"
    assert record_title(form, form["fields"], {"_id": "r1", "n": ""}) == "r1"
    assert record_title({**form, "title_field": "no"}, form["fields"], {"_id": "r2"}) == "r2"


def test_the_nav_carries_each_forms_key_and_the_open_forms_links() -> None:
    """FormNav's entries on a first render: a form's test id is built from its key, and the
    public links entry follows the open form only, and only for a caller who manages it."""
    app_def = {"key": "crm", "forms": [{"key": "customer", "name": {"en": "Customers"}},
                                       {"key": "contact", "name": {"en": "Contacts"}}]}
    managed = navigation(app_def, "contact", "en", True)
    assert [(i["key"], i["label"], i["selected"], i["links"]) for i in managed] == [
        ("customer", "Customers", False, False), ("contact", "Contacts", True, True)]
    assert not any(i["links"] for i in navigation(app_def, "contact", "en", False))
