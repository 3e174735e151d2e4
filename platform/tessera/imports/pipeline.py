"""Checking the next batches of a big import in a worker process while the job writes the
current one.

An import is bound by Python CPU on one core (converting and validating ~20 µs a row, the
database work and reading the file the rest), and a thread cannot help: the GIL serialises
it with the writing (tried: +4 %). So for big files (`PROCESS_ROWS`), `CheckedBatches` hands
each batch to one worker process, which runs the same `RowChecker.check` the job would run
itself, up to `AHEAD` batches ahead of the batch the job is writing; memory stays at a few
batches whatever the file's size. The job's process reads the file (it keeps every row's
cells for errors found later and for the error report), so only the cells go to the worker
and only what checking adds comes back (`_Checked`): no cells and no JSON input, which the
job's process no longer needs for a checked row.

The outcome is the one the job gets without a worker: the same rows in the same order,
the same `Row`s (`RowChecker.check` is the one code path), and a file problem met while
reading ahead is raised when the job reaches that batch, as it would have been.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import structlog

from tessera.imports.importer import Row, RowChecker, paused_gc

log = structlog.get_logger("tessera.imports")
PROCESS_ROWS = 20_000  # files with fewer (estimated) rows are checked in the job's process
AHEAD = 2  # batches checked ahead of the one being written, per worker process
WORKERS = 1  # worker processes checking batches

_checker: RowChecker | None = None  # the worker process's checker


GC_THRESHOLD = 100_000  # allocations between young collections while an import runs
_quieted = 0  # imports running in this process under `_fewer_collections`
_saved_threshold: tuple[int, int, int] = (700, 10, 10)


def _fewer_collections(enter: bool) -> None:
    """While imports run, the young generation is collected every `GC_THRESHOLD` allocations
    instead of 700. A batch's rows live through its database work, so they kept reaching the
    old generation and set off full collections of the whole process: measured on 200k rows,
    40 full collections took 11.7 s of a 45 s import. Cycles are still collected, later;
    the setting is the process's, so it is restored when the last import in it ends."""
    global _quieted, _saved_threshold
    if enter:
        if _quieted == 0:
            _saved_threshold = gc.get_threshold()
            first, *rest = _saved_threshold
            gc.set_threshold(max(first, GC_THRESHOLD), *rest)
        _quieted += 1
    else:
        _quieted -= 1
        if _quieted == 0:
            gc.set_threshold(*_saved_threshold)


def use_processes(estimated_rows: int | None) -> bool:
    """Worth a worker process: a big file (starting one costs ~1 s) and a second core."""
    return (estimated_rows is not None and estimated_rows >= PROCESS_ROWS
            and (os.cpu_count() or 1) >= 2)


def _start(checker: RowChecker) -> None:
    """The worker's set-up: its checker, and what it has imported kept out of the garbage
    collector's full scans (`gc.freeze`: this process only ever checks batches)."""
    global _checker
    _checker = checker
    gc.freeze()


def _ready() -> None:
    """Nothing: run once so that the worker is up before the first batch."""


def _check(batch: list[tuple[Any, ...]]) -> bytes:
    """In the worker: the batch checked, each row without what the job's process has,
    pickled here (not by the executor's thread in the job's process) so that the job's
    process unpickles it under `paused_gc`."""
    assert _checker is not None
    rows = _checker.check(batch)
    with paused_gc():
        return pickle.dumps([_Checked.pack(row) for row in rows], pickle.HIGHEST_PROTOCOL)


class _Checked:
    """A checked `Row` on its way back from the worker: its fields but the cells (the job's
    process has them) and, for a checked row, the JSON input (consumed by validation)."""

    @staticmethod
    def pack(row: Row) -> tuple[Any, ...]:
        return (row.number, None if row.checked else row.data, row.errors, row.key,
                row.result, row.unresolved, row.sub_numbers, row.checked)

    @staticmethod
    def unpack(packed: tuple[Any, ...], item: tuple[Any, ...], grouped: bool) -> Row:
        number, data, errors, key, result, unresolved, sub_numbers, checked = packed
        return Row(number, item[1], data if data is not None else {}, errors, key,
                   result=result, unresolved=unresolved,
                   extra=(item[2] or []) if grouped else [], sub_numbers=sub_numbers,
                   checked=checked)


class CheckedBatches:
    """`async with CheckedBatches(checker, batches, processes=…) as checked:` then
    `async for rows in checked:` — each batch as `checker.check` makes it, checked in a
    worker process ahead of time when `processes`. Leaving the block (end, error,
    cancellation) shuts the worker down."""

    def __init__(self, checker: RowChecker, items: Iterator[list[tuple[Any, ...]]], *,
                 processes: bool) -> None:
        self.checker, self.items, self.processes = checker, items, processes
        self.pool: ProcessPoolExecutor | None = None

    async def __aenter__(self) -> CheckedBatches:
        _fewer_collections(True)
        if self.processes:
            try:
                context = multiprocessing.get_context("forkserver")
                # a forked server that has imported the importer starts each worker quickly
                context.set_forkserver_preload([__name__])
                self.pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=context,
                                                initializer=_start, initargs=(self.checker,))
                await asyncio.to_thread(self._warm)
            except BaseException:
                _fewer_collections(False)
                raise
        return self

    def _warm(self) -> None:
        """Start the worker now, in a thread: starting the forkserver and the worker blocks
        the caller ~1 s (the worker imports the importer), which on the event loop held
        every request. A worker lost already leaves the batches to the job's process."""
        assert self.pool is not None
        try:
            self.pool.submit(_ready).result()
        except BrokenProcessPool:
            log.warning("import.worker_lost", batches_left=None)
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    async def __aexit__(self, *exc: object) -> None:
        _fewer_collections(False)
        if self.pool is not None:
            # the worker ends after the batch it is on (~0.1 s); nothing waits for it
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def __aiter__(self) -> AsyncIterator[list[Row]]:
        return self._in_process() if self.pool is None else self._ahead(self.pool)

    def _next(self) -> list[tuple[Any, ...]] | None:
        """The next batch read from the file (a list of cells per row: `paused_gc`)."""
        with paused_gc():
            return next(self.items, None)

    def _next_checked(self) -> list[Row] | None:
        batch = self._next()
        return None if batch is None else self.checker.check(batch)

    async def _in_process(self) -> AsyncIterator[list[Row]]:
        # reading and checking a batch (~0.1 s of CPU) runs in a thread, not on the event
        # loop `tessera serve` answers requests on
        while (rows := await asyncio.to_thread(self._next_checked)) is not None:
            yield rows

    @staticmethod
    def _unpack(packed: bytes, batch: list[tuple[Any, ...]], grouped: bool) -> list[Row]:
        with paused_gc():
            return [_Checked.unpack(p, item, grouped)
                    for p, item in zip(pickle.loads(packed), batch, strict=True)]

    async def _ahead(self, pool: ProcessPoolExecutor) -> AsyncIterator[list[Row]]:
        loop = asyncio.get_running_loop()
        grouped = bool(self.checker.sub_cells)
        queue: deque[tuple[list[tuple[Any, ...]], Future[Any] | None, BaseException | None]]
        queue = deque()

        async def submit() -> bool:
            try:  # read in a thread: the event loop keeps answering requests meanwhile
                batch = await asyncio.to_thread(self._next)
            except Exception as exc:  # a file problem: raised when the job gets there
                queue.append(([], None, exc))
                return False
            if batch is None:
                return False
            queue.append((batch, loop.run_in_executor(pool, _check, batch), None))
            return True

        more = True
        for _ in range(AHEAD * WORKERS):
            if not (more := await submit()):
                break
        while queue:
            batch, future, problem = queue.popleft()
            if problem is not None:
                raise problem
            assert future is not None
            try:
                packed = await future
            except BrokenProcessPool:  # the worker died (killed, out of memory …)
                log.warning("import.worker_lost", batches_left=len(queue) + 1)
                async for rows in self._instead(batch, queue):
                    yield rows
                return
            if more:
                more = await submit()
            yield await asyncio.to_thread(self._unpack, packed, batch, grouped)

    async def _instead(self, batch: list[tuple[Any, ...]],
                       queue: deque[tuple[list[tuple[Any, ...]], Future[Any] | None,
                                          BaseException | None]]) -> AsyncIterator[list[Row]]:
        """After losing the worker: the batch it had, those read ahead and the rest of the
        file checked in the job's process, so the import ends as it would have anyway."""
        yield await asyncio.to_thread(self.checker.check, batch)
        while queue:
            ahead, future, problem = queue.popleft()
            if future is not None:  # failed with the pool: nobody reads its exception
                future.add_done_callback(lambda f: f.cancelled() or f.exception())
            if problem is not None:
                raise problem
            yield await asyncio.to_thread(self.checker.check, ahead)
        async for rows in self._in_process():
            yield rows
