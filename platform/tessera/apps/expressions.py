"""Formula text of a definition, parsed for the browser.

Definitions may hold expressions as Excel-like formula text (`"SUM(lines.amount)"`); only the
server has the parser (`engines.rules.parse_formula`). The browser's expression module
evaluates trees, so the answers a form page reads a definition from (`GET /apps/{app}`, a
public fill link's `GET /public/{token}`) carry `formula_trees`: each formula text the
definition uses, mapped to its tree. One parser, so the browser computes what the server
stores; keyed by the text itself, so the definition (CONTRACT.md §1) stays exactly as written
and a browser finds the tree of any expression it holds without knowing where it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engines.form import expr

# The field properties a form page evaluates: formula fields, defaults, the three conditions.
EXPRESSION_PROPS = ("formula", "default_formula", "visible_when", "editable_when", "required_when")


def _fields(forms: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for form in forms:
        for field in form.get("fields") or []:
            if not isinstance(field, Mapping):
                continue
            yield field
            for inner in field.get("fields") or []:  # a sub-form's row fields
                if isinstance(inner, Mapping):
                    yield inner


def formula_trees(forms: Iterable[Mapping[str, Any]] | None) -> dict[str, Any]:
    """`{formula text: tree}` for the expressions of `forms`' fields (sub-form rows' too)
    written as text. Parsing goes through `engines.form.expr.to_tree`, whose cache the record
    writes share, so each text is parsed once per process, not once per answer. A text that
    does not parse (a draft, or a definition stored before a check existed) is left out: the
    browser then shows the server's value and the server decides, as before."""
    trees: dict[str, Any] = {}
    if not forms or not expr.available():
        return trees
    for field in _fields(forms):
        for prop in EXPRESSION_PROPS:
            text = field.get(prop)
            if not isinstance(text, str) or text in trees:
                continue
            try:
                trees[text] = expr.to_tree(text)
            except Exception:  # any parse failure: leave this one out
                continue
    return trees
