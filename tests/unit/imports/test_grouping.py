"""Folding file rows into records with sub-form rows (`importer.group_rows`): empty record
cells continue a record, a repeated key continues it, anything else starts the next one; no
row is lost or reordered."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from tessera.imports.importer import group_rows

# columns: 0 = order no. (the key), 1 = customer, 2 = item, 3 = qty
ROWS = [
    (2, ["HT-1", "华为", "螺丝", 2]),
    (3, [None, "  ", "螺母", 3]),       # record cells empty (merged cells read this way)
    (4, ["HT-1", None, "垫片", 1]),     # the key repeated
    (5, ["HT-2", "腾讯", "螺丝", 1]),
    (6, ["HT-3", "腾讯", None, None]),
]


def shape(records: list) -> list[tuple[int, list[int]]]:
    return [(number, [n for n, _cells in more]) for number, _cells, more in records]


def test_empty_or_repeated_key_cells_continue_the_record() -> None:
    assert shape(list(group_rows(ROWS, [0, 1], 0))) == [(2, [3, 4]), (5, []), (6, [])]


def test_without_a_key_all_record_cells_must_repeat() -> None:
    assert shape(list(group_rows(ROWS, [0, 1], None))) == [(2, [3]), (4, []), (5, []),
                                                          (6, [])]
    same = [(2, ["A", "x", 1]), (3, ["A", "x", 2]), (4, ["A", "y", 3])]
    assert shape(list(group_rows(same, [0, 1], None))) == [(2, [3]), (4, [])]


def test_a_first_row_with_empty_record_cells_still_starts_a_record() -> None:
    assert shape(list(group_rows([(2, [None, None, "x"]), (3, [None, None, "y"])], [0, 1],
                                 0))) == [(2, [3])]


cell = st.one_of(st.none(), st.sampled_from(["", "A", "B", "C"]))


@given(st.lists(st.lists(cell, min_size=3, max_size=3), max_size=30),
       st.sampled_from([None, 0, 1]))
def test_no_row_is_lost_or_reordered_and_records_start_where_the_record_changes(
        table: list[list], key: int | None) -> None:
    rows = [(i + 2, cells) for i, cells in enumerate(table)]
    records = list(group_rows(rows, [0, 1], key))
    assert [(n, c) for number, cells, more in records
            for n, c in [(number, cells), *more]] == rows
    def continues(first: list, row: list) -> bool:
        head, mine = [(c or None) for c in first[:2]], [(c or None) for c in row[:2]]
        return mine == [None, None] or (
            mine == head if key is None else mine[key] is not None and mine[key] == head[key])

    for _number, cells, more in records:
        assert all(continues(cells, other) for _n, other in more)
    for before, after in itertools.pairwise(records):
        assert not continues(before[1], after[1])
