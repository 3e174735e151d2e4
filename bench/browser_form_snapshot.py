"""The floor of a server-rendered first paint (docs/adr/0009): the 200-field edit page's own
rendered DOM saved as static HTML, timed like the app and like bench/browser_form.py's static page.

    .venv/bin/python bench/browser_form_snapshot.py [--runs 7] [--commit HEAD] [--no-build]

The app (`tessera serve`, the production build, the same app and record as browser_form.py)
draws the edit page; once it has settled, its document is copied with its scripts and preload
links taken out: what a server would answer if it drew the form itself, before any JavaScript.
Three copies are served from a plain local HTTP server:

  * link     the stylesheets linked as the app links them (cached for good, as its assets);
  * inline   the stylesheets' text inlined into the page;
  * trimmed  inlined, with each rule dropped whose antd component classes (`.ant-<name>`)
             none of the page's elements carries: a stylesheet cut to the page's components.

Each is opened cold and reloaded `--runs` times, interleaved with the app's own edit page and
the static page of 200 plain inputs, and timed by browser_form.py's stopwatch ("interactive":
a key typed into the first field is shown). Only the first paint is measured: nothing takes
the page over, so these are floors, not what a server-rendered form would be end to end.
"""

from __future__ import annotations

import argparse
import re
import statistics
from typing import Any

import browser_form as bf
import browser_harness as bh

# the document without what runs or fetches code; `inline` puts each stylesheet's text in place
COPY_JS = """async (inline) => {
  const doc = document.documentElement.cloneNode(true);
  for (const el of doc.querySelectorAll('script, link[rel=modulepreload], link[rel=preload]')) {
    el.remove();
  }
  const sheets = [];
  for (const link of doc.querySelectorAll('link[rel=stylesheet]')) {
    const path = new URL(link.href).pathname;
    const text = await (await fetch(path)).text();
    sheets.push([path, text]);
    if (inline) {
      const style = document.createElement('style');
      style.textContent = text;
      link.replaceWith(style);
    }
  }
  return { html: '<!doctype html>' + doc.outerHTML, sheets };
}"""

RULE = re.compile(r"([^{}@]+)\{[^{}]*\}")
STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)


def trimmed(page_html: str) -> tuple[str, int]:
    """The page with every style rule dropped whose antd component classes no element of the
    page carries (a rule inside an at-rule block is kept as it is); and how many components
    the page shows."""
    classes = " ".join(re.findall(r'class="([^"]*)"', page_html))
    used = set(re.findall(r"ant-([a-z]+)", classes))

    def rule(match: re.Match[str]) -> str:
        named = set(re.findall(r"\.ant-([a-z]+)", match.group(1)))
        return match.group(0) if not named or named & used else ""

    def style(match: re.Match[str]) -> str:
        return match.group(1) + RULE.sub(rule, match.group(2)) + match.group(3)

    return STYLE.sub(style, page_html), len(used)


def run(args: argparse.Namespace, source: bh.Source) -> None:
    fields = bf.APP["forms"][0]["fields"]
    print(f"measuring the {source.label}")
    with bh.tessera_serve([bf.APP], source) as server, bh.chromium() as browser:
        me = server.api("GET", "/me")["id"]
        base = f"/apps/{bf.APP_KEY}/forms"
        account = server.api("POST", f"{base}/account/records", {"data": {"name": "ACME"}})
        record = server.api("POST", f"{base}/{bf.FORM_KEY}/records",
                            {"data": bf.filled_record(fields, me, account["_id"])})
        edit_url = f"{server.url}{base}/{bf.FORM_KEY}/records/{record['_id']}/edit"
        state = bh.signed_in_state(browser, server)

        context = browser.new_context(viewport=bh.DESKTOP, locale="en-US", storage_state=state)
        page = context.new_page()
        page.goto(edit_url)
        page.wait_for_load_state("networkidle")
        page.locator('[data-testid="field-title"] input').wait_for()
        page.wait_for_timeout(1500)
        linked = page.evaluate(COPY_JS, False)
        inline = page.evaluate(COPY_JS, True)["html"]
        context.close()
        cut, components = trimmed(inline)
        print(f"the page as HTML: {len(linked['html'].encode()) // 1024} KB with its stylesheets "
              f"linked, {len(inline.encode()) // 1024} KB inlined, {len(cut.encode()) // 1024} KB "
              f"cut to the {components} antd components it shows")

        files = {path: text for path, text in linked["sheets"]}
        files.update({"/link.html": linked["html"], "/inline.html": inline,
                      "/trimmed.html": cut, "/static-form.html": bf.static_form_html(fields)})
        with bh.static_site(files) as static, \
                bh.returning_profile(browser, state, _stopwatch(fields)) as warm:
            urls = {"app": edit_url, **{name: f"{static}/{name}.html" for name in
                                        ("link", "inline", "trimmed")},
                    "static": f"{static}/static-form.html"}
            stopwatch = _stopwatch(fields)
            for _ in range(2):  # warm-up: caches of the server, the profile and V8
                for url in urls.values():
                    bf.measure(warm, url, stopwatch=stopwatch)
            results: dict[tuple[str, str], list[float]] = {}
            for n in range(args.runs):
                for name, url in urls.items():
                    results.setdefault((name, "cold"), []).append(bf.measure(
                        browser, url, state=state, stopwatch=stopwatch)["interactive"])
                    results.setdefault((name, "reload"), []).append(bf.measure(
                        warm, url, stopwatch=stopwatch)["interactive"])
                print(f"  run {n + 1}/{args.runs}", end="\r", flush=True)
            print()
            report(results)


def _stopwatch(fields: list[dict[str, Any]]) -> str:
    keys = [f["key"] for f in fields]
    first = '[data-testid="field-title"] input'
    target = {"cls": "field-item", "min": 200, "keys": keys, "first": first}
    return bh.stopwatch([{"name": "app", "path": r"/records/[^/]+/edit$", **target},
                         {"name": "copy", "path": r"^/(link|inline|trimmed)\.html$", **target},
                         {"name": "static", "path": r"^/static-form\.html$", **target}])


def report(results: dict[tuple[str, str], list[float]]) -> None:
    print("interactive (ms) of the edit page: the app, its HTML copies, 200 plain inputs")
    for (name, mode), values in results.items():
        print(f"  {name:<8}{mode:<7} p50 {statistics.median(values):5.0f}  "
              f"p95 {bh.percentile(values, .95):5.0f}   "
              + " ".join(f"{v:.0f}" for v in values))


def main() -> None:
    bh.bench_main(__doc__.split("\n")[0], run, add_arguments=lambda parser: parser.add_argument(
        "--runs", type=int, default=7, help="measurements per page and mode"),
        trace_help="unused")


if __name__ == "__main__":
    main()
