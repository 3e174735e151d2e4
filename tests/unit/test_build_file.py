"""BuildFile derives once per version of the file: a rebuild is picked up, requests between
rebuilds parse nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tessera.api.build_file import BuildFile


def test_derives_once_per_version_of_the_file(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("one", encoding="utf-8")
    calls: list[str] = []
    built = BuildFile(page, lambda text: calls.append(text) or text.upper())
    assert built.get() == "ONE" and built.get() == "ONE"
    assert calls == ["one"]
    page.write_text("two!", encoding="utf-8")  # a rebuild: another size
    os.utime(page, ns=(1, 1))  # and another time, even within the clock's resolution
    assert built.get() == "TWO!"
    assert calls == ["one", "two!"]


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        BuildFile(tmp_path / "missing.json", str).get()
