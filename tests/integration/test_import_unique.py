"""All-or-nothing imports write a batch without asking the table about its unique values
first (`Importer._optimistic`): the unique index refuses a taken value, the batch goes back
to its savepoint and is checked as before. The outcome — errors, their order, counts,
records, history and error report — must be the one the checking-first path gives, in both
modes (good-rows mode always checks first), for a value taken in the table in a later batch,
a value repeated across batches, and a file with no bad row."""

from __future__ import annotations

from typing import Any

import pytest

from tessera.imports import importer, jobs
from tests.integration.test_import_processes import outcome, settings, stock_apps

__all__ = ["settings"]  # the in-process worker, as for the other import tests
KEYS = ("pua", "pub", "puc", "pud", "pue", "puf")
TAKEN = [
    ["U-1", "10", "1", "", ""], ["U-2", "20", "2", "", ""], ["U-3", "30", "3", "", ""],
    ["U-4", "40", "4", "", ""], ["P-EXIST", "50", "5", "", ""],  # taken in the table
    ["U-6", "60", "6", "", ""],
    ["U-7", "70", "7", "", ""], ["U-2", "80", "8", "", ""],  # repeats row 3
    ["U-9", "90", "9", "", ""], ["U-10", "100", "10", "", ""],
]
GOOD = [[f"G-{i}", str(i), str(i), "", ""] for i in range(1, 8)]


@pytest.fixture(scope="module", autouse=True)
async def apps(admin) -> None:  # type: ignore[no-untyped-def]
    await stock_apps(admin, KEYS)


class _Checks:
    """Counts the table checks of unique values (`Importer._check_unique`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        check = importer.Importer._check_unique

        async def counted(this: Any, conn: Any, rows: Any) -> None:
            self.calls += 1
            await check(this, conn, rows)

        monkeypatch.setattr(importer.Importer, "_check_unique", counted)


@pytest.mark.parametrize("atomic", [True, False], ids=["all-or-nothing", "good-rows"])
async def test_writing_first_reports_what_checking_first_reports(admin, settings, monkeypatch,
                                                                 atomic: bool) -> None:
    monkeypatch.setattr(jobs, "BATCH", 3)
    checks = _Checks(monkeypatch)
    first, second = KEYS[:2] if atomic else KEYS[2:4]
    monkeypatch.setattr(importer, "OPTIMISTIC_UNIQUE", False)
    expected = await outcome(admin, settings, first, atomic=atomic, rows=TAKEN)
    assert checks.calls == 4  # every batch checked first
    monkeypatch.setattr(importer, "OPTIMISTIC_UNIQUE", True)
    checks.calls = 0
    got = await outcome(admin, settings, second, atomic=atomic, rows=TAKEN)
    assert got == expected
    codes = [(e["row"], e["code"]) for e in expected["result"]["errors"]]
    assert codes == [(6, "duplicate_value"), (9, "duplicate_in_file")]
    if atomic:
        # batch 1 written unchecked; batch 2 refused by the index, then checked; then every
        # batch is checked (nothing more is written)
        assert checks.calls == 3
        assert expected["status"] == "failed"
        assert [r[0] for r in expected["records"]] == ["P-EXIST"]
    else:
        assert checks.calls == 4
        assert expected["result"]["inserted"] == 8


async def test_a_file_with_no_bad_row_is_written_without_checking_the_table(
        admin, settings, monkeypatch) -> None:
    monkeypatch.setattr(jobs, "BATCH", 3)
    checks = _Checks(monkeypatch)
    monkeypatch.setattr(importer, "OPTIMISTIC_UNIQUE", False)
    expected = await outcome(admin, settings, KEYS[4], atomic=True, rows=GOOD)
    monkeypatch.setattr(importer, "OPTIMISTIC_UNIQUE", True)
    checks.calls = 0
    got = await outcome(admin, settings, KEYS[5], atomic=True, rows=GOOD)
    assert got == expected and checks.calls == 0
    assert got["status"] == "succeeded" and got["result"]["inserted"] == 7
    assert [h for _t, h in got["history"]] == [[("import", 1)]] * 7 + [[("create", 1)]]
