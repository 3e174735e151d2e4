"""HTML -> PDF with headless Chromium (Debian's `chromium`; `make test` installs it with
fonts-noto-cjk for Chinese text). Each render uses a fresh profile in a temporary directory and
the flags that keep Chromium off the network and from loading its own UI (headless_chromium)."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from pathlib import Path

from tessera.headless_chromium import HEADLESS_FLAGS

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (*HEADLESS_FLAGS, "--disable-extensions", "--disable-dev-shm-usage",
         "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")


class PdfUnavailable(Exception):
    pass


def chromium_path() -> str | None:
    configured = os.environ.get("TESSERA_CHROMIUM")
    if configured:
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


async def html_to_pdf(document: str, timeout: float = 60.0) -> bytes:
    binary = chromium_path()
    if binary is None:
        raise PdfUnavailable("No Chromium on this server: install the `chromium` package.")
    with tempfile.TemporaryDirectory(prefix="tessera-print-") as tmp:
        source, target = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        source.write_text(document, encoding="utf-8")
        proc = await asyncio.create_subprocess_exec(
            binary, *FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}",
            source.as_uri(), stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE)
        try:
            _, err = await asyncio.wait_for(proc.communicate(), timeout)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise PdfUnavailable("Chromium did not finish the PDF in time.") from None
        if not target.exists() or target.stat().st_size == 0:
            raise PdfUnavailable("Chromium made no PDF: " + err.decode(errors="replace")[-300:])
        return target.read_bytes()
