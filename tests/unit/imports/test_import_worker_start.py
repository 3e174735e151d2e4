"""`CheckedBatches` starts its worker process on entering, off the event loop; a worker that
is already gone then means checking in the job's process, not a failed import."""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ClassVar

import pytest

from tessera.imports import pipeline


class _Dead(ProcessPoolExecutor):
    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_exception(BrokenProcessPool("gone"))
        return future


class _Checker:
    sub_cells: ClassVar[dict[str, Any]] = {}

    def check(self, batch: list[Any]) -> list[Any]:
        return [("checked", item) for item in batch]


async def test_a_worker_lost_before_the_first_batch_leaves_the_file_to_the_job_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", _Dead)
    items = iter([[1, 2], [3]])
    async with pipeline.CheckedBatches(_Checker(), items, processes=True) as checked:  # type: ignore[arg-type]
        assert checked.pool is None
        got = [rows async for rows in checked]
    assert got == [[("checked", 1), ("checked", 2)], [("checked", 3)]]
