"""Every schema-plan step code the server can send is worded in both browser languages with the
same `{param}` names, so a new step code cannot reach the publish dialog untranslated."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tessera.apps.removed_roles import STEP_OP, STEP_TEXT
from tessera.storage.planner import STEP_TEXTS, step

# every code a plan step can carry: the table changes and the roles a publish drops
CODES = {**STEP_TEXTS, STEP_OP: STEP_TEXT}

MESSAGES = Path(__file__).parents[2] / "frontend" / "src" / "i18n" / "messages.shell.ts"
ENTRY = re.compile(r"'plan\.step\.(\w+)':\s*\n?\s*(\"[^\"]*\"|'[^']*')", re.M)


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    source = MESSAGES.read_text(encoding="utf-8")
    en, zh = source.split("export const shellZh")
    return ({k: v[1:-1] for k, v in ENTRY.findall(en)}, {k: v[1:-1] for k, v in ENTRY.findall(zh)})


def _names(template: str) -> set[str]:
    """`{name}` and `{name, plural, …}` placeholders (the plural's `{# row}` arms are not)."""
    return set(re.findall(r"\{(\w+)[,}]", template))


@pytest.mark.parametrize("code", sorted(CODES))
def test_step_code_is_worded_in_both_languages(code: str) -> None:
    en, zh = _tables()
    server = {name for _, name, _, _ in string.Formatter().parse(CODES[code]) if name}
    assert _names(en[code]) == server
    assert _names(zh[code]) == server


def test_no_browser_text_for_a_code_the_server_lacks() -> None:
    en, zh = _tables()
    assert set(en) == set(zh) == set(CODES)


def test_step_words_its_description_from_the_code() -> None:
    made = step("change_index", "crm__customer", "index", "build_index", {"column": "name"},
                field="name")
    assert made.description == "builds the index of name"
    assert made.public()["code"] == "build_index"
    assert made.public()["params"] == {"column": "name"}
