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
from dataclasses import dataclass
from typing import Any

from engines.form import expr

# The field properties a form page evaluates: formula fields, defaults, the three conditions.
EXPRESSION_PROPS = ("formula", "default_formula", "visible_when", "editable_when", "required_when")


def _fields(field: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    """A form's field and, for a sub-form, its row fields."""
    yield field
    for inner in field.get("fields") or []:
        if isinstance(inner, Mapping):
            yield inner


def _top_fields(forms: Iterable[Mapping[str, Any]]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for form in forms:
        for field in form.get("fields") or []:
            if isinstance(field, Mapping):
                yield form.get("key", ""), field


def _add_trees(field: Mapping[str, Any], trees: dict[str, Any]) -> None:
    """Put the trees of `field`'s expressions written as text (its rows' too) into `trees`."""
    for f in _fields(field):
        for prop in EXPRESSION_PROPS:
            text = f.get(prop)
            if not isinstance(text, str) or text in trees:
                continue
            try:
                trees[text] = expr.to_tree(text)
            except Exception:  # any parse failure: leave this one out
                continue


def formula_trees(forms: Iterable[Mapping[str, Any]] | None) -> dict[str, Any]:
    """`{formula text: tree}` for the expressions of `forms`' fields (sub-form rows' too)
    written as text. Parsing goes through `engines.form.expr.to_tree`, whose cache the record
    writes share, so each text is parsed once per process, not once per answer. A text that
    does not parse (a draft, or a definition stored before a check existed) is left out: the
    browser then shows the server's value and the server decides, as before."""
    trees: dict[str, Any] = {}
    if not forms or not expr.available():
        return trees
    for _, field in _top_fields(forms):
        _add_trees(field, trees)
    return trees


@dataclass(frozen=True)
class AppTrees:
    """One published version's formula trees, worked out once: a version never changes, so
    the app cache keeps them beside its definition (`AppCache.trees`) and `GET /apps/{app}`
    no longer walks the definition and looks every text up on each answer. A caller who may
    not see every field gets the trees of the fields in their copy of the definition."""

    trees: dict[str, Any]  # {text: tree} of the whole definition
    by_field: dict[tuple[str, str], dict[str, Any]]  # (form, field) -> its texts' trees

    @classmethod
    def of(cls, definition: Mapping[str, Any] | None) -> AppTrees:
        by_field: dict[tuple[str, str], dict[str, Any]] = {}
        if expr.available():
            for form_key, field in _top_fields((definition or {}).get("forms") or []):
                _add_trees(field, own := {})
                if own:
                    by_field[(form_key, field.get("key", ""))] = own
        trees = {text: tree for own in by_field.values() for text, tree in own.items()}
        return cls(trees=trees, by_field=by_field)

    def for_forms(self, forms: Iterable[Mapping[str, Any]] | None) -> dict[str, Any]:
        """The trees of what `forms` hold: the caller's copy of this version's forms (a
        field hidden from them is not in it; a sub-form's row fields go with the sub-form,
        as `for_caller` hides them). Dictionary look-ups only, no parse."""
        out: dict[str, Any] = {}
        for form_key, field in _top_fields(forms or []):
            out.update(self.by_field.get((form_key, field.get("key", "")), {}))
        return out
