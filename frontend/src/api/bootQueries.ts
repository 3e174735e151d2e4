/**
 * A full load's first reads, handed to the query cache as the app's first render starts.
 *
 * index.html's boot script (app/boot.ts) asks the API for what the page will show long before
 * the app's code has run. Left to the components, each read would be taken only when the
 * component asking for it renders: who is signed in, then (the layout drawn) the app, then (the
 * page's code loaded and drawn with a skeleton) its records, count and views — three rounds of
 * render, answer and render again, with a frame drawn between them. Prefetched here with the
 * very options the hooks use, all of them are in the cache by the time the router has loaded
 * the page's code, so the page's first render draws it whole.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { BootState } from '../app/boot';
import { viewsPath, viewsQuery } from '../views/api';
import { buildUrl, readBootAnswers } from './client';
import { appQuery, appsQuery, meQuery, PAGE_SIZE, recordCountQuery, recordPagesQuery, recordPath, recordQuery, recordsPath } from './queries';

/** The path's segment as the router hands it to the page (a bad escape matches nothing). */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The prefetch of the query a page makes with this GET, if it is one of a page's first reads. */
function prefetchOf(client: QueryClient, url: string): (() => Promise<void>) | undefined {
  const parts = url.split('?')[0].split('/').slice(3).map(decoded);
  if (parts.some((part) => part === undefined)) return undefined;
  const [root, app, forms, form, rest, id] = parts as string[];
  // each candidate is checked against the URL its query would ask for: only an exact match
  const candidates: [string, () => Promise<void>][] = [
    [buildUrl('/me'), () => client.prefetchQuery(meQuery())],
    [buildUrl('/apps'), () => client.prefetchQuery(appsQuery())],
  ];
  if (root === 'apps' && app) {
    candidates.push([buildUrl(`/apps/${encodeURIComponent(app)}`), () => client.prefetchQuery(appQuery(app))]);
    if (forms === 'forms' && form) {
      const records = recordsPath(app, form);
      candidates.push(
        [buildUrl(records, { limit: PAGE_SIZE }), () => client.prefetchInfiniteQuery(recordPagesQuery(app, form, '', ''))],
        [buildUrl(`${records}/count`), () => client.prefetchQuery(recordCountQuery(app, form, ''))],
        [buildUrl(viewsPath(app, form)), () => client.prefetchQuery(viewsQuery(app, form))],
      );
      if (rest === 'records' && id) candidates.push([buildUrl(recordPath(app, form, id)), () => client.prefetchQuery(recordQuery(app, form, id))]);
    }
  }
  return candidates.find(([candidate]) => candidate === url)?.[1];
}

/**
 * Starts, in `client`, the queries whose reads the boot script started (each takes its started
 * response through the API client, errors and a 401 included, as the component's own would).
 * Call it once the API client speaks the UI's language (I18nProvider), before the pages render.
 */
export function prefetchBootQueries(client: QueryClient): void {
  const boot = (globalThis as { __tesseraBoot?: BootState }).__tesseraBoot;
  if (!boot) return;
  readBootAnswers();
  for (const url of Object.keys(boot.responses)) void prefetchOf(client, url)?.();
}
