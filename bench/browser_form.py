"""A 200-field form in Chromium: time from navigation start until the form is interactive.

    .venv/bin/python bench/browser_form.py [--runs 20] [--commit HEAD] [--no-build]
                                           [--trace bench/out/form]

An app with one 200-field form (text, numbers, money, selects, dates, members, relations,
formulas, `visible_when` / `required_when` rules, a sub-form, an address, an attachment…) is
imported through `POST /api/v1/apps` into a fresh embedded Postgres behind a real
`tessera serve` (uvicorn serving the production build of the front end). One record has every
field filled. Headless Chromium (Debian's, through Playwright) signs in once, then opens

  * the new-record page (`…/forms/project/new`: every editable field), and
  * the edit page of the filled record (`…/records/<id>/edit`: all 200 fields, 3 sub-form rows)

in three ways, `--runs` times each:

  * cold     a new browser profile (empty HTTP cache, signed-in cookie) loads the URL;
  * reload   a new tab of a returning user's profile loads the URL (a Chromium profile on
             disk: assets from its HTTP cache, compiled code from V8's code cache);
  * in-app   the list (or record) page is loaded first; the page's own "New" (or "Edit")
             button is clicked — the router's navigation, the page chunk from the cache.

"Form interactive" is measured inside the page (`performance.now()`, from the navigation
start or from the click): (1) *rendered* — every field control the page shows exists in the DOM
(each `field-<key>` test id; the set is read once from the page and must be the 200 fields on
the edit page), then the first input gets focus; (2) *interactive* — a real keystroke
(Playwright → CDP key event) typed into that input has been handled and its value survived
React's re-render into the next frame. When the server drew the page (ADR 0009's first paint)
that input is the server's HTML, so a full load (cold, reload) also reports (3) *app ready* —
`html[data-app=ready]`: the React form has taken the page over, with the typed key still in
its first field and the focus there (without a first paint: the key's echo into the app's
form). Each load says whether it was server-drawn; the goal's moment is (2), never (3).

Baseline, same run, same browser and stopwatch: a static HTML page with the same 200 labelled
inputs (no JavaScript) from a local HTTP server, cold and reload. The ratio is interactive-time
of the form over interactive-time of the static page. Goal (issue #6): interactive ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import statistics
from pathlib import Path
from typing import Any

import browser_harness as bh

APP_KEY, FORM_KEY = "bench_forms", "project"
OPTIONS = [{"value": v, "label": {"zh-CN": f"选项 {v.upper()}", "en": f"Option {v.upper()}"}}
           for v in "abcde"]


def _label(n: int, what: str) -> dict[str, str]:
    return {"zh-CN": f"{what} {n}", "en": f"{what.title()} {n}"}


def big_form_fields() -> list[dict[str, Any]]:
    """200 fields in the proportions of a real intake form (a CRM project sheet)."""
    plan: list[tuple[str, int, dict[str, Any]]] = [
        ("text", 45, {"max_length": 200}), ("textarea", 10, {"max_length": 2000}),
        ("number", 20, {"min": 0}), ("money", 20, {"currency": "CNY", "min": 0}),
        ("percent", 6, {"min": 0, "max": 1}), ("select", 24, {"options": OPTIONS}),
        ("multiselect", 6, {"options": OPTIONS}), ("checkbox", 8, {}), ("date", 14, {}),
        ("datetime", 4, {}), ("time", 2, {}), ("member", 8, {}), ("members", 2, {}),
        ("department", 1, {}), ("relation", 6, {"target": "account"}),
        ("phone", 4, {}), ("email", 3, {}), ("url", 2, {}), ("rating", 2, {}),
        ("address", 1, {"level": "city", "detail": True}), ("attachment", 1, {"max_files": 5}),
    ]
    fields: list[dict[str, Any]] = [
        {"key": "title", "type": "text", "label": {"zh-CN": "项目名称", "en": "Project name"},
         "required": True, "max_length": 200}]
    for field_type, count, extra in plan:
        for n in range(1, count + 1):
            if field_type == "text" and n == 1:
                continue  # `title` is the first text field
            key = f"{field_type}_{n:02d}"
            field = {"key": key, "type": field_type, "label": _label(n, field_type), **extra}
            if field_type == "select":
                field["default"] = "a"
            if field_type == "member" and n <= 3:
                field["default_current"] = True
            fields.append(field)
    # 20 rules, all true for a new record and for the filled one: every field stays visible,
    # and the browser evaluates every rule on every render (the expensive case).
    ruled = [f for f in fields if f["type"] in ("text", "number", "date", "money")][1:21]
    for i, field in enumerate(ruled):
        if i % 3 == 0:
            field["visible_when"] = {"!=": [{"var": f"select_{i % 24 + 1:02d}"}, "e"]}
        elif i % 3 == 1:
            field["visible_when"] = {"!": {"var": f"checkbox_{i % 8 + 1:02d}"}}
        else:
            field["visible_when"] = {"or": [{"in": [{"var": "select_01"}, ["a", "b", "c"]]},
                                            {"==": [{"var": "checkbox_01"}, True]}]}
            field["required_when"] = {"==": [{"var": "select_02"}, "d"]}
    formulas = [
        ("number_01 + number_02 * number_03", "number"),
        ("money_01 + money_02 + money_03 + money_04", "number"),
        ("ROUND(money_05 * percent_01, 2)", "number"),
        ('IF(select_01 = "a", "Key account", "Regular")', "text"),
        ('DATEDIF(date_01, TODAY(), "d")', "number"),
        ("SUM(lines.amount)", "number"),
        ('title & " / " & text_02', "text"),
        ("IF(money_06 > 10000, money_06 * 0.9, money_06)", "number"),
        ("number_04 - number_05", "number"),
        ('IF(checkbox_01, "yes", "no")', "text"),
    ]
    for n, (formula, result_type) in enumerate(formulas, 1):
        fields.append({"key": f"formula_{n:02d}", "type": "formula", "formula": formula,
                       "result_type": result_type, "label": _label(n, "formula")})
    fields.append({"key": "lines", "type": "subform", "label": {"zh-CN": "明细", "en": "Lines"},
                   "fields": [
                       {"key": "product", "type": "text", "label": {"en": "Product"},
                        "required": True},
                       {"key": "qty", "type": "number", "label": {"en": "Quantity"}, "min": 1},
                       {"key": "amount", "type": "money", "label": {"en": "Amount"}},
                       {"key": "delivery", "type": "date", "label": {"en": "Delivery"}},
                   ]})
    assert len(fields) == 200, len(fields)
    return fields


APP = {
    "format": "tessera.app/1", "key": APP_KEY, "name": {"zh-CN": "表单基准", "en": "Form bench"},
    "forms": [
        {"key": FORM_KEY, "name": {"zh-CN": "项目", "en": "Project"}, "title_field": "title",
         "fields": big_form_fields()},
        {"key": "account", "name": {"zh-CN": "客户", "en": "Account"}, "title_field": "name",
         "fields": [{"key": "name", "type": "text", "label": {"en": "Name"}}]},
    ],
}


def filled_record(fields: list[dict[str, Any]], me: str, account: str) -> dict[str, Any]:
    """A value for every field (keeping every rule true), as a user would have saved it."""
    values: dict[str, Any] = {}
    for i, field in enumerate(fields):
        kind = field["type"]
        value: Any = {
            "text": f"Value {i}", "textarea": f"Line one {i}\nLine two", "number": i * 3,
            "money": 1000 + i * 17.5, "percent": 0.25, "select": "a", "multiselect": ["a", "c"],
            "checkbox": False, "date": "2026-11-24", "datetime": "2026-11-24T09:30:00+08:00",
            "time": "09:30:00", "member": me, "members": [me], "relation": account,
            "phone": "13800138000", "email": f"user{i}@example.com",
            "url": "https://example.com/p", "rating": 4,
            "subform": [{"product": f"Part {r}", "qty": r + 1, "amount": 120.5 * (r + 1),
                         "delivery": "2026-12-01"} for r in range(3)],
        }.get(kind)
        if value is not None:
            values[field["key"]] = value
    values["title"] = "Benchmark project"
    return values


def static_form_html(fields: list[dict[str, Any]]) -> str:
    """The same 200 labelled controls as plain HTML: what the browser alone costs."""
    rows = "\n".join(
        f'<div class="field-item" data-testid="field-{f["key"]}"><label for="{f["key"]}">'
        f'{html.escape(f["label"]["en"] if "en" in f["label"] else f["key"])}</label>'
        f'<input id="{f["key"]}" name="{f["key"]}"></div>' for f in fields)
    return ("<!doctype html><html lang=en><head><meta charset=utf-8><title>200 inputs</title>"
            "<style>body{font-family:sans-serif}.field-item{display:inline-block;width:45%;"
            "margin:8px}</style></head><body><form>" + rows + "</form></body></html>")


def measure(context_or_browser: Any, url: str, *, state: dict | None = None,
            click: tuple[str, str] | None = None, app: bool = True,
            stopwatch: str) -> dict[str, Any]:
    """One load: a new context when `state` is given (cold), else a new tab. With `click`
    ((test id, target name)) the URL is only the starting page and the click is measured.
    `app`: a page of the app (not the static baseline), whose full load also has an "app
    ready" moment: `html[data-app=ready]`, with the keys typed before it still in the first
    field (when the server drew the page, they were typed into its first paint)."""
    with bh.timed_page(context_or_browser, url, stopwatch, state=state) as (page, errors):
        if click:
            test_id, want = click
            button = page.get_by_test_id(test_id)
            button.wait_for()
            page.wait_for_function(
                f"() => !document.querySelector('[data-testid={test_id}]').disabled")
            page.wait_for_load_state("networkidle")
            page.evaluate(f"""() => {{ window.__bench.reset('{want}');
                document.querySelector('[data-testid={test_id}]').click(); }}""")
        marks = bh.press_until_echo(page)
        timing = bh.navigation_timing(page)
        start = marks.get("t0", 0.0)
        assert marks.get("focused") and "echo" in marks, marks
        result = {"rendered": marks["ready"] - start, "interactive": marks["echo"] - start,
                  "input_delay": marks["keydown"] - marks["keyTimeStamp"],
                  "key_lag": marks["keyTimeStamp"] - marks["ready"],
                  "ttfb": timing["ttfb"] if not click else 0.0,
                  "server_drawn": bool(marks.get("firstPaint"))}
        if app and not click:
            result["app_ready"] = app_ready(page, marks) - start
        assert not errors, errors
        return result


def app_ready(page: Any, marks: dict[str, Any]) -> float:
    """When the React form had taken over with the typed key in it: `html[data-app=ready]`
    if the key was typed before it (into the server's first paint), else the key's echo (it
    was typed into the app's own form, ready by then)."""
    if marks.get("appReady") is None or marks["appReady"] > marks["keydown"]:
        marks = bh.wait_marks(page, "appValue")
    if marks["appReady"] < marks["keydown"]:
        return float(marks["echo"])
    assert marks["firstPaintGone"], "the app is ready but the first paint is still there"
    assert "x" in (marks["appValue"] or ""), f"the typed key was lost: {marks}"
    assert marks["appFocused"], f"the first field lost the focus: {marks}"
    return float(max(marks["appReady"], marks["echo"]))


def expected_keys(context: Any, url: str, fields: list[dict[str, Any]]) -> list[str]:
    """The field keys the page shows once it has settled (read-only types stay off a new
    record's page; a type this build doesn't know is shown read-only)."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.locator('[data-testid="field-title"] input').wait_for()
    page.wait_for_timeout(1000)
    shown = set(page.evaluate("""() => [...document.querySelectorAll('[data-testid^="field-"]')]
                                  .map((el) => el.dataset.testid.slice(6))"""))
    page.close()
    return [f["key"] for f in fields if f["key"] in shown]


def main() -> None:
    bh.bench_main(__doc__.split("\n")[0], run, add_arguments=lambda parser: parser.add_argument(
        "--runs", type=int, default=20, help="measurements per page and mode"),
        trace_help="also write Chrome performance traces of one cold and one in-app load of "
                   "each page (new, edit) into this folder")


def run(args: argparse.Namespace, source: bh.Source) -> None:
    fields = APP["forms"][0]["fields"]
    print(f"measuring the {source.label}")
    with bh.tessera_serve([APP], source) as server, bh.chromium() as browser, \
            bh.static_site({"/static-form.html": static_form_html(fields)}) as static, \
            contextlib.ExitStack() as stack:
        me = server.api("GET", "/me")["id"]
        base = f"/apps/{APP_KEY}/forms"
        account = server.api("POST", f"{base}/account/records", {"data": {"name": "ACME"}})
        record = server.api("POST", f"{base}/{FORM_KEY}/records",
                            {"data": filled_record(fields, me, account["_id"])})
        app_url = f"{server.url}/apps/{APP_KEY}/forms/{FORM_KEY}"
        urls = {"new": f"{app_url}/new", "edit": f"{app_url}/records/{record['_id']}/edit"}
        starts = {"new": (app_url, "record-new"),
                  "edit": (f"{app_url}/records/{record['_id']}", "record-edit")}

        state = bh.signed_in_state(browser, server)
        probe = browser.new_context(viewport=bh.DESKTOP, locale="en-US", storage_state=state)
        keys = {page: expected_keys(probe, url, fields) for page, url in urls.items()}
        probe.close()
        missing = [f["key"] for f in fields if f["key"] not in keys["new"]]
        print(f"new-record page shows {len(keys['new'])} fields "
              f"(not on it: {', '.join(missing) or 'none'}); edit page shows {len(keys['edit'])}")
        assert len(keys["edit"]) == 200, f"edit page shows {len(keys['edit'])} of 200 fields"
        first = '[data-testid="field-title"] input'
        stopwatch = bh.stopwatch([
            {"name": "new", "path": r"/forms/[^/]+/new$", "cls": "field-item",
             "min": len(keys["new"]), "keys": keys["new"], "first": first},
            {"name": "edit", "path": r"/records/[^/]+/edit$", "cls": "field-item",
             "min": 200, "keys": keys["edit"], "first": first},
            {"name": "static", "path": r"^/static-form\.html$", "cls": "field-item",
             "min": 200, "keys": [f["key"] for f in fields], "first": first},
        ])
        warm = stack.enter_context(bh.returning_profile(browser, state, stopwatch))

        results: dict[tuple[str, str], list[dict[str, Any]]] = {}
        static_url = f"{static}/static-form.html"
        # warm-up: server caches, the profile's HTTP cache and V8's code cache (Chromium keeps
        # a script's compiled code from its second load on)
        for _ in range(2):
            for url in urls.values():
                measure(warm, url, stopwatch=stopwatch)
            measure(warm, static_url, app=False, stopwatch=stopwatch)
        for run in range(args.runs):
            for page_name, url in [*urls.items(), ("static", static_url)]:
                app = page_name != "static"
                results.setdefault((page_name, "cold"), []).append(
                    measure(browser, url, state=state, app=app, stopwatch=stopwatch))
                results.setdefault((page_name, "reload"), []).append(
                    measure(warm, url, app=app, stopwatch=stopwatch))
                if page_name != "static":
                    start, button = starts[page_name]
                    results.setdefault((page_name, "in-app"), []).append(
                        measure(warm, start, click=(button, page_name), stopwatch=stopwatch))
            print(f"  run {run + 1}/{args.runs}", end="\r", flush=True)
        print()
        report(results)
        if args.trace:
            for page_name, url in urls.items():
                trace(browser, state, stopwatch, page_name, url, starts[page_name], args.trace)


def report(results: dict[tuple[str, str], list[dict[str, Any]]]) -> None:
    """Two moments per full load, never one for the other: "interactive" (a key typed into the
    first field is shown: in the server's first paint when it drew the page) and "app ready"
    (the React form has taken the page over, the key still in its first field)."""
    def series(page: str, mode: str, what: str) -> list[float]:
        return [r[what] for r in results[(page, mode)]]

    print(f"{'page':<7}{'mode':<8}{'what':<13}")
    for (page, mode), rows in results.items():
        moments = ["rendered", "interactive", *(["app ready"] if "app_ready" in rows[0] else [])]
        for what in moments:
            print(f"{page:<7}{mode:<8}{what:<13}"
                  f"{bh.describe(series(page, mode, what.replace(' ', '_')))}")
        delay = statistics.median(r["input_delay"] for r in rows)
        lag = statistics.median(r["key_lag"] for r in rows)
        ttfb = statistics.median(r["ttfb"] for r in rows)
        drawn = sum(r["server_drawn"] for r in rows)
        print(f"{'':<15}first key arrived {lag:.1f} ms after focus, waited {delay:.1f} ms "
              "for the main thread (p50)"
              + (f", document TTFB p50 {ttfb:.1f} ms" if mode != "in-app" else "")
              + (f"; server-drawn {drawn} of {len(rows)} loads" if page != "static" else ""))
    for (page, mode), rows in results.items():
        if page != "static":
            for what in ("interactive", "app_ready"):
                if what in rows[0]:
                    print(f"{page:<7}{mode:<8}{what.replace('_', ' ')}, run by run: "
                          + " ".join(f"{r[what]:.0f}" for r in rows))
    print("ratios of interactive time, form / static page (p50, p95); goal: interactive "
          "≤ 300 ms")
    for page in ("new", "edit"):
        for mode, base_mode in (("cold", "cold"), ("reload", "reload"), ("in-app", "reload")):
            form, base = series(page, mode, "interactive"), series("static", base_mode,
                                                                   "interactive")
            print(f"  {page:<5} {mode:<7} vs static {base_mode:<7}: "
                  f"{statistics.median(form) / statistics.median(base):5.1f}×  "
                  f"{bh.percentile(form, .95) / bh.percentile(base, .95):5.1f}×   "
                  f"(p95 {bh.percentile(form, .95):.0f} ms: "
                  f"{'meets' if bh.percentile(form, .95) <= 300 else 'MISSES'} the goal)")
    print("app ready, full loads (the React form has taken over; not the goal's moment, "
          "which is interactive):")
    for page in ("new", "edit"):
        for mode in ("cold", "reload"):
            ready = series(page, mode, "app_ready")
            after = statistics.median(ready) - statistics.median(series(page, mode,
                                                                        "interactive"))
            print(f"  {page:<5} {mode:<7} p50 {statistics.median(ready):.0f} ms, "
                  f"p95 {bh.percentile(ready, .95):.0f} ms, {after:.0f} ms after interactive "
                  "(p50)")


def trace(browser: Any, state: dict, stopwatch: str, page_name: str, url: str,
          start: tuple[str, str], folder: Path) -> None:
    """Chrome performance traces (open in chrome://tracing or Perfetto) of one cold load and
    one in-app navigation of the page (`new-cold.json`, `edit-in-app.json`…)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, kwargs in (("cold", {"url": url}),
                         ("in-app", {"url": start[0], "click": (start[1], page_name)})):
        path = folder / f"{page_name}-{name}.json"
        context = browser.new_context(viewport=bh.DESKTOP, locale="en-US", storage_state=state)
        context.add_init_script(stopwatch)
        browser.start_tracing(path=str(path), screenshots=False,
                              categories=["devtools.timeline", "v8.execute", "blink.user_timing",
                                          "disabled-by-default-devtools.timeline"])
        result = measure(context, kwargs.pop("url"), stopwatch=stopwatch, **kwargs)
        browser.stop_tracing()
        context.close()
        print(f"trace {path}: interactive {result['interactive']:.0f} ms")


if __name__ == "__main__":
    main()
