import { vi } from 'vitest';

export interface MockCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** An answer with a status other than 200 (plain objects in a route table answer 200). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}
export const reply = (status: number, body?: unknown) => new Reply(status, body);

type Responder = (call: MockCall) => Reply | object | undefined;

/**
 * Replaces `fetch` with a table of routes: "GET /api/v1/me" -> a responder. Unmatched calls
 * answer 404 problem+json, so a test sees exactly what the component asked for in `calls`.
 */
export function mockFetch(routes: Record<string, Responder | object>) {
  const calls: MockCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input.toString();
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = { ...(init.headers as Record<string, string> | undefined) };
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call = { method, url, headers, body };
    calls.push(call);
    const path = url.split('?')[0];
    const route = routes[`${method} ${path}`] ?? routes[`${method} ${url}`];
    const raw = typeof route === 'function' ? (route as Responder)(call) : route;
    const answer =
      raw instanceof Reply ? raw : raw === undefined ? reply(404, { title: 'Not Found', status: 404, code: 'not_found' }) : reply(200, raw);
    const isProblem = answer.status >= 400;
    return new Response(answer.status === 204 || answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': isProblem ? 'application/problem+json' : 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}
