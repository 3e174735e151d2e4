"""Expressions over a multiple relation (`links`, an array of ids) and a number (`n`):
shared by the membership-hook tests in tests/unit/rules and tests/integration."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import strategies as st

IDS = [str(uuid.UUID(int=i + 1)) for i in range(4)]
NOT_IDS = ["not-an-id", "", "00000000-0000-0000-0000-00000000000g"]
UNLINKED = str(uuid.UUID(int=99))  # a valid id no record links to

needles = st.sampled_from([*IDS, UNLINKED, *NOT_IDS])
membership = st.builds(lambda needle, key: {"in": [needle, {"var": key}]}, needles,
                       st.sampled_from(["links", "people"]))
number_test = st.builds(lambda op, v: {op: [{"var": "n"}, v]},
                        st.sampled_from(["==", "!=", "<", ">="]), st.sampled_from([0, 1, 2]))
leaves = st.one_of(membership, membership, number_test, st.booleans())

trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda a: {"and": a}),
        st.lists(children, min_size=1, max_size=3).map(lambda a: {"or": a}),
        children.map(lambda a: {"!": [a]}),
        children.map(lambda a: {"!!": [a]}),
        st.tuples(children, children, children).map(lambda a: {"if": list(a)}),
    ),
    max_leaves=8,
)

records = st.lists(
    st.fixed_dictionaries({
        "n": st.one_of(st.none(), st.sampled_from([0, 1, 2])),
        "links": st.lists(st.sampled_from(IDS), unique=True, max_size=4),
        "people": st.lists(st.sampled_from(IDS), unique=True, max_size=2),
    }),
    min_size=1, max_size=10,
)


def membership_leaves(expr: Any) -> list[tuple[str, str]]:
    """Every (needle, key) membership test in `expr`, in tree order."""
    if isinstance(expr, list):
        return [leaf for item in expr for leaf in membership_leaves(item)]
    if not isinstance(expr, dict):
        return []
    (name, args), = expr.items()
    if name == "in" and isinstance(args[1], dict) and "var" in args[1]:
        return [(args[0], args[1]["var"])]
    return membership_leaves(args)
