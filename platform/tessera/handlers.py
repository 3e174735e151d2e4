"""Importing this module registers every job handler of the platform with the queue.

The worker (in-process or `tessera worker`) imports it before it starts, so a job kind is
known wherever jobs may run.
"""

from tessera.imports import jobs as import_jobs  # noqa: F401
from tessera.storage import convert  # noqa: F401
