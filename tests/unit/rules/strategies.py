"""Hypothesis strategies shared by the expression property tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from engines.rules import OPERATORS


def operator_nodes(
    children: st.SearchStrategy[Any], names: Iterable[str], *, extra: int = 3
) -> st.SearchStrategy[Any]:
    """`{name: [child, ...]}` for one of `names`, with an argument count the operator takes
    (up to `extra` more than its minimum when it takes any number)."""

    def build(name: str) -> st.SearchStrategy[Any]:
        op = OPERATORS.get(name)
        high = op.max_args if op.max_args is not None else op.min_args + extra
        return st.lists(children, min_size=op.min_args, max_size=high).map(lambda a: {name: a})

    return st.sampled_from(sorted(names)).flatmap(build)


def database_settings(examples: int) -> settings:
    """Settings for property tests that use the module's database fixture. Derandomized, so
    CI runs the same examples every time; explore by raising `examples` locally (tens of
    thousands passed while the compiler was written)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
