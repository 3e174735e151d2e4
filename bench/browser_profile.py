"""Where the browser's time goes on the benchmarked pages: a V8 CPU profile of one
navigation, self time summed per function, plus React's commits counted.

    .venv/bin/python bench/browser_profile.py [--page edit|new|list] [--mode in-app|reload|cold]
                                              [--commit HEAD [--overlay PATH…]]
                                              [--rows 100000] [--top 40]

The front end is built without minification (same production React, readable function
names) from a clean export of `--commit` (or the working tree's sources), served by the same
server the benchmarks use (browser_harness). One navigation is measured the way
bench/browser_form.py or bench/browser_list.py measures it, under the DevTools `Profiler`
(100 µs sampling); the script prints the functions with the most self time, the time per
bundled chunk, and how many React commits (and fibers rendered) the navigation took.
The raw profile is written to bench/out/<page>-<mode>-<pid>.cpuprofile (open it in Chrome
DevTools; the process id keeps two people's runs in one checkout from overwriting each other).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import browser_form
import browser_harness as bh
import browser_list

OUT = bh.ROOT / "bench" / "out"

# Counts React commits and the fibers each one rendered (a fiber whose props/state object
# changed, or that is new). The production build still calls the DevTools hook.
REACT_COMMITS_JS = """
(() => {
  const stats = { commits: 0, rendered: 0, perCommit: [], roots: [], byName: {} };
  window.__reactStats = stats;
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true, renderers: new Map(), inject(renderer) { return 1; },
    onScheduleFiberRoot() {}, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {},
    checkDCE() {},
    onCommitFiberRoot(id, root) {
      let rendered = 0;
      // components that re-rendered while their parent did not — the causes — and, for
      // those, the contexts whose value changed
      const roots = {};
      const COMPONENT = new Set([0, 1, 11, 14, 15]);  // function, class, forwardRef, memo
      const nameOf = (f) => {
        const t = f.type && (f.type.render || f.type.type || f.type);
        return (t && (t.displayName || t.name)) || (f.type && f.type.displayName) || '?';
      };
      const contextsOf = (f) => {
        const changed = [];
        const before = new Map();
        for (let d = f.alternate?.dependencies?.firstContext; d; d = d.next) {
          before.set(d.context, d.memoizedValue);
        }
        for (let d = f.dependencies?.firstContext; d; d = d.next) {
          if (before.has(d.context) && before.get(d.context) !== d.memoizedValue) {
            const v = d.memoizedValue;
            const keys = v && typeof v === 'object'
              ? Object.keys(v).slice(0, 4).join(',') : typeof v;
            changed.push(`${d.context.displayName || 'ctx'}{${keys}}`);
          }
        }
        return changed.length ? `<${changed.join(' ')}>` : '';
      };
      // As React DevTools does: a subtree whose child list is the same object as in the last
      // commit was not rendered; a component rendered when React flagged PerformedWork (1).
      const walk = (next, prev, parentRendered) => {
        for (let f = next; f; f = f.sibling) {
          const old = f.alternate;
          const fresh = !old;
          const component = COMPONENT.has(f.tag);
          const didRender = component && (fresh || (f.flags & 1) === 1);
          if (didRender) {
            rendered += 1;
            const name = nameOf(f);
            stats.byName[name] = (stats.byName[name] || 0) + 1;
            if (!parentRendered && !fresh) {
              const key = nameOf(f) + contextsOf(f);
              roots[key] = (roots[key] || 0) + 1;
            }
          }
          if (f.child && (fresh || f.child !== old.child)) {
            walk(f.child, old && old.child, component ? didRender : parentRendered);
          }
        }
      };
      const cur = root.current;
      if (!cur.alternate || cur.child !== cur.alternate.child) walk(cur.child, null, false);
      stats.commits += 1;
      stats.rendered += rendered;
      stats.perCommit.push(rendered);
      if (rendered > 100) stats.roots.push(roots);
    },
  };
})();
"""


def unminified_build(commit: str | None, overlay: list[str]) -> bh.Source:
    """The front end of `commit` (or of the working tree) built without minification."""
    if commit:
        root, _ = bh.export_commit(commit, overlay)
    else:
        root = Path(tempfile.mkdtemp(prefix="tessera-profile-"))
        for part in ("platform", "engines", "migrations", "templates_library", "alembic.ini"):
            source = bh.ROOT / part
            if source.is_dir():
                shutil.copytree(source, root / part,
                                ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(source, root / part)
        shutil.copytree(bh.FRONTEND, root / "frontend",
                        ignore=shutil.ignore_patterns("node_modules", "dist"))
        (root / "frontend" / "node_modules").symlink_to(bh.FRONTEND / "node_modules")
    built = subprocess.run(["npx", "vite", "build", "--minify", "false"], cwd=root / "frontend",
                           capture_output=True, text=True)
    if built.returncode != 0:
        raise SystemExit(built.stdout[-3000:] + built.stderr[-3000:])
    return bh.Source(root, f"{commit or 'working tree'} (unminified)", temporary=True)


def summarise(profile: dict[str, Any], top: int, dist: Path) -> None:
    nodes = {node["id"]: node for node in profile["nodes"]}
    self_us: collections.Counter[int] = collections.Counter()
    deltas = profile["timeDeltas"]
    for sample, delta in zip(profile["samples"], [*deltas[1:], 0], strict=True):
        self_us[sample] += delta
    by_function: collections.Counter[str] = collections.Counter()
    by_chunk: collections.Counter[str] = collections.Counter()
    for node_id, micros in self_us.items():
        frame = nodes[node_id]["callFrame"]
        url = frame["url"].rsplit("/", 1)[-1] or frame["url"] or "(native)"
        name = frame["functionName"] or "(anonymous)"
        by_function[f"{name}  {url}:{frame['lineNumber'] + 1}:{frame['columnNumber']}"] += micros
        by_chunk[url] += micros
    total = sum(self_us.values())
    print(f"sampled {total / 1000:.0f} ms of main-thread time")
    print("self time by function:")
    for key, micros in by_function.most_common(top):
        print(f"  {micros / 1000:7.1f} ms  {key}  {_source_line(dist, key)}")
    print("self time by chunk:")
    for key, micros in by_chunk.most_common(12):
        print(f"  {micros / 1000:7.1f} ms  {key}")


def _source_line(dist: Path, key: str) -> str:
    """The bundled source at a profile frame, to tell anonymous functions apart."""
    try:
        chunk, line, column = key.rsplit("  ", 1)[1].rsplit(":", 2)
        text = (dist / "assets" / chunk).read_text().splitlines()[int(line) - 1]
    except (OSError, ValueError, IndexError):
        return ""
    start = max(0, int(column) - 20)
    return "| " + text[start:start + 70].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", choices=["edit", "new", "list"], default="edit")
    parser.add_argument("--mode", choices=["in-app", "reload", "cold"], default="in-app",
                        help="reload: a full load in a returning user's profile; cold: a first "
                             "visit in a new one (as bench/browser_list.py's modes)")
    parser.add_argument("--commit", help="profile this commit instead of the working tree")
    parser.add_argument("--overlay", nargs="*", default=[], metavar="PATH",
                        help="with --commit: files copied over the commit from the working tree")
    parser.add_argument("--rows", type=int, default=100_000, help="orders, for --page list")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    source = unminified_build(args.commit, args.overlay)
    try:
        profile(args, source)
    finally:
        source.close()


def profile(args: argparse.Namespace, source: bh.Source) -> None:
    apps = [browser_list.APP if args.page == "list" else browser_form.APP]
    with bh.tessera_serve(apps, source) as server, bh.chromium() as browser, \
            contextlib.ExitStack() as stack:
        if args.page == "list":
            browser_list.seed(server.dsn(), args.rows)
            base = f"{server.url}/apps/{browser_list.APP_KEY}/forms"
            url, start, click = f"{base}/orders", f"{base}/customer", "nav-form-orders"
            stopwatch = bh.stopwatch([
                {"name": "list", "path": r"/forms/orders$", "cls": "record-row", "min": 50}])
        else:
            fields = browser_form.APP["forms"][0]["fields"]
            me = server.api("GET", "/me")["id"]
            base = f"/apps/{browser_form.APP_KEY}/forms"
            account = server.api("POST", f"{base}/account/records", {"data": {"name": "ACME"}})
            record = server.api("POST", f"{base}/{browser_form.FORM_KEY}/records",
                                {"data": browser_form.filled_record(fields, me,
                                                                    account["_id"])})
            form_url = f"{server.url}{base}/{browser_form.FORM_KEY}"
            if args.page == "new":
                url, start, click = f"{form_url}/new", form_url, "record-new"
            else:
                start = f"{form_url}/records/{record['_id']}"
                url, click = f"{start}/edit", "record-edit"
            stopwatch = bh.stopwatch([{
                "name": args.page, "path": r"/(new|edit)$", "cls": "field-item",
                "min": 200 if args.page == "edit" else 185,
                "first": '[data-testid="field-title"] input'}])
        state = bh.signed_in_state(browser, server)
        context = stack.enter_context(bh.returning_profile(browser, state, stopwatch))
        context.add_init_script(REACT_COMMITS_JS)
        for _ in range(2):  # the server's caches, the HTTP cache and V8's code cache
            warm = context.new_page()
            warm.goto(url)
            warm.wait_for_load_state("networkidle")
            warm.close()
        if args.mode == "cold":  # a first visit: a new profile, nothing cached or compiled
            context = browser.new_context(viewport=bh.DESKTOP, locale="en-US",
                                          storage_state=state)
            stack.callback(context.close)
            context.add_init_script(stopwatch)
            context.add_init_script(REACT_COMMITS_JS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 100})
        if args.mode == "in-app":
            page.goto(start)
            page.get_by_test_id(click).wait_for()
            page.wait_for_load_state("networkidle")
            page.evaluate("() => { window.__reactStats.commits = 0; "
                          "window.__reactStats.rendered = 0; window.__reactStats.perCommit = []; "
                          "window.__reactStats.byName = {}; }")
            cdp.send("Profiler.start")
            page.evaluate(f"""() => {{ window.__bench.reset('{args.page}');
                document.querySelector('[data-testid={click}]').click(); }}""")
        else:
            cdp.send("Profiler.start")
            page.goto(url, wait_until="commit")
        marks = (bh.wait_marks(page, "painted") if args.page == "list"
                 else bh.press_until_echo(page))
        result = cdp.send("Profiler.stop")["profile"]
        stats = page.evaluate("() => window.__reactStats")
        OUT.mkdir(exist_ok=True)
        path = OUT / f"{args.page}-{args.mode}-{os.getpid()}.cpuprofile"
        path.write_text(json.dumps(result))
        t0 = marks.get("t0", 0.0)
        print(f"{args.page} {args.mode}: ready {marks['ready'] - t0:.0f} ms"
              + (f", interactive {marks['echo'] - t0:.0f} ms" if "echo" in marks else "")
              + f"; React: {stats['commits']} commits rendering {stats['rendered']} components "
              f"(per commit: {stats['perCommit'][:30]})")
        for n, roots in enumerate(stats["roots"]):
            shown = sorted(roots.items(), key=lambda item: -item[1])[:12]
            print(f"  big commit {n + 1}: re-rendered from " + ", ".join(
                f"{name} ×{count}" for name, count in shown))
        # which components the renders were (a field type's editor costs its share of these)
        names = sorted(stats["byName"].items(), key=lambda item: -item[1])[:args.top]
        print("components rendered most: " + ", ".join(f"{name} ×{count}" for name, count in names))
        summarise(result, args.top, source.dist)
        if args.mode != "in-app":
            print_waterfall(page, t0)
        print(f"profile: {path}")


def print_waterfall(page: Any, t0: float) -> None:
    """The page load's requests in start order (ms from the navigation start): where the main
    thread sat idle, this says what it was waiting for."""
    entries = page.evaluate("""() => performance.getEntriesByType('resource').map(e => ({
        name: e.name.replace(location.origin, ''), start: e.startTime, end: e.responseEnd,
        size: e.transferSize}))""")
    print("requests (start → end ms, bytes over the wire):")
    for e in sorted(entries, key=lambda e: e["start"]):
        print(f"  {e['start'] - t0:7.0f} → {e['end'] - t0:7.0f}  {e['size']:>8}  {e['name'][:90]}")


if __name__ == "__main__":
    main()
