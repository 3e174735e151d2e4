import { vi } from 'vitest';

/**
 * Holds every PATCH until `release()` (the rest of `fetch` as mocked), so a test can look at
 * the screen while a save is still on its way.
 */
export function holdPatches() {
  const inner = globalThis.fetch;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    if ((init?.method ?? 'GET').toUpperCase() === 'PATCH') await gate;
    return inner(input, init);
  });
  return { release };
}

export const searchOf = (url: string) => new URL(url, 'http://x').searchParams;
