"""Job kinds: one registered handler each, with its retry policy and queue.

A kind is registered at import time with `@job_handler("kind")`. Both the process that enqueues
(to validate the kind and pick its queue) and the worker (to run it) must import the module that
registers it; the worker builds its procrastinate tasks from this registry when it starts.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tessera.jobs.context import JobContext

Handler = Callable[["JobContext", dict[str, Any]], Awaitable[Any]]

_KIND = re.compile(r"^[a-z][a-z0-9_.]{0,99}$")  # procrastinate task names are at most 128 chars
_QUEUE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class UnknownJobKind(LookupError):
    """A job kind nobody registered: a typo, or the module registering it was never imported."""


class JobKindAlreadyRegistered(ValueError):
    """Two handlers for one kind: the second would silently replace the first."""


@dataclass(frozen=True)
class HandlerSpec:
    """What the queue needs to know about one job kind.

    `max_attempts` counts runs, the first included (3 = one run and at most two retries); a run
    cut short by a dead worker counts too, so a job that kills its worker cannot loop forever.
    The wait before retry n is `backoff * 2**(n-1)`, capped at `max_backoff`, plus up to 10%
    jitter so that a burst of failures does not come back as a burst.
    """

    kind: str
    handler: Handler
    max_attempts: int = 5
    backoff: float = 2.0
    max_backoff: float = 600.0
    queue: str = "default"
    priority: int = 0

    def retry_delay(self, attempt: int) -> float:
        """Seconds to wait after failed run number `attempt` (1-based), before jitter."""
        return min(self.backoff * 2 ** max(attempt - 1, 0), self.max_backoff)


_registry: dict[str, HandlerSpec] = {}


def job_handler(
    kind: str,
    *,
    max_attempts: int = 5,
    backoff: float = 2.0,
    max_backoff: float = 600.0,
    queue: str = "default",
    priority: int = 0,
) -> Callable[[Handler], Handler]:
    """Register `async def run(ctx: JobContext, payload: dict) -> dict | None` for `kind`.

    The handler's return value (JSON) is stored in `jobs.result`. Handlers must be idempotent:
    a job runs at least once, and again after a failure or a worker's death.
    """
    if not _KIND.match(kind):
        raise ValueError(f"job kind {kind!r}: expected ^[a-z][a-z0-9_.]{{0,99}}$")
    if not _QUEUE.match(queue):
        raise ValueError(f"job queue {queue!r}: expected ^[a-z][a-z0-9_]{{0,62}}$")
    if max_attempts < 1:
        raise ValueError("max_attempts counts runs and must be at least 1")

    def register(handler: Handler) -> Handler:
        if kind in _registry and _registry[kind].handler is not handler:
            raise JobKindAlreadyRegistered(f"job kind {kind!r} is already registered")
        _registry[kind] = HandlerSpec(
            kind=kind, handler=handler, max_attempts=max_attempts, backoff=backoff,
            max_backoff=max_backoff, queue=queue, priority=priority,
        )
        return handler

    return register


def get_handler(kind: str) -> HandlerSpec:
    try:
        return _registry[kind]
    except KeyError:
        raise UnknownJobKind(f"unknown job kind {kind!r}") from None


def kinds() -> list[str]:
    return sorted(_registry)


def handlers() -> list[HandlerSpec]:
    return [_registry[k] for k in sorted(_registry)]
