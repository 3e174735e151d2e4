import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, buildUrl, onUnauthenticated, setApiLanguage, takeBootResponse } from '../api/client';
import { PAGE_SIZE, recordPath, recordsPath } from '../api/queries';
import { viewsPath } from '../views/api';
import { initialLocale } from '../i18n/locale';
import { startBoot, type BootState, type RoutePreload } from './boot';

type BootWindow = Window & { __tesseraBoot?: BootState };

const ROUTES: RoutePreload[] = [
  { pattern: '^/apps/[^/]+/forms/[^/]+/?$', js: ['/assets/ListPage-1.js', '/assets/table-2.js'], css: ['/assets/ListPage-3.css'] },
];

const LANGUAGES = { en: ['/assets/lang-en-1.js'], 'zh-CN': ['/assets/lang-zh-CN-2.js', '/assets/pagination-zh-3.js'] };

/** Runs the boot script for `url` against a stubbed fetch; returns the URLs it asked for. */
function boot(url: string, answer: (url: string) => Response = () => Response.json({})): string[] {
  window.history.replaceState(null, '', url);
  const asked: string[] = [];
  vi.stubGlobal('fetch', vi.fn(async (input: string) => {
    asked.push(input);
    return answer(input);
  }));
  startBoot(window as BootWindow, ROUTES, 10_000, LANGUAGES);
  return asked;
}

afterEach(() => {
  vi.unstubAllGlobals();
  delete (window as BootWindow).__tesseraBoot;
  document.head.querySelectorAll('link').forEach((link) => link.remove());
  localStorage.clear();
});

describe('startBoot', () => {
  it('asks, for a plain list, exactly what the list page will ask', () => {
    const asked = boot('/apps/crm/forms/customer');
    setApiLanguage(initialLocale());
    expect(asked).toEqual([
      '/api/v1/me',
      '/api/v1/apps',
      '/api/v1/apps/crm',
      buildUrl(recordsPath('crm', 'customer'), { filter: '', sort: '', limit: PAGE_SIZE, cursor: null }),
      buildUrl(`${recordsPath('crm', 'customer')}/count`, { filter: '' }),
      buildUrl(viewsPath('crm', 'customer')),
    ]);
  });

  it('preloads the matching route chunk and its stylesheet', () => {
    localStorage.setItem('tessera.locale', 'en');
    boot('/apps/crm/forms/customer');
    const links = [...document.head.querySelectorAll('link')].map((link) => `${link.rel} ${link.getAttribute('href')}`);
    expect(links).toEqual([
      'modulepreload /assets/lang-en-1.js',
      'modulepreload /assets/ListPage-1.js',
      'modulepreload /assets/table-2.js',
      'preload /assets/ListPage-3.css',
    ]);
  });

  it('asks for the record of a record page, no records of a list with settings in its URL, no chunk for other pages', () => {
    expect(boot('/apps/crm/forms/customer/records/r%201/edit')).toContain(buildUrl(recordPath('crm', 'customer', 'r 1')));
    expect(boot('/apps/crm/forms/customer?q=acme')).toEqual(['/api/v1/me', '/api/v1/apps', '/api/v1/apps/crm']);
    document.head.querySelectorAll('link').forEach((link) => link.remove());
    expect(boot('/apps/crm/forms/customer/trash')).toEqual(['/api/v1/me', '/api/v1/apps', '/api/v1/apps/crm']);
    // the language's chunk only
    expect(document.head.querySelectorAll('link')).toHaveLength(1);
  });

  it('asks nothing on the login page or a public fill link', () => {
    expect(boot('/login?next=%2Fapps')).toEqual([]);
    expect(boot('/f/abc')).toEqual([]);
  });

  it('chooses the language as the app does', () => {
    boot('/');
    expect((window as BootWindow).__tesseraBoot?.language).toBe(initialLocale());
    localStorage.setItem('tessera.locale', 'zh-CN');
    boot('/');
    expect((window as BootWindow).__tesseraBoot?.language).toBe('zh-CN');
    expect(initialLocale()).toBe('zh-CN');
  });

  it("preloads the chosen language's chunk, not the other's, on every page", () => {
    const preloaded = () => [...document.head.querySelectorAll('link')].map((link) => link.getAttribute('href'));
    localStorage.setItem('tessera.locale', 'zh-CN');
    boot('/login');
    expect(preloaded()).toEqual(LANGUAGES['zh-CN']);
    document.head.querySelectorAll('link').forEach((link) => link.remove());
    localStorage.setItem('tessera.locale', 'en');
    boot('/');
    expect(preloaded()).toEqual(LANGUAGES.en);
  });
});

describe('the API client and the started responses', () => {
  it('takes a started response once instead of asking again', async () => {
    boot('/apps/crm/forms/customer', () => Response.json({ id: 'u1' }));
    setApiLanguage(initialLocale());
    const fetchMock = vi.mocked(fetch);
    const calls = fetchMock.mock.calls.length;
    await expect(api.get('/me')).resolves.toEqual({ id: 'u1' });
    expect(fetchMock.mock.calls.length).toBe(calls);
    await api.get('/me');
    expect(fetchMock.mock.calls.length).toBe(calls + 1);
  });

  it('reports a started 401 as its own: the app sends the user to sign in', async () => {
    boot('/apps/crm/forms/customer', () => Response.json({ status: 401, code: 'unauthenticated' }, { status: 401 }));
    setApiLanguage(initialLocale());
    const listener = vi.fn();
    const stop = onUnauthenticated(listener);
    await expect(api.get('/me')).rejects.toMatchObject({ status: 401 });
    stop();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('asks again when a started request failed, the language changed, or the app changed something', async () => {
    boot('/apps/crm/forms/customer', () => {
      throw new TypeError('offline');
    });
    setApiLanguage(initialLocale());
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ fresh: true })));
    await expect(api.get('/me')).resolves.toEqual({ fresh: true });

    boot('/apps/crm/forms/customer');
    setApiLanguage(initialLocale() === 'en' ? 'zh-CN' : 'en');
    expect(takeBootResponse('/api/v1/apps', 'GET')).toBeUndefined();

    boot('/apps/crm/forms/customer');
    setApiLanguage(initialLocale());
    expect(takeBootResponse('/api/v1/apps/crm', 'POST')).toBeUndefined();
    expect(takeBootResponse('/api/v1/apps', 'GET')).toBeUndefined();
  });
});
