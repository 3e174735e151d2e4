"""What the browser benchmarks share: a real `tessera serve` on a fresh embedded Postgres,
headless Debian Chromium driven by Playwright, a signed-in browser profile, and an in-page
stopwatch that says when a page is "ready" and when it has taken a keystroke.

The stopwatch is an init script (it runs before the page's own code), so every time is read
from `performance.now()` inside the page: for a full page load it is measured from the
navigation start (the document's time origin), for an in-app navigation from the moment the
page's own click handler ran. Playwright's round trips are outside the measured span except
for one: sending the keystroke after the page reported ready (the same round trip is in the
static-page baseline, so the ratio is fair).
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
from tessera.api.assets import IMMUTABLE  # noqa: E402
from tessera.child_server import call_api, free_port, stop, wait_until_healthy  # noqa: E402
from tessera.headless_chromium import CHROMIUM, HEADLESS_FLAGS, launched  # noqa: E402

FRONTEND = ROOT / "frontend"
ADMIN = "admin@example.com"
PASSWORD = "bench-password-1"
DESKTOP = {"width": 1440, "height": 900}


# ---- figures --------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def describe(values: list[float]) -> str:
    """`p50 / p95 (min–max)` in ms, the way the benchmarks print a series."""
    return (f"p50 {statistics.median(values):7.1f}  p95 {percentile(values, .95):7.1f}  "
            f"(min {min(values):6.1f}, max {max(values):6.1f}) ms")


# ---- the code under test ---------------------------------------------------------------------
@dataclass
class Source:
    """Where the measured code lives: the working tree, or a clean export of one commit (the
    checkout is shared by people editing it; a half-made edit must not break a benchmark)."""

    root: Path
    label: str
    temporary: bool = False

    @property
    def dist(self) -> Path:
        return self.root / "frontend" / "dist"

    def close(self) -> None:
        if self.temporary:
            shutil.rmtree(self.root, ignore_errors=True)


def _newest_source_mtime(frontend: Path) -> float:
    newest = 0.0
    for base in (frontend / "src", frontend / "index.html", frontend / "package.json",
                 frontend / "vite.config.ts"):
        paths = [base] if base.is_file() else base.rglob("*") if base.is_dir() else []
        for path in paths:
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def _npm_build(frontend: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["npm", "run", "build"], cwd=frontend, capture_output=True, text=True)


def export_commit(commit: str, overlay: list[str] | None = None) -> tuple[Path, str]:
    """`commit` exported into a temp dir, with `overlay` paths copied over it from the
    working tree (to measure one change of one's own on top of a known-good commit)."""
    sha = subprocess.run(["git", "rev-parse", "--short", commit], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    root = Path(tempfile.mkdtemp(prefix=f"tessera-bench-{sha}-"))
    archive = subprocess.run(["git", "archive", sha], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive.stdout, check=True)
    for path in overlay or []:
        shutil.copy(ROOT / path, root / path)
    (root / "frontend" / "node_modules").symlink_to(FRONTEND / "node_modules")
    return root, sha + (f" + working-tree {', '.join(overlay)}" if overlay else "")


def code_under_test(commit: str | None, build: bool = True,
                    overlay: list[str] | None = None) -> Source:
    """The working tree (rebuilding frontend/dist when the sources are newer), or `commit`
    exported with `git archive` into a temp dir (plus `overlay` files from the working tree)
    and its front end built there."""
    if commit is None:
        dist_index = FRONTEND / "dist" / "index.html"
        stale = (not dist_index.exists()
                 or dist_index.stat().st_mtime < _newest_source_mtime(FRONTEND))
        if stale and build:
            print("frontend/dist is stale: npm run build …", flush=True)
            built = _npm_build(FRONTEND)
            if built.returncode != 0:
                # Others may be half-way through an edit of the shared checkout: measure the
                # last good build rather than nothing, and say so.
                print("warning: npm run build failed; measuring the existing frontend/dist "
                      "(or pass --commit HEAD):\n" + built.stdout[-1500:])
        elif stale:
            print("warning: frontend/dist is older than frontend/src (measuring it anyway)")
        if not dist_index.exists():
            raise SystemExit("no frontend/dist to measure: cd frontend && npm run build")
        return Source(ROOT, "working tree")
    root, sha = export_commit(commit, overlay)
    print(f"building the front end of {sha} …", flush=True)
    built = _npm_build(root / "frontend")
    if built.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise SystemExit(f"npm run build of {sha} failed:\n{built.stdout[-3000:]}")
    return Source(root, f"commit {sha}", temporary=True)


# ---- the server -----------------------------------------------------------------------------
@dataclass
class Server:
    url: str
    pg: Any
    token: str = ""

    def api(self, method: str, path: str, body: object | None = None) -> Any:
        return call_api(self.url, method, path, body, token=self.token or None, timeout_s=300)

    def dsn(self) -> str:
        return str(self.pg.dsn("tessera"))


def serve_main(port: int, dist: str, source_root: str) -> None:
    """What `tessera serve` does once it has a database (migrate, bootstrap, uvicorn), but
    serving a private copy of the front end: other builds of the shared checkout can't swap
    the assets under a running benchmark."""
    import asyncio
    import dataclasses

    sys.path[:0] = [str(Path(source_root) / "platform"), source_root]
    # this module imported the working tree's `tessera` (child_server, headless_chromium) when it
    # started: forget it, so the server is the measured commit's, not today's platform code
    # with that commit's engines (which broke once the two no longer fitted)
    for name in [m for m in sys.modules if m.split(".")[0] in ("tessera", "engines")]:
        del sys.modules[name]
    import uvicorn

    from tessera.app import create_app
    from tessera.bootstrap import bootstrap
    from tessera.config import Settings
    from tessera.db import migrate
    from tessera.db.engine import create_engine

    settings = dataclasses.replace(Settings.from_env(), frontend_dist=Path(dist))
    migrate.upgrade(settings)

    async def first_admin() -> None:
        engine = create_engine(settings, pool_size=2)
        await bootstrap(engine, settings)
        await engine.dispose()

    asyncio.run(first_admin())
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_config=None,
                log_level="warning", server_header=False)


@contextlib.contextmanager
def tessera_serve(apps: list[dict[str, Any]], source: Source) -> Iterator[Server]:
    """A `tessera serve` (uvicorn, the built front end, no worker) on a throwaway embedded
    Postgres, with `apps` imported through `POST /api/v1/apps` by the first admin."""
    from tessera.db.embedded import throwaway_cluster

    pg = throwaway_cluster().start()
    log_dir = Path(tempfile.mkdtemp(prefix="tessera-bench-serve-"))
    dist = log_dir / "dist"
    shutil.copytree(source.dist, dist)
    process = None
    try:
        with psycopg.connect(pg.dsn(), autocommit=True) as conn:
            conn.execute('create database "tessera"')
        port = free_port()
        log_path = log_dir / "serve.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, __file__, "serve", str(port), str(dist), str(source.root)],
                cwd=ROOT, env={**os.environ, "DATABASE_URL": pg.sqlalchemy_url("tessera"),
                               "TESSERA_ADMIN_EMAIL": ADMIN, "TESSERA_ADMIN_PASSWORD": PASSWORD,
                               "TESSERA_IN_PROCESS_WORKER": "0",
                               "TESSERA_INSTALL_DEFAULT_APP": "0"},
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        server = Server(f"http://127.0.0.1:{port}", pg)
        wait_until_healthy(process, server.url, log_path)
        server.token = server.api("POST", "/auth/login",
                                  {"email": ADMIN, "password": PASSWORD})["access_token"]
        for app in apps:
            server.api("POST", "/apps", app)
        yield server
    finally:
        if process is not None:
            stop(process)
        pg.stop()
        shutil.rmtree(pg.data_dir, ignore_errors=True)
        shutil.rmtree(log_dir, ignore_errors=True)


@contextlib.contextmanager
def static_site(files: dict[str, str]) -> Iterator[str]:
    """A plain HTTP server for baseline pages (`{"/path.html": html}`); yields its base URL.
    Scripts (`.js`, `.mjs`) and stylesheets (`.css`) are served as tessera serve serves its
    assets, cacheable for good; pages `no-cache`, as index.html."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path.split("?")[0])
            if body is None:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            path = self.path.split("?")[0]
            kind = ("javascript" if path.endswith((".js", ".mjs"))
                    else "css" if path.endswith(".css") else "html")
            self.send_header("Content-Type", f"text/{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-cache" if kind == "html" else IMMUTABLE)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---- the browser ----------------------------------------------------------------------------
@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright (`playwright install` is never used)."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}: run `make browser` "
                         "(apt-get install chromium)")
    with launched() as browser:
        yield browser


def signed_in_state(browser: Any, server: Server) -> dict[str, Any]:
    """Signs in through the login page once; new contexts reuse the session cookie."""
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_test_id("login-submit").wait_for()
    page.locator("input[autocomplete=username]").fill(ADMIN)
    page.locator("input[autocomplete=current-password]").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login" not in url)
    state = context.storage_state()
    context.close()
    return state


@contextlib.contextmanager
def returning_profile(browser: Any, state: dict[str, Any], init_script: str) -> Iterator[Any]:
    """The warm profile of the "reload" mode: a signed-in user's own Chromium profile, on disk.
    Playwright's `new_context` is incognito-like and keeps no V8 code cache, so each of its
    reloads compiled the ~1 MB shell again, which a returning user's browser does not (it keeps
    compiled code next to the HTTP cache). Measured on the 200-field edit page, same run:
    reload p50 828 ms in a `new_context`, 636 ms in a profile on disk."""
    if state.get("origins"):
        raise ValueError("the signed-in state holds local storage, which a profile on disk "
                         "would have to be given too")
    folder = tempfile.mkdtemp(prefix="tessera-bench-profile-")
    context = browser.browser_type.launch_persistent_context(
        folder, executable_path=CHROMIUM, args=list(HEADLESS_FLAGS), viewport=DESKTOP,
        locale="en-US")
    try:
        context.add_cookies(state["cookies"])
        context.add_init_script(init_script)
        yield context
    finally:
        context.close()
        shutil.rmtree(folder, ignore_errors=True)


STOPWATCH_JS = """
(() => {
  const targets = __TARGETS__;
  const bench = { marks: {}, expect: 'x', armed: null, want: null };
  window.__bench = bench;
  // An in-app navigation to the target named `want` starts now: forget the page we leave.
  bench.reset = (want) => {
    bench.marks = { t0: performance.now() };
    bench.armed = null;
    bench.want = want;
  };
  const target = () => targets.find(
    (t) => (!bench.want || t.name === bench.want) && new RegExp(t.path).test(location.pathname));
  function satisfied(t) {
    if (document.getElementsByClassName(t.cls).length < t.min) return false;
    if (!t.keys) return true;
    const seen = new Set();
    for (const el of document.querySelectorAll('[data-testid^="field-"]')) {
      seen.add(el.dataset.testid.slice(6));
    }
    return t.keys.every((k) => seen.has(k));
  }
  function check() {
    if (bench.marks.ready) return;
    const t = target();
    if (!t || !satisfied(t)) return;
    const marks = bench.marks;
    marks.ready = performance.now();
    marks.target = t.name;
    marks.firstPaint = Boolean(document.getElementById('first-paint'));  // server-drawn
    requestAnimationFrame(() => setTimeout(() => { marks.painted = performance.now(); }, 0));
    if (t.first) {
      const input = document.querySelector(t.first);
      if (input) input.focus();
      bench.armed = document.activeElement === input ? input : null;
      bench.marks.focused = Boolean(bench.armed);
    }
  }
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  // "App ready" (docs/first-paint.md): the app has taken the page over and says so on <html>;
  // a frame later, what the first field holds and whether the server's first paint is gone.
  new MutationObserver(() => {
    const marks = bench.marks;
    if (document.documentElement.dataset.app !== 'ready' || marks.appReady) return;
    marks.appReady = performance.now();
    requestAnimationFrame(() => setTimeout(() => {
      const t = target();
      const input = t && t.first ? document.querySelector(t.first) : null;
      marks.appValue = input ? String(input.value) : null;
      marks.appFocused = Boolean(input) && document.activeElement === input;
      marks.firstPaintGone = !document.getElementById('first-paint');
    }, 0));
  }).observe(document, { attributes: true, attributeFilter: ['data-app'], subtree: true });
  // Keys arrive all along (see press_until_echo); the first one the focused field gets counts.
  document.addEventListener('keydown', (event) => {
    if (!bench.armed || event.target !== bench.armed || bench.marks.keydown) return;
    bench.marks.keyTimeStamp = event.timeStamp;  // when the browser received it
    bench.marks.keydown = performance.now();      // when the page's main thread got to it
  }, true);
  document.addEventListener('input', (event) => {
    if (!bench.marks.keydown || event.target !== bench.armed || bench.marks.inputHandled) return;
    const el = event.target;
    bench.marks.inputHandled = performance.now();
    // the value has survived React's re-render once the next frame is drawn
    requestAnimationFrame(() => setTimeout(() => {
      if (String(el.value).includes(bench.expect)) bench.marks.echo = performance.now();
      else bench.marks.rejected = String(el.value);
    }, 0));
  }, true);
})();
"""


def stopwatch(targets: list[dict[str, Any]]) -> str:
    """The init script for these targets: `{name, path (regex), cls, min, keys?, first?}` —
    ready once `min` elements of class `cls` exist and (if `keys`) every `field-<key>` test id;
    `first` is the selector of the input that then gets focus and the keystroke."""
    return STOPWATCH_JS.replace("__TARGETS__", json.dumps(targets))


def wait_marks(page: Any, mark: str, timeout: float = 30_000) -> dict[str, Any]:
    page.wait_for_function(f"() => window.__bench && window.__bench.marks.{mark} !== undefined",
                           polling="raf", timeout=timeout)
    return dict(page.evaluate("() => window.__bench.marks"))


def press_until_echo(page: Any, timeout_s: float = 30.0) -> dict[str, Any]:
    """Presses "x" over and over, as an impatient user would, until the field the page
    focused shows it. Waiting for "ready" in Python first would add Playwright's polling and
    round trips (100–500 ms measured) between the page being ready and the key arriving;
    this way a key arrives within one press (a few ms) of the field's focus, and the page's
    own handling of it, whatever it is busy with, is in the measure."""
    deadline = time.monotonic() + timeout_s
    read = "() => window.__bench ? window.__bench.marks : {}"
    while True:
        page.keyboard.press("x")
        marks = dict(page.evaluate(read))
        if "echo" in marks or "rejected" in marks:
            return marks
        if time.monotonic() > deadline:
            raise TimeoutError(f"no echo of the keystroke: {marks}")


def navigation_timing(page: Any) -> dict[str, float]:
    """The document's own timings (responseStart = time to first byte, DOMContentLoaded…)."""
    return dict(page.evaluate("""() => {
      const n = performance.getEntriesByType('navigation')[0];
      return { ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd };
    }"""))


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    serve_main(int(sys.argv[2]), sys.argv[3], sys.argv[4])


def bench_main(description: str, run: Callable[[argparse.Namespace, Source], None], *,
               trace_help: str, add_arguments: Callable[[argparse.ArgumentParser], None]) -> None:
    """The command line every browser bench shares: which code to measure (the working tree, or
    a commit built in a temp dir), where to write traces; `add_arguments` adds the bench's own."""
    parser = argparse.ArgumentParser(description=description)
    add_arguments(parser)
    parser.add_argument("--commit", help="measure this commit (exported with git archive and "
                        "built in a temp dir) instead of the working tree")
    parser.add_argument("--overlay", nargs="*", default=[], metavar="PATH",
                        help="with --commit: files copied over the commit from the working tree")
    parser.add_argument("--no-build", action="store_true",
                        help="don't rebuild frontend/dist even if it is older than the sources")
    parser.add_argument("--trace", type=Path, help=trace_help)
    args = parser.parse_args()
    source = code_under_test(args.commit, build=not args.no_build, overlay=args.overlay)
    try:
        run(args, source)
    finally:
        source.close()


@contextlib.contextmanager
def timed_page(browser_or_context: Any, url: str, stopwatch: str, *,
               state: dict | None = None) -> Iterator[tuple[Any, list[str]]]:
    """A page navigating to `url` with the in-page stopwatch: in a new context when `state` is
    given (a cold load), else in a new tab of the warm context. Yields the page and the page
    errors seen so far; closes what it opened."""
    if state is not None:
        context = browser_or_context.new_context(viewport=DESKTOP, locale="en-US",
                                                 storage_state=state)
        context.add_init_script(stopwatch)
    else:
        context = browser_or_context
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(url, wait_until="commit")
        yield page, errors
    finally:
        page.close()
        if state is not None:
            context.close()
