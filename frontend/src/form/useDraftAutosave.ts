import { useCallback, useEffect, useRef, useState } from 'react';

type Values = Record<string, unknown>;

/** What is kept per form and record: the editable fields in API shape (dates as ISO text, not dayjs). */
export interface Draft {
  savedAt: string;
  /** the record's `_version` the draft was made from (edits only) */
  version?: number;
  data: Values;
}

const PREFIX = 'tessera.draft/';
/** Older drafts are forgotten: nobody wants a month-old half-filled form offered back. */
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
/** Typing pauses this long before the values are written (localStorage writes are synchronous). */
export const DRAFT_DELAY_MS = 800;

/** One draft per user, app, form and record (`new` for a record not created yet). */
export function draftKey(parts: { user: string; app: string; form: string; record?: string }): string {
  return `${PREFIX}${parts.user}/${parts.app}/${parts.form}/${parts.record ?? 'new'}`;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null; // storage blocked (privacy settings): autosave is simply off
  }
}

function parse(raw: string | null): Draft | null {
  if (!raw) return null;
  try {
    const draft = JSON.parse(raw) as Draft;
    if (typeof draft?.savedAt !== 'string' || typeof draft.data !== 'object' || draft.data === null) return null;
    return draft;
  } catch {
    return null;
  }
}

const stale = (draft: Draft, now: number) => now - Date.parse(draft.savedAt) > MAX_AGE_MS;

export function readDraft(key: string): Draft | null {
  const store = storage();
  const draft = parse(store?.getItem(key) ?? null);
  if (draft && stale(draft, Date.now())) {
    store?.removeItem(key);
    return null;
  }
  return draft;
}

export function removeDraft(key: string): void {
  storage()?.removeItem(key);
}

/** Forgets every draft older than the limit (of any form), so abandoned drafts don't pile up. */
export function pruneDrafts(now = Date.now()): void {
  const store = storage();
  if (!store) return;
  const keys = Array.from({ length: store.length }, (_, i) => store.key(i)).filter((k): k is string => Boolean(k?.startsWith(PREFIX)));
  for (const key of keys) {
    const draft = parse(store.getItem(key));
    if (!draft || stale(draft, now)) store.removeItem(key);
  }
}

/** Removes the drafts of one user (or all), e.g. when they sign out of a shared computer. */
export function clearDrafts(user?: string): void {
  const store = storage();
  if (!store) return;
  const prefix = user ? `${PREFIX}${user}/` : PREFIX;
  const keys = Array.from({ length: store.length }, (_, i) => store.key(i)).filter((k): k is string => Boolean(k?.startsWith(prefix)));
  keys.forEach((key) => store.removeItem(key));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Options {
  /** null: no autosave (a public fill page, no signed-in user) */
  key: string | null;
  /** the editable values as the form opened, in API shape: a draft equal to them is no draft */
  baseline: Values;
  version?: number;
  delayMs?: number;
}

/**
 * Keeps the unsaved values of a form in localStorage while the user types, so a closed tab, a
 * crash or a dead battery doesn't lose them, and offers them back when the form is opened again.
 *
 * `schedule(read)` is called on every change; `read` gives the current values in API shape and
 * is only called when the pause is over. The draft offered on opening is kept untouched until
 * the user restores or discards it: typing meanwhile must not overwrite it.
 */
export function useDraftAutosave({ key, baseline, version, delayMs = DRAFT_DELAY_MS }: Options) {
  const [offer, setOffer] = useState<Draft | null>(() => {
    if (!key) return null;
    pruneDrafts();
    const draft = readDraft(key);
    if (draft && same(draft.data, baseline)) {
      removeDraft(key);
      return null;
    }
    return draft;
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef<(() => Values) | null>(null);
  const holding = useRef(offer !== null);
  const latest = useRef({ key, baseline, version });
  latest.current = { key, baseline, version };

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    const read = pending.current;
    pending.current = null;
    const { key: current, baseline: base, version: ver } = latest.current;
    if (!read || !current || holding.current) return;
    const data = read();
    if (same(data, base)) {
      removeDraft(current);
      return;
    }
    const draft: Draft = { savedAt: new Date().toISOString(), version: ver, data };
    try {
      storage()?.setItem(current, JSON.stringify(draft));
    } catch {
      // full or blocked storage: the form still works, only without a safety net
    }
  }, []);

  const schedule = useCallback(
    (read: () => Values) => {
      if (!latest.current.key || holding.current) return;
      pending.current = read;
      clearTimeout(timer.current);
      timer.current = setTimeout(flush, delayMs);
    },
    [delayMs, flush],
  );

  /** Saved, or the user chose to throw the changes away: no draft any more. */
  const clear = useCallback(() => {
    clearTimeout(timer.current);
    pending.current = null;
    holding.current = false;
    if (latest.current.key) removeDraft(latest.current.key);
    setOffer(null);
  }, []);

  /** The offered draft was taken back into the form: autosave resumes from here. */
  const accept = useCallback(() => {
    holding.current = false;
    setOffer(null);
  }, []);

  // closing the tab or the page going away mid-pause still writes what was typed
  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);

  return { offer, schedule, clear, accept, flush };
}
