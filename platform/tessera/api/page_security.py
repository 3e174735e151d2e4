"""Security headers of the browser app's page (`index.html`).

The page runs one inline script, the boot script vite.config.ts writes into `index.html` (it
starts the API reads and the route's chunks with the document). A Content-Security-Policy that
allowed inline scripts in general to let it run would allow an injected `<script>` as well, so
the policy names that script by the SHA-256 of its text instead: any other inline script, a
script from another origin, `eval`, a plugin object or a `<base>` pointing elsewhere is refused
by the browser even if some bug let markup through the sanitiser. The hashes are computed from
the built file itself, so a rebuild (a new boot script) can never leave the page blocked by a
stale hash.

Styles keep `'unsafe-inline'`: antd sets `style` attributes everywhere and its theme writes its
CSS variables into a `<style>` element; style injection cannot run code. Images may be `data:`
(signatures, printed previews) and `blob:` (an attachment's preview before its upload).
`frame-ancestors 'self'` keeps other sites from framing the app (clickjacking); a public fill
link's page adds the sites its owner allowed to embed that form (`tessera.publiclinks.embedding`).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

from tessera.api.build_file import BuildFile

#: Headers every response carries (`RequestContextMiddleware` adds them unless a route set its own).
COMMON_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


class _InlineScripts(HTMLParser):
    """Collects the text of each `<script>` without a `src` (what a CSP hash is taken over)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not any(name == "src" for name, _ in attrs):
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions (`'sha256-…'`) of the page's inline scripts, in page order."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
            for s in parser.scripts]


def content_security_policy(html: str, frame_ancestors: Sequence[str] = ()) -> str:
    """The policy of a page with this HTML: its own files and API, and its inline scripts by
    hash only; framed by the app itself and the `frame_ancestors` given (normalised origins)."""
    return _policy(inline_script_hashes(html), frame_ancestors)


def _policy(script_hashes: Sequence[str], frame_ancestors: Sequence[str]) -> str:
    scripts = " ".join(["'self'", *script_hashes])
    ancestors = " ".join(["'self'", *frame_ancestors])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ])


class PageHeaders:
    """The headers of one page file, recomputed when the file changes (a rebuild while the
    server runs)."""

    def __init__(self, page: Path) -> None:
        # parsed once per build: a public link's page composes its policy from the hashes
        self._hashes = BuildFile(page, inline_script_hashes)

    def __call__(self, frame_ancestors: Sequence[str] = ()) -> dict[str, str]:
        """The page's headers; `frame_ancestors`: other sites that may frame this response."""
        return {"Content-Security-Policy": _policy(self._hashes.get(), frame_ancestors),
                "Cache-Control": "no-cache"}
