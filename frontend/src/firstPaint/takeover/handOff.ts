/**
 * The app's side of the server-drawn first paint (ADR 0009, docs/first-paint.md §3), as the shell
 * sees it: the page arrives as `<div id="first-paint">…</div><div id="root" data-first-paint="">`,
 * the app renders into the invisible #root (takeover.css), and exactly once per page load the
 * first paint goes and the app is declared ready (`<html data-app="ready">` and a
 * `tessera:ready` event: the bench's "app ready").
 *
 * Who hands over: the record form, once it has mounted, with what was typed (takeOver.ts); the
 * app at its first commit when there is no first paint (the ready signal only) or when the page
 * is not one the server draws; and, when the app ends up showing something other than the form
 * (an error page: antd's Result, which every error and 404 page of the app draws; or another
 * route: the sign-in page), the commit that shows it. This module is in the shell's file: it
 * stays small, and does nothing on a page without a first paint beyond one lookup.
 */
import { useLayoutEffect } from 'react';
import { pickedLocale, rememberLocale } from '../../i18n/locale';
import type { CaptureWindow } from './capture';

export const FIRST_PAINT_ID = 'first-paint';

/** The paths the server may draw (docs/first-paint.md §2: a new record, a record's edit page; a public fill link). */
const DRAWN_PATH = /^\/(apps\/[^/]+\/forms\/[^/]+\/(new|records\/[^/]+\/edit)|f\/[^/]+)\/?$/;

/** Whether the page arrived drawn by the server and the app has not taken it over yet. */
export function hasFirstPaint(): boolean {
  return document.getElementById(FIRST_PAINT_ID) !== null;
}

/** Tells the page (and the bench) that the app has the page: `<html data-app="ready">`, a `tessera:ready` event. */
export function appReady(): void {
  document.documentElement.dataset.app = 'ready';
  window.dispatchEvent(new Event('tessera:ready'));
}

/**
 * Removes the first paint and shows #root (the inline script stops listening). For the next two
 * frames #root is marked `data-first-paint-gone`, under which nothing transitions (takeover.css):
 * the app's elements are shown at once, and focusable at once.
 */
export function dropFirstPaint(): void {
  document.getElementById(FIRST_PAINT_ID)?.remove();
  const root = document.getElementById('root');
  if (root?.hasAttribute('data-first-paint')) {
    root.setAttribute('data-first-paint-gone', '');
    root.removeAttribute('data-first-paint');
    requestAnimationFrame(() => requestAnimationFrame(() => root.removeAttribute('data-first-paint-gone')));
  }
  (window as CaptureWindow).__tesseraFirstPaint?.stop();
}

/** The first paint is gone and the app is ready. */
export function handOver(): void {
  dropFirstPaint();
  appReady();
}

/**
 * The language: the app shows the one picked on this browser (i18n/locale.ts initialLocale),
 * whatever the first paint was drawn in. A first paint in another language means the server did
 * not know the choice (picked before the app wrote it into the cookie the server reads): the
 * cookie is written now, so the next load is drawn in it.
 */
function keepPickedLanguage(): void {
  const picked = pickedLocale();
  if (picked && document.documentElement.lang !== picked) rememberLocale(picked);
}

/** What the hand-off reads of the router: where the app is, and its changes. */
export interface RouterView {
  state: { location: { pathname: string } };
  subscribe: (listener: (state: { location: { pathname: string } }) => void) => () => void;
}

/**
 * Hands the page over when the app shows something else than the record form the first paint
 * drew: an error page (antd's Result in #root) in the same place, or any page once the app has
 * gone elsewhere (a redirect to sign in). Checked after each of the app's commits into #root
 * (a mutation observer), so the first paint stays until that page is there to be shown.
 * Answers how to stop watching.
 */
function watchForOtherPage(router: RouterView): () => void {
  const root = document.getElementById('root');
  if (!root) return () => undefined;
  const start = router.state.location.pathname;
  let away = false;
  const observer = new MutationObserver(() => {
    if (!hasFirstPaint()) stop();
    else if (away || root.querySelector('.ant-result')) {
      stop();
      handOver();
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  const unsubscribe = router.subscribe((state) => {
    away ||= state.location.pathname !== start;
  });
  function stop() {
    observer.disconnect();
    unsubscribe();
  }
  return stop;
}

/**
 * Root's part, at the app's first commit (a layout effect: before the browser paints it): with
 * no first paint, the ready signal; on a page the server does not draw, the hand-over at once;
 * else the watch for a page other than the form, until the form takes over.
 */
export function useFirstPaintHandOff(router: RouterView): void {
  useLayoutEffect(() => {
    if (!hasFirstPaint()) {
      (window as CaptureWindow).__tesseraFirstPaint?.stop();
      // unless a record form in this very commit took a first paint over (and said so)
      if (document.documentElement.dataset.app !== 'ready') appReady();
      return undefined;
    }
    keepPickedLanguage();
    if (!DRAWN_PATH.test(router.state.location.pathname)) {
      handOver();
      return undefined;
    }
    return watchForOtherPage(router);
    // the first commit only: the router is Root's own for the app's life
  }, []);
}
