"""The flags every headless Chromium of Tessera's runs with: the server's print-to-PDF
(`printing/pdf.py`), the browser tests and the browser benchmarks (Debian's build through
Playwright; `playwright install` is never used).

Kept in one place because a flag here changes what the benchmarks measure. Why each flag:

* `--disable-background-networking`, `--disable-component-update`, `--disable-sync`,
  `--no-first-run`: without them Chromium floods the closed network with its own requests
  (FIELD-NOTES.md).
* `--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup`: since Chromium ~140 headless is
  the full browser with hidden windows, and every new window (each Playwright `new_context`,
  i.e. every cold page load of the benchmarks) loads the address bar's suggestion popup, a
  WebUI page of ~30 scripts, in a renderer of its own, *while the page under test loads*. On
  this 2-core machine that took ~250 ms of CPU from the first visit of the page (a trace of
  one cold load of the 200-field form shows `chrome://omnibox-popup.top-chrome/…` fetched and
  evaluated alongside the app). A user's first visit happens in a window that is already open,
  whose popup was loaded when the window opened; the benchmarks must not charge it to the
  page. Measured side by side (docs/performance.md): the 1M list's cold first page 508 → 364
  ms p50, the static HTML baseline's cold load 144 → 96 ms. It also made a print to PDF (a
  new Chromium each time) 625 → 497 ms (median of 5, same run).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

#: what the tests and the benchmarks launch (the debian binary unless TESSERA_CHROMIUM says)
CHROMIUM = os.environ.get("TESSERA_CHROMIUM", "/usr/bin/chromium")
HEADLESS_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
)


@contextlib.contextmanager
def launched() -> Iterator[Any]:
    """A headless Chromium driven by Playwright (a dev dependency, imported here so the server
    never loads it), closed on the way out. Callers check `CHROMIUM` exists first: a missing
    browser is a skipped test to one and a usage error to the other."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(HEADLESS_FLAGS))
        try:
            yield browser
        finally:
            browser.close()
