"""A file of the front end's build, and what the server derives from it.

`index.html` (its CSP hashes, its text) and the first paint's templates are read from the build
on disk, and derived once per build: a rebuild while the server runs is picked up (the file's
modification time and size are checked on each use, one `stat`), and nothing is parsed again
on requests in between.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class BuildFile(Generic[T]):
    """`derive(text)` of the file at `path`, derived again only when the file has changed."""

    def __init__(self, path: Path, derive: Callable[[str], T]) -> None:
        self.path = path
        self._derive = derive
        self._stamp: tuple[int, int] | None = None
        self._value: T

    def get(self) -> T:
        """The value for the file as it is now; OSError when it cannot be read."""
        stat = self.path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            self._value = self._derive(self.path.read_text(encoding="utf-8"))
            self._stamp = stamp
        return self._value
