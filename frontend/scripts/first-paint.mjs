// The first paint's templates (ADR 0009, docs/first-paint.md): after `vite build`, renders the
// record form's field cells and the form page with the app's own components (React's
// renderToStaticMarkup under jsdom, src/firstPaint/render/templates.tsx) and writes them as
// Jinja2 templates to dist/first-paint/templates.json, which the server fills for a full page
// load. No Node at run time: this runs once per build.
//
// Vite loads the components as the dev server would (its module runner, in middleware mode, no
// HTTP server): TypeScript, JSX and the app's own aliases, with antd and its packages taken from
// their ES builds (`module` field), the ones the browser build uses. Node's own resolution would
// give antd's CommonJS build (its package.json has no exports map): other modules, other classes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decorativeIcons } from './decorative-icons.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = resolve(ROOT, 'dist/first-paint/templates.json');

/** The project's Python, whose Jinja2 fills the templates on the server (tests fill them with it too). */
export const PYTHON = resolve(ROOT, '../.venv/bin/python');

/** Whether the project's Python is there to fill templates with (not on a machine that only builds the frontend). */
export const hasJinja = () => existsSync(PYTHON);

/**
 * Fills templates as the server does: Jinja2, autoescaped, an undefined name an error, a
 * context's `page.fields` and a sub-form's `f.rows[i].grid` / `.card` as markup; all the jobs in one Python run. Returns each job's markup.
 */
export function fillWithJinja(jobs) {
  const script = [
    'import json, sys, jinja2',
    'env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)',
    'jobs = json.load(sys.stdin)',
    // page.fields is markup the field templates wrote (the server passes it as Markup)
    'for j in jobs:',
    '    if "fields" in j["context"].get("page", {}): j["context"]["page"]["fields"] = jinja2.utils.markupsafe.Markup(j["context"]["page"]["fields"])',
    // and a sub-form's rows' cells are markup their own type's templates wrote
    '    for row in (j["context"].get("f") or {}).get("rows") or []:',
    '        for layout in ("grid", "card"): row[layout] = [jinja2.utils.markupsafe.Markup(c) for c in row[layout]]',
    'print(json.dumps([env.from_string(j["template"]).render(**j["context"]) for j in jobs]))',
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** The packages published as ES modules the browser build takes from their `module` entry. */
export const ES_PACKAGES = ['antd', /^@ant-design\//, /^@rc-component\//, /^@emotion\//];

/** The browser globals React, antd and the app read while rendering, from a jsdom window. */
export async function installDom() {
  const { JSDOM } = await import('jsdom');
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: 'http://localhost/', pretendToBeVisual: true });
  const { window } = dom;
  // the desktop layout unless the renderer narrows it (templates.tsx draws both)
  window.matchMedia = (query) => ({
    matches: matchesWidth(query, window.innerWidth),
    media: query,
    onchange: null,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => false,
  });
  window.innerWidth = 1280;
  const names = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'getComputedStyle', 'matchMedia', 'requestAnimationFrame', 'cancelAnimationFrame'];
  const classes = Object.getOwnPropertyNames(window).filter((name) => /^(HTML|SVG|Element$|Node$|Text$|Event$|CustomEvent$|MutationObserver$|DocumentFragment$|DOMParser$)/.test(name));
  for (const name of [...names, ...classes]) {
    if (name === 'navigator' || !(name in globalThis) || name === 'window' || name === 'document') {
      Object.defineProperty(globalThis, name, { value: name === 'window' ? window : window[name], configurable: true, writable: true });
    }
  }
  return window;
}

/** Whether a `(min-width: …px)` / `(max-width: …px)` query holds at this width. */
export function matchesWidth(query, width) {
  const min = /min-width:\s*(\d+(?:\.\d+)?)px/.exec(query);
  const max = /max-width:\s*(\d+(?:\.\d+)?)px/.exec(query);
  return (!min || width >= Number(min[1])) && (!max || width <= Number(max[1]));
}

/** A new record's and an edit's paths, as the form routes' patterns in index.html's boot script match them. */
const FORM_PAGES = ['/apps/a/forms/f/new', '/apps/a/forms/f/records/r/edit'];
/** A public fill link's path (page.public's stylesheets). */
const PUBLIC_PAGES = ['/f/t'];

/**
 * The stylesheets of the form pages' route chunks (form.css, fields.css… as the build split
 * them), read from the boot script `vite build` put in index.html (vite.config.ts bootScript):
 * the app links them when its route loads; the first paint, drawn before any script, links them
 * itself.
 */
export function formStylesheets(indexHtml, pages = FORM_PAGES) {
  const match = /\(window, (\[.*?\]), \d+, /s.exec(indexHtml);
  if (!match) throw new Error('first paint: no boot script with the routes in index.html');
  const routes = JSON.parse(match[1]);
  const css = new Set();
  for (const path of pages) {
    const route = routes.find((candidate) => new RegExp(candidate.pattern).test(path));
    if (!route) throw new Error(`first paint: no route chunk for ${path}`);
    for (const href of route.css) css.add(href);
  }
  return [...css];
}

/** Renders the templates with the app's components (see the file's head). */
export async function renderTemplates() {
  const indexHtml = readFileSync(resolve(ROOT, 'dist/index.html'), 'utf8');
  const stylesheets = formStylesheets(indexHtml);
  const publicStylesheets = formStylesheets(indexHtml, PUBLIC_PAGES);
  process.env.NODE_ENV = 'production';
  await installDom();
  const { createServer } = await import('vite');
  const server = await createServer({
    root: ROOT,
    mode: 'production',
    logLevel: 'warn',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false },
    environments: {
      ssr: {
        // the libraries bundled once (Vite's dependency optimizer, cached in node_modules/.vite)
        // rather than run file by file: antd's thousand modules took ~12 s to load that way, ~4–6 s
        // so. React with them: one copy for the renderer and the components
        // (the icons' rewrite of decorative-icons.mjs applied in the bundling too, as Vite's build does)
        optimizeDeps: {
          noDiscovery: false,
          include: ['react', 'react-dom', 'react-dom/server', 'react/jsx-runtime', 'antd', '@ant-design/icons', '@ant-design/cssinjs'],
          rolldownOptions: { plugins: [decorativeIcons()] },
        },
        resolve: {
          noExternal: [...ES_PACKAGES, 'react', 'react-dom', /^@tanstack\//, 'react-router', 'dayjs'],
          mainFields: ['module', 'jsnext:main', 'jsnext', 'main'],
          conditions: ['module', 'import', 'default'],
          externalConditions: ['import', 'node', 'default'],
        },
      },
    },
  });
  try {
    const module = await server.ssrLoadModule('/src/firstPaint/render/templates.tsx');
    return await module.renderTemplates(stylesheets, publicStylesheets);
  } finally {
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
  const started = Date.now();
  const templates = await renderTemplates();
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, JSON.stringify(templates));
  const types = Object.keys(Object.values(templates.locales)[0].fields).length;
  console.log(`first paint: ${types} field types in ${Object.keys(templates.locales).join(', ')} -> dist/first-paint/templates.json (${Date.now() - started} ms)`);
  // the renderer leaves timers behind (the query cache's garbage collection): nothing to wait for
  process.exit(0);
}
