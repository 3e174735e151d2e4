"""The pure side of the import pipeline without a database: a `RowChecker` survives pickling
(it is sent to the worker process) and a batch checked through the worker's function and
unpacked in the job's process gives the rows checking in the job's process gives; the
garbage collector's setting is restored when the last of nested imports ends."""

from __future__ import annotations

import gc
import pickle
import uuid

from engines.form import RecordContext
from tessera.imports import pipeline
from tessera.imports.importer import ImportOptions, RowChecker
from tessera.imports.mapping import Column

FORM = {"key": "deal", "fields": [
    {"key": "title", "type": "text", "required": True},
    {"key": "amount", "type": "money"},
    {"key": "stage", "type": "select", "options": [{"value": "new"}, {"value": "won"}]},
    {"key": "owner", "type": "member"},
    {"key": "place", "type": "address"},
]}
COLUMNS = [Column(i, key, key, "key") for i, key in enumerate(
    ["title", "amount", "stage", "owner", "place"])]
BATCH = [
    (2, ["A", "1.5", "new", None, None]),
    (3, ["B", "abc", "lost", None, None]),         # two engine errors
    (4, [None, "3", None, None, None]),            # required
    (5, ["D", "4", "won", "someone@x.cn", None]),  # a member by e-mail: left for the database
    (6, ["E", "5", None, None, "火星/不存在"]),      # refused by the converter
]


def _checker() -> RowChecker:
    ctx = RecordContext(user_id=uuid.uuid4(), locale="en")
    return RowChecker(FORM, COLUMNS, ImportOptions(), ctx)


def test_a_batch_checked_in_the_worker_unpacks_to_the_rows_checked_here() -> None:
    here = _checker().check(BATCH)
    pipeline._start(pickle.loads(pickle.dumps(_checker())))
    try:
        packed = pickle.loads(pipeline._check(BATCH))
    finally:
        gc.unfreeze()
    there = [pipeline._Checked.unpack(p, item, False) for p, item in zip(packed, BATCH,
                                                                          strict=True)]
    assert [r.checked for r in here] == [True, True, True, False, True]
    for a, b in zip(here, there, strict=True):
        assert (a.number, a.cells, a.errors, a.key, a.unresolved, a.checked) == (
            b.number, b.cells, b.errors, b.key, b.unresolved, b.checked)
        assert (a.result is None) == (b.result is None)
        if a.result is not None and b.result is not None:
            assert (a.result.values, a.result.errors) == (b.result.values, b.result.errors)
        if not a.checked:  # the job's process resolves its references from the input
            assert a.data == b.data
    codes = [(e.row, e.field, e.code) for r in here for e in r.errors]
    assert (3, "amount", "invalid_number") in codes and (4, "title", "required") in codes
    assert (6, "place", "unknown_address") in codes


def test_nested_imports_restore_the_collectors_setting() -> None:
    before = gc.get_threshold()
    pipeline._fewer_collections(True)
    pipeline._fewer_collections(True)
    assert gc.get_threshold()[0] == max(before[0], pipeline.GC_THRESHOLD)
    pipeline._fewer_collections(False)
    assert gc.get_threshold()[0] == max(before[0], pipeline.GC_THRESHOLD)
    pipeline._fewer_collections(False)
    assert gc.get_threshold() == before
