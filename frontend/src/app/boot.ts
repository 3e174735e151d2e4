/**
 * The page's first moments, before the app's JavaScript has arrived.
 *
 * On a full page load the shell's JavaScript takes a few hundred ms to download, parse and run;
 * only then would the router load the page's lazy chunk, and only then would the page ask, one
 * after the other, who is signed in, which apps there are, the app's definition and the first
 * page of records. `startBoot` runs inline in index.html (vite.config.ts serialises it there)
 * and starts all of that at once from the URL alone: the API reads the page will make, and
 * `<link rel="modulepreload">` of the language's chunk (i18n/languages.ts), the page's route
 * chunk and its imports. The app's API client
 * then takes each started response instead of asking again (`takeBootResponse` in
 * api/client.ts), so errors, a 401 included, are handled exactly as for its own requests.
 */

/** A route whose chunk (and its imports) are worth fetching with the shell. */
export interface RoutePreload {
  /** a regular expression source matched against `location.pathname` */
  pattern: string;
  /** JavaScript files (`/assets/…`) to modulepreload */
  js: string[];
  /** stylesheets the chunk will load */
  css: string[];
}

/** What the inline script leaves on `window.__tesseraBoot` for the API client. */
export interface BootState {
  /** the Accept-Language the requests were sent with */
  language: string;
  /** `performance.now()` after which a started response is too old to hand out */
  until: number;
  /** started GET requests by URL (`/api/v1/…`), each handed out once */
  responses: Record<string, Promise<Response>>;
  /**
   * Fetches the chunks of the route that `path` opens (one of the routes index.html knows:
   * a list, a new record, a record, an edit page) without running them: a page calls it for
   * where its links lead (`preloadRoute`), so the click finds the code fetched and compiled.
   */
  preload?: (path: string) => void;
}

/** How long a started response may wait for the app to ask for it. */
export const BOOT_RESPONSE_TTL_MS = 10_000;

/**
 * Runs in the page as an inline script. It is turned into text, so it may use nothing from
 * outside its own body (no imports, no module constants). Its language choice must match
 * `initialLocale()` in i18n/locale.ts (a test checks they agree).
 */
export function startBoot(
  win: Window & { __tesseraBoot?: BootState },
  routes: RoutePreload[],
  ttl: number,
  languages: Record<string, string[]> = {},
): void {
  const doc = win.document;
  const path = win.location.pathname;
  let language = '';
  try {
    language = win.localStorage.getItem('tessera.locale') ?? '';
  } catch {
    language = '';
  }
  if (language !== 'zh-CN' && language !== 'en') {
    const nav = win.navigator;
    const first = (nav.languages && nav.languages[0]) || nav.language || 'en';
    language = first.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  }
  const boot: BootState = { language, until: win.performance.now() + ttl, responses: {} };
  win.__tesseraBoot = boot;
  const linked = new Set<string>();

  // the language's strings, which the app's first render waits for: fetched with the shell's
  // file, at its priority (the shell carries no language of its own)
  for (const href of languages[language] ?? []) {
    const link = doc.createElement('link');
    link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = href;
    doc.head.appendChild(link);
  }

  // the page's chunk after the API reads, at a low priority: the shell's own files and the
  // reads it waits for go first on the browser's few connections; each file linked once
  const preload = (target: string) => {
    for (const route of routes) {
      if (!new RegExp(route.pattern).test(target)) continue;
      for (const href of route.js) {
        if (linked.has(href)) continue;
        linked.add(href);
        const link = doc.createElement('link');
        link.rel = 'modulepreload';
        link.setAttribute('fetchpriority', 'low');
        link.crossOrigin = '';
        link.href = href;
        doc.head.appendChild(link);
      }
      for (const href of route.css) {
        if (linked.has(href)) continue;
        linked.add(href);
        const link = doc.createElement('link');
        link.rel = 'preload';
        link.as = 'style';
        link.setAttribute('fetchpriority', 'low');
        link.crossOrigin = '';
        link.href = href;
        doc.head.appendChild(link);
      }
      break;
    }
  };
  // the API reads the page will make first
  const readAhead = () => {
    // pages outside the signed-in shell ask nothing of the API before the user does
    if (path === '/login' || path.startsWith('/login/') || path.startsWith('/f/')) return;
    const get = (url: string) => {
      boot.responses[url] = win.fetch(url, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json, application/problem+json', 'Accept-Language': language },
      });
      // a failure is the API client's to report when it takes the response
      boot.responses[url].catch(() => undefined);
    };
    // the path's segments as the router decodes them, then encoded as the API client does
    const segment = (raw: string) => {
      try {
        return encodeURIComponent(decodeURIComponent(raw));
      } catch {
        return '';
      }
    };
    get('/api/v1/me');
    get('/api/v1/apps');
    const inApp = /^\/apps\/([^/]+)/.exec(path);
    const app = inApp ? segment(inApp[1]) : '';
    if (!app) return;
    get(`/api/v1/apps/${app}`);
    // a form's list, its new-record page, a record or its edit page
    const page = /^\/apps\/[^/]+\/forms\/([^/]+)(?:\/(new|records\/([^/]+)(?:\/edit)?))?\/?$/.exec(path);
    const form = page ? segment(page[1]) : '';
    if (!page || !form) return;
    const records = `/api/v1/apps/${app}/forms/${form}/records`;
    const record = page[3] === undefined ? '' : segment(page[3]);
    if (record) {
      get(`${records}/${record}`);
    } else if (page[2] === undefined && !win.location.search) {
      // a plain list: its first page, its count and its saved views, as ListPage asks for them
      get(`${records}?limit=50`);
      get(`${records}/count`);
      get(`/api/v1/apps/${app}/forms/${form}/views`);
    }
  };
  readAhead();
  preload(path);
  boot.preload = preload;
}

/**
 * Fetches the code of the page `path` opens, as index.html's boot script does for the page it
 * loads, without running it (modulepreload: no module is evaluated until the route imports it).
 * Only the routes index.html knows (list, new record, record, edit); others are left alone.
 */
export function preloadRoute(path: string): void {
  (globalThis as { __tesseraBoot?: BootState }).__tesseraBoot?.preload?.(path);
}
