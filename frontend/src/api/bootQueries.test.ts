import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BootState } from '../app/boot';
import { createQueryClient } from '../app/queryClient';
import { viewsKey, viewsPath } from '../views/api';
import { prefetchBootQueries } from './bootQueries';
import { BOOT_JOIN_MS, buildUrl, setApiLanguage } from './client';
import { keys, PAGE_SIZE, recordsPath } from './queries';

type BootWindow = Window & { __tesseraBoot?: BootState };

/** What the boot script leaves for a plain list of crm/customer, each URL answering `answer(url)`. */
function booted(urls: string[], answer: (url: string) => Response) {
  const responses: Record<string, Promise<Response>> = {};
  for (const url of urls) responses[url] = Promise.resolve(answer(url));
  (window as BootWindow).__tesseraBoot = { language: 'en', until: performance.now() + 10_000, responses };
  setApiLanguage('en');
}

const records = recordsPath('crm', 'customer');
const LIST = [
  '/api/v1/me',
  '/api/v1/apps',
  '/api/v1/apps/crm',
  buildUrl(records, { limit: PAGE_SIZE }),
  buildUrl(`${records}/count`),
  buildUrl(viewsPath('crm', 'customer')),
];

afterEach(() => {
  vi.unstubAllGlobals();
  delete (window as BootWindow).__tesseraBoot;
});

describe('prefetchBootQueries', () => {
  it("puts a plain list's started reads in the cache under the keys its hooks read, asking nothing again", async () => {
    booted(LIST, (url) => Response.json({ url }));
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    const client = createQueryClient();
    prefetchBootQueries(client);
    await vi.waitFor(() => expect(client.getQueryData(viewsKey('crm', 'customer'))).toBeDefined());
    expect(client.getQueryData(keys.me)).toEqual({ url: LIST[0] });
    expect(client.getQueryData(keys.apps)).toEqual({ url: LIST[1] });
    expect(client.getQueryData(keys.app('crm'))).toEqual({ url: LIST[2] });
    // an infinite query's first page, as useRecordPages keeps it
    expect(client.getQueryData(keys.recordList('crm', 'customer', '', ''))).toEqual({ pages: [{ url: LIST[3] }], pageParams: [null] });
    expect(client.getQueryData(keys.recordCount('crm', 'customer', ''))).toEqual({ url: LIST[4] });
    expect(client.getQueryData(viewsKey('crm', 'customer'))).toEqual({ url: LIST[5] });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('hands the answers out together, once every started body is read', async () => {
    let answerRecords: (response: Response) => void = () => undefined;
    booted(LIST, (url) => Response.json({ url }));
    const boot = (window as BootWindow).__tesseraBoot!;
    boot.responses[LIST[3]] = new Promise((resolve) => (answerRecords = resolve));
    const client = createQueryClient();
    prefetchBootQueries(client);
    await new Promise((resolve) => setTimeout(resolve, 0));
    // who is signed in has answered, but is held back until the records have come too
    expect(client.getQueryData(keys.me)).toBeUndefined();
    answerRecords(Response.json({ url: LIST[3] }));
    await vi.waitFor(() => expect(client.getQueryData(keys.me)).toEqual({ url: LIST[0] }));
    expect(client.getQueryData(keys.recordList('crm', 'customer', '', ''))).toBeDefined();
  });

  it('does not hold the others back for long on a read that is slow to come (a large count)', async () => {
    vi.useFakeTimers();
    try {
      booted(LIST, (url) => Response.json({ url }));
      (window as BootWindow).__tesseraBoot!.responses[LIST[4]] = new Promise(() => undefined);
      const client = createQueryClient();
      prefetchBootQueries(client);
      await vi.advanceTimersByTimeAsync(BOOT_JOIN_MS);
      expect(client.getQueryData(keys.recordList('crm', 'customer', '', ''))).toEqual({ pages: [{ url: LIST[3] }], pageParams: [null] });
      expect(client.getQueryData(keys.recordCount('crm', 'customer', ''))).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("leaves a refused read to the page's own query, as an error like any other", async () => {
    booted(LIST, (url) => (url.endsWith('/count') ? Response.json({ status: 404, code: 'not_found' }, { status: 404 }) : Response.json({ url })));
    const client = createQueryClient();
    prefetchBootQueries(client);
    await vi.waitFor(() => expect(client.getQueryState(keys.recordCount('crm', 'customer', ''))?.status).toBe('error'));
    expect(client.getQueryData(keys.me)).toEqual({ url: LIST[0] });
  });

  it('prefetches nothing without a boot script, or for a read it does not know', () => {
    const client = createQueryClient();
    prefetchBootQueries(client);
    booted(['/api/v1/apps/crm/forms/customer/records?limit=50&sort=-name'], (url) => Response.json({ url }));
    prefetchBootQueries(client);
    expect(client.getQueryCache().getAll()).toHaveLength(0);
  });
});
