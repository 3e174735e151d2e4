import type { BootState } from '../app/boot';
import { ApiError, type Problem } from './errors';

export const API_BASE = '/api/v1';
const CSRF_COOKIE = 'tessera_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON-encoded, unless it is FormData (a file upload, sent as multipart) */
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** extra request headers (e.g. a public link's password) */
  headers?: Record<string, string>;
}

let language: string | undefined;

/** The UI language, sent as Accept-Language so the server's messages match the screen. */
export function setApiLanguage(locale: string): void {
  language = locale;
}

type UnauthenticatedListener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called whenever a request answers 401, so the app can send the user to the login page. */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export function readCookie(name: string): string | undefined {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(';')) {
    const item = part.trim();
    if (item.startsWith(prefix)) return decodeURIComponent(item.slice(prefix.length));
  }
  return undefined;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

/**
 * The response index.html's boot script already started for this GET (see app/boot.ts), once:
 * only while fresh, only if it was asked in the language the app now speaks. Any change the
 * app makes (an unsafe method) drops them all, so nothing read before it is handed out after.
 */
export function takeBootResponse(url: string, method: string): Promise<Response> | undefined {
  const boot = (globalThis as { __tesseraBoot?: BootState }).__tesseraBoot;
  if (!boot) return undefined;
  if (method !== 'GET') {
    boot.responses = {};
    return undefined;
  }
  const started = boot.responses[url];
  if (!started) return undefined;
  delete boot.responses[url];
  if (boot.language !== (language ?? '') || performance.now() > boot.until) return undefined;
  return started;
}

/** A response with its body read: what the client needs of it. */
interface Answer {
  ok: boolean;
  status: number;
  statusText: string;
  body: string;
}

async function answerOf(response: Response): Promise<Answer> {
  const { ok, status, statusText } = response;
  // an error's body is read leniently (a proxy's page, a dropped connection): readProblem copes
  const body = status === 204 ? '' : ok ? await response.text() : await response.text().catch(() => '');
  return { ok, status, statusText, body };
}

/** The started responses whose bodies are being read already (readBootAnswers). */
const bootAnswers = new WeakMap<Promise<Response>, Promise<Answer>>();

/** How long a read answer waits for the others (a slow count must not hold back the records). */
export const BOOT_JOIN_MS = 25;

/**
 * Reads the bodies of all the responses the boot script started, together: each is handed out
 * once every one has been read, or BOOT_JOIN_MS after its own was, whichever comes first. So
 * the queries taking them resolve in the same task and the page draws them in one render, not
 * one render (and frame) per answer, while a slow one (a large table's count) delays the rest
 * by at most that. Reading a body that has arrived costs the main thread a task of its own;
 * started at the first render, the reads are over before the page's code asks.
 */
export function readBootAnswers(): void {
  const boot = (globalThis as { __tesseraBoot?: BootState }).__tesseraBoot;
  if (!boot) return;
  const started = Object.values(boot.responses).filter((response) => !bootAnswers.has(response));
  const reads = started.map((response) => response.then(answerOf));
  const all = Promise.all(reads.map((read) => read.catch(() => undefined)));
  const afterOwn = (read: Promise<Answer>) =>
    read.catch(() => undefined).then(() => new Promise<void>((resolve) => setTimeout(resolve, BOOT_JOIN_MS)));
  started.forEach((response, index) =>
    bootAnswers.set(response, Promise.race([all, afterOwn(reads[index])]).then(() => reads[index])),
  );
}

function readProblem({ body: text, status, statusText }: Answer): Problem {
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') return parsed as Problem;
    } catch {
      // Not JSON (a proxy's HTML error page): fall through to a generic problem.
    }
  }
  return { status, title: statusText };
}

/**
 * The one way the browser talks to the API: JSON in and out, the session cookie, the CSRF header
 * on every unsafe method, and problem+json errors turned into {@link ApiError}.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...options.headers };
  const multipart = options.body instanceof FormData;
  // multipart: the browser writes the Content-Type with its boundary
  if (options.body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (language) headers['Accept-Language'] = language;
  if (UNSAFE.has(method)) {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  const url = buildUrl(path, options.query);
  const booted = options.headers ? undefined : takeBootResponse(url, method);
  let response: Answer;
  try {
    // a started response that failed (the network, or reading its body) is asked for again, as any other would be
    const started = booted && (await (bootAnswers.get(booted) ?? booted.then(answerOf)).catch(() => undefined));
    response = started || (await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : multipart ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    }).then(answerOf));
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, { title: 'Network error', code: 'network_error' });
  }
  if (!response.ok) {
    const error = new ApiError(response.status, readProblem(response));
    if (error.isUnauthenticated && !path.startsWith('/auth/')) {
      unauthenticatedListeners.forEach((listener) => listener(error));
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (response.body ? JSON.parse(response.body) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  delete: <T = void>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
  upload: <T>(path: string, form: FormData, query?: Query) => apiRequest<T>(path, { method: 'POST', body: form, query }),
};
