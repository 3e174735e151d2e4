import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, apiRequest, buildUrl, onUnauthenticated } from './client';
import { ApiError } from './errors';
import { mockFetch, reply } from '../test/fetchMock';

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = 'tessera_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

describe('apiRequest', () => {
  it('sends JSON with the session cookie and parses the answer', async () => {
    const { calls, fetchMock } = mockFetch({ 'GET /api/v1/apps': { items: [] } });
    await expect(api.get('/apps')).resolves.toEqual({ items: [] });
    expect(calls[0].url).toBe('/api/v1/apps');
    expect(fetchMock.mock.calls[0][1]).toMatchObject({ credentials: 'same-origin', method: 'GET' });
    expect(calls[0].headers['X-CSRF-Token']).toBeUndefined();
  });

  it('sends the CSRF cookie back as a header on unsafe methods only', async () => {
    document.cookie = 'tessera_csrf=abc%3D123';
    const { calls } = mockFetch({
      'POST /api/v1/things': reply(201, { ok: true }),
      'GET /api/v1/things': { ok: true },
      'DELETE /api/v1/things/1': reply(204),
    });
    await api.post('/things', { a: 1 });
    await api.get('/things');
    await expect(api.delete('/things/1')).resolves.toBeUndefined();
    expect(calls[0].headers['X-CSRF-Token']).toBe('abc=123');
    expect(calls[0].headers['Content-Type']).toBe('application/json');
    expect(calls[0].body).toEqual({ a: 1 });
    expect(calls[1].headers['X-CSRF-Token']).toBeUndefined();
    expect(calls[2].headers['X-CSRF-Token']).toBe('abc=123');
  });

  it('turns problem+json into an ApiError with code, status and field errors', async () => {
    mockFetch({
      'POST /api/v1/apps/crm/forms/customer/records': reply(422, {
        type: 'about:blank',
        title: 'Invalid record',
        status: 422,
        detail: 'Some fields are not valid.',
        code: 'validation_failed',
        errors: [{ path: 'data.items[2].qty', code: 'too_small', message: 'Must be at least 1' }],
      }),
    });
    const error = await apiRequest('/apps/crm/forms/customer/records', { method: 'POST', body: { data: {} } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.code).toBe('validation_failed');
    expect(apiError.message).toBe('Some fields are not valid.');
    expect(apiError.errors).toEqual([{ path: 'data.items[2].qty', code: 'too_small', message: 'Must be at least 1' }]);
  });

  it('survives a non-JSON error page and a network failure', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })));
    const bad = (await api.get('/x').catch((e: unknown) => e)) as ApiError;
    expect(bad.status).toBe(502);
    expect(bad.code).toBe('http_502');
    expect(bad.errors).toEqual([]);

    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const offline = (await api.get('/x').catch((e: unknown) => e)) as ApiError;
    expect(offline.status).toBe(0);
    expect(offline.code).toBe('network_error');
  });

  it('tells listeners when the session has expired, except for the login call itself', async () => {
    mockFetch({
      'GET /api/v1/me': reply(401, { status: 401, code: 'not_authenticated', title: 'Not authenticated' }),
      'POST /api/v1/auth/login': reply(401, { status: 401, code: 'invalid_credentials' }),
    });
    const listener = vi.fn();
    const stop = onUnauthenticated(listener);
    await api.get('/me').catch(() => undefined);
    await api.post('/auth/login', { email: 'a', password: 'b' }).catch(() => undefined);
    stop();
    expect(listener).toHaveBeenCalledTimes(1);
    expect((listener.mock.calls[0][0] as ApiError).code).toBe('not_authenticated');
  });
});

describe('uploads', () => {
  it('send FormData as multipart with the CSRF header', async () => {
    document.cookie = 'tessera_csrf=tok';
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ id: 'f1' }), { status: 201 }));
    vi.stubGlobal('fetch', fetchMock);
    const form = new FormData();
    form.append('file', new Blob(['hi']), 'a.txt');
    await expect(api.upload('/files', form, { app: 'crm' })).resolves.toEqual({ id: 'f1' });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/files?app=crm');
    expect(init.body).toBe(form);
    const headers = init.headers as Record<string, string>;
    expect(headers['Content-Type']).toBeUndefined();
    expect(headers['X-CSRF-Token']).toBe('tok');
  });
});

describe('buildUrl', () => {
  it('encodes the query and drops empty parameters', () => {
    const filter = JSON.stringify({ '==': [{ var: 'level' }, 'A & B'] });
    const url = buildUrl('/apps/crm/forms/customer/records', { filter, sort: '-amount', cursor: null, q: '' });
    const params = new URL(url, 'http://x').searchParams;
    expect(params.get('filter')).toBe(filter);
    expect(params.get('sort')).toBe('-amount');
    expect(params.has('cursor')).toBe(false);
    expect(params.has('q')).toBe(false);
  });
});
