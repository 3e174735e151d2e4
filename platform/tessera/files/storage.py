"""Where file bytes live: a small `FileStorage` protocol and its local-disk implementation.

Keys are opaque to callers; the service makes them content-addressed (`sha256/ab/<hex>`), so
the same bytes uploaded twice are stored once and a stored blob never changes. An S3 or
MinIO implementation only has to provide the same four methods.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol


class FileStorage(Protocol):
    def put(self, key: str, source: BinaryIO) -> None:
        """Store the stream under `key` (atomically: readers see all of it or nothing)."""

    def open(self, key: str) -> BinaryIO:
        """Open the stored bytes for reading; FileNotFoundError when missing."""

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove the bytes; a missing key is not an error."""


class LocalFileStorage:
    """Files under one directory (Settings.data_dir / "files"), written to a temporary file
    in the same directory tree and renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()) or not key:
            raise ValueError(f"bad storage key {key!r}")
        return path

    def put(self, key: str, source: BinaryIO) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
            os.replace(tmp, path)
        except BaseException:
            with_suppress_unlink(tmp)
            raise

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        with_suppress_unlink(str(self._path(key)))


def with_suppress_unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
