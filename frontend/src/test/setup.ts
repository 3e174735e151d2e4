import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { loadLanguage } from '../i18n/languages';

// the app renders once its language is in (main.tsx); tests render at once, in either language.
// antd's message/modal host (lib/feedback) is fetched ahead too, so no test's first notice
// waits for its module to be transformed
await Promise.all([loadLanguage('en'), loadLanguage('zh-CN'), import('../app/FeedbackHost')]);

// jsdom lacks these browser APIs that antd's responsive parts use.
if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      // the desktop layout unless a test narrows the window (sets window.innerWidth, as
      // ListPage.test and LinksPage.test do for the phone layout)
      matches: matchesQuery(query),
      media: query,
      onchange: null,
      addListener: vi.fn(),
      removeListener: vi.fn(),
      addEventListener: vi.fn(),
      removeEventListener: vi.fn(),
      dispatchEvent: vi.fn(),
    }),
  });
}

function matchesQuery(query: string): boolean {
  const min = /min-width:\s*(\d+)px/.exec(query);
  const max = /max-width:\s*(\d+(?:\.\d+)?)px/.exec(query);
  const width = window.innerWidth;
  return (!min || width >= Number(min[1])) && (!max || width <= Number(max[1]));
}

if (!('ResizeObserver' in window)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = ResizeObserverStub;
}

window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;
Element.prototype.scrollIntoView = vi.fn();

// findBy*/waitFor give up after 1 s by default: a test's first render of a heavy view (the kanban
// with drag and drop) took longer than that under a loaded CI machine and failed, though nothing
// was wrong. A wider tolerance only lengthens a test that is failing anyway; no timing is asserted.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
});
