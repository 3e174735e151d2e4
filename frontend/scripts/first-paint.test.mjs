// scripts/first-paint.mjs: the width rule its jsdom window answers media queries with, and, once a
// build has written it, the templates file as the server reads it (every template valid Jinja2).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fillWithJinja, formStylesheets, hasJinja, matchesWidth, OUTPUT } from './first-paint.mjs';

describe('first-paint.mjs', () => {
  it("answers the app's width queries as a browser of that width would", () => {
    expect(matchesWidth('(min-width: 768px)', 1280)).toBe(true);
    expect(matchesWidth('(min-width: 768px)', 390)).toBe(false);
    expect(matchesWidth('(max-width: 767.98px)', 390)).toBe(true);
    expect(matchesWidth('(min-width: 768px) and (max-width: 991.98px)', 1280)).toBe(false);
  });

  it("finds the form pages' stylesheets in the boot script", () => {
    const routes = [
      { pattern: '^/apps/[^/]+/forms/[^/]+/?$', js: [], css: ['/assets/list.css'] },
      { pattern: '^/apps/[^/]+/forms/[^/]+/new/?$', js: [], css: ['/assets/shared.css', '/assets/form.css'] },
      { pattern: '^/apps/[^/]+/forms/[^/]+/records/[^/]+/edit/?$', js: [], css: ['/assets/shared.css', '/assets/edit.css'] },
    ];
    const html = `<script>(function(){})(window, ${JSON.stringify(routes)}, 5000, {"en":[]});</script>`;
    expect(formStylesheets(html)).toEqual(['/assets/shared.css', '/assets/form.css', '/assets/edit.css']);
    expect(() => formStylesheets('<html></html>')).toThrow(/boot script/);
  });

  it.skipIf(!hasJinja())('fills a template with Jinja2, escaped, as the server does', () => {
    expect(fillWithJinja([{ template: '<b title="{{ f.x }}">{{ f.x }}</b>', context: { f: { x: '<"&>' } } }])).toEqual(['<b title="&lt;&#34;&amp;&gt;">&lt;&#34;&amp;&gt;</b>']);
  });

  it.skipIf(!existsSync(OUTPUT) || !hasJinja())('wrote templates the server can compile, in both languages', () => {
    const templates = JSON.parse(readFileSync(OUTPUT, 'utf8'));
    expect(templates.format).toBe(1);
    expect(Object.keys(templates.locales).sort()).toEqual(['en', 'zh-CN']);
    const all = Object.values(templates.locales).flatMap((locale) => [...Object.values(locale.fields), ...Object.values(locale.page)]);
    // compiling each: a template that is not valid Jinja2 throws
    const jobs = all.map((template) => ({ template: `{% if false %}${template}{% endif %}ok`, context: {} }));
    expect(fillWithJinja(jobs).every((out) => out === 'ok')).toBe(true);
    // the form route's stylesheets linked ahead of the page (the app links them with its route)
    for (const locale of Object.values(templates.locales)) expect(locale.page.form).toMatch(/^\{% raw %\}<link rel="stylesheet" crossorigin href="\/assets\/[^"]+\.css#first-paint">/);
  });
});
