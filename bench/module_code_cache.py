"""Does Chromium reuse V8's compiled code for our kind of script on a returning visit?

    .venv/bin/python bench/module_code_cache.py [--loads 5]

Why it matters: the browser app is ES modules (Vite's output). A returning user's browser has
every file in its HTTP cache; what it may still have to do is compile them. Chromium keeps V8's
compiled code next to the HTTP cache ("code cache") and, for a script seen often enough, loads
that instead of compiling: docs/performance.md measured ~340 ms of background compiling in a
reload of the 200-field form, the shell's file alone 137 ms, with nothing taken from the code
cache. This bench checks the browser itself, apart from the app.

One generated script (~550 KB of small functions, the shape of minified library code) is served
twice by a plain local server with the headers `tessera serve` gives assets (immutable): as a
classic `<script>` (the baseline: the kind Chromium is documented to code-cache) and as
`<script type="module">`, also with a `<link rel="modulepreload">` as index.html's boot script
adds them. Each page is loaded `--loads` times in a new tab of one Chromium profile on disk (a
returning user), under a DevTools trace; for each load the bench prints what V8 did with the
script: compiled it on a background thread (`parseOnBackground` ms: no cache used) or took its
compiled code from the cache (`consumedCacheSize` bytes). A last series repeats the module
page with the Blink feature `BackgroundResourceFetch` turned off, which tells whether that
feature is what keeps module scripts from the cache.

The ratio printed is the background compile time of the module on its last load over the
classic script's on its last load (the classic one is 0 once it is served from the code cache,
so the ratio is reported as compile ms vs cache-hit).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from typing import Any

import browser_harness as bh

CATEGORIES = ["devtools.timeline", "v8", "disabled-by-default-devtools.timeline"]


def big_script(functions: int = 6000) -> str:
    body = "\n".join(
        f"function f{i}(a, b) {{ let s = 0; for (let k = 0; k < a; k++) s += k * {i} + b; "
        f"return s + 'x{i}'.length; }}" for i in range(functions))
    return body + "\nwindow.__ran = (window.__ran || 0) + f1(3, 4);\n"


def pages() -> dict[str, str]:
    code = big_script()
    def page(head: str, tag: str) -> str:
        return f"<!doctype html><html><head>{head}</head><body>{tag}</body></html>"
    return {
        "/big.js": code,
        "/big.mjs": code + "export const loaded = true;\n",
        "/classic.html": page("", '<script src="/big.js"></script>'),
        "/module.html": page("", '<script type="module" src="/big.mjs"></script>'),
        "/modulepreload.html": page('<link rel="modulepreload" href="/big.mjs">',
                                    '<script type="module" src="/big.mjs"></script>'),
    }


def traced_load(context: Any, url: str) -> dict[str, Any]:
    """One load in a new tab, with what V8's trace events say about the big script."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    events: list[dict[str, Any]] = []
    done: list[bool] = []
    cdp.on("Tracing.dataCollected", lambda message: events.extend(message["value"]))
    cdp.on("Tracing.tracingComplete", lambda _message: done.append(True))
    cdp.send("Tracing.start", {"traceConfig": {"includedCategories": CATEGORIES},
                               "transferMode": "ReportEvents"})
    page.goto(url)
    page.wait_for_function("window.__ran")
    page.wait_for_timeout(300)  # the code cache is written after the script ran
    cdp.send("Tracing.end")
    while not done:
        page.wait_for_timeout(20)
    page.close()
    big = [e for e in events if "/big." in json.dumps(e.get("args", {}))]
    compiled = sum(e.get("dur", 0) for e in big if e["name"] == "v8.parseOnBackground") / 1000
    consumed = max((e["args"]["data"].get("consumedCacheSize", 0) for e in big
                    if e["name"] in ("v8.compile", "v8.compileModule")), default=0)
    return {"compiled_ms": compiled, "consumed_bytes": consumed}


def series(playwright: Any, base: str, page: str, loads: int,
           extra_flags: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    folder = tempfile.mkdtemp(prefix="tessera-code-cache-")
    flags = list(bh.HEADLESS_FLAGS)
    if extra_flags:  # one --disable-features switch: Chromium reads only the last one
        flags = [f for f in flags if not f.startswith("--disable-features=")]
        flags += extra_flags
    context = playwright.chromium.launch_persistent_context(
        folder, executable_path=bh.CHROMIUM, args=flags)
    try:
        results = []
        for _ in range(loads):
            results.append(traced_load(context, f"{base}/{page}"))
            time.sleep(0.3)
        return results
    finally:
        context.close()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    disabled = next(f for f in bh.HEADLESS_FLAGS if f.startswith("--disable-features="))
    runs = [("classic <script>", "classic.html", ()),
            ("<script type=module>", "module.html", ()),
            ("module + modulepreload", "modulepreload.html", ()),
            ("module, BackgroundResourceFetch off", "module.html",
             (disabled + ",BackgroundResourceFetch",))]
    with bh.static_site(pages()) as base, sync_playwright() as playwright:
        version = playwright.chromium.launch(executable_path=bh.CHROMIUM).version
        print(f"Chromium {version}; each cell: background compile ms / code cache bytes taken")
        table = {name: series(playwright, base, page, args.loads, flags)
                 for name, page, flags in runs}
    print(f"{'script':<38}" + "".join(f"load {n + 1:<10}" for n in range(args.loads)))
    for name, results in table.items():
        print(f"{name:<38}" + "".join(f"{r['compiled_ms']:5.1f}/{r['consumed_bytes']:<9}"
                                       for r in results))
    classic, module = table["classic <script>"][-1], table["<script type=module>"][-1]
    print(f"last load: module compiled for {module['compiled_ms']:.1f} ms "
          f"({'from the code cache' if module['consumed_bytes'] else 'no code cache'}); "
          f"classic {classic['compiled_ms']:.1f} ms "
          f"({'from the code cache' if classic['consumed_bytes'] else 'no code cache'})")


if __name__ == "__main__":
    main()
