"""What a running handler gets besides its payload."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tessera.config import Settings


@dataclass
class JobContext:
    """One run of one job.

    `attempt` is 1 on the first run; a handler that must not repeat a side effect (an e-mail, a
    webhook) checks its own record of having done it rather than trusting `attempt`, because a
    worker can die after the effect and before the job is marked done.
    """

    job_id: uuid.UUID
    tenant_id: uuid.UUID
    kind: str
    attempt: int
    engine: AsyncEngine
    settings: Settings
    created_by: uuid.UUID | None = None
    _should_abort: Callable[[], bool] = field(default=lambda: False, repr=False)

    async def progress(self, done: int, total: int | None = None) -> None:
        """Record progress for `GET /jobs/{id}`; committed at once, outside the handler's work.

        Each call is one small UPDATE: call it every few hundred rows, not for every row.
        `total=None` keeps the total already recorded.
        """
        async with self.engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE jobs SET progress_done = :done,"
                    " progress_total = COALESCE(:total, progress_total)"
                    " WHERE id = :id AND status = 'running'"
                ),
                {"done": done, "total": total, "id": self.job_id},
            )

    def should_abort(self) -> bool:
        """True once the job was cancelled while running: stop at the next safe point."""
        return self._should_abort()
