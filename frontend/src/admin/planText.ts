import type { Translate } from '../i18n/I18nProvider';
import { messages, type MessageKey } from '../i18n/messages';

/** A step (or blocker) of a publish plan as the server words it: a stable code and its params. */
export interface Worded {
  code?: string;
  params?: Record<string, unknown>;
}

/**
 * The reader's-language text of a plan step or blocker, from its `code` and `params`
 * (`plan.step.<code>` / `plan.blocker.<code>`); the server's English `fallback` for a code this
 * build does not know yet (a newer server), so nothing is ever shown blank.
 */
export function planText(kind: 'step' | 'blocker', item: Worded, fallback: string, t: Translate): string {
  const key = `plan.${kind}.${item.code ?? ''}`;
  if (!item.code || !(key in messages.en)) return fallback;
  const vars: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(item.params ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') vars[name] = value;
  }
  return t(key as MessageKey, vars);
}
