import type { AppDefinition } from '../api/types';
import type { Translate } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { shellEn } from '../i18n/messages.shell';

/** A step (or blocker) of a publish plan as the server words it: a stable code and its params. */
export interface Worded {
  code?: string;
  params?: Record<string, unknown>;
}

type Vars = Record<string, string | number>;

/**
 * The reader's-language text of a plan step or blocker, from its `code` and `params`
 * (`plan.step.<code>` / `plan.blocker.<code>`), with `names` put in place of params (a field's
 * label for its column key); the server's English `fallback` for a code this build does not know
 * yet (a newer server), so nothing is ever shown blank.
 */
export function planText(kind: 'step' | 'blocker', item: Worded, fallback: string, t: Translate, names: Vars = {}): string {
  const key = `plan.${kind}.${item.code ?? ''}`;
  // the plan's texts live in messages.shell (kept in step with the server's codes); asking that
  // one table, not the merged ones, keeps both languages' messages out of the admin pages' chunks
  if (!item.code || !(key in shellEn)) return fallback;
  const vars: Vars = {};
  for (const [name, value] of Object.entries(item.params ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') vars[name] = value;
  }
  return t(key as MessageKey, { ...vars, ...names });
}

/**
 * The names a step's params stand for in the draft: the form's and sub-form's names and the
 * field's label beside its column key, so the admin reads "Nickname (nickname)" rather than a
 * bare key. Keys the draft no longer has (a removed field) stay as they are.
 */
export function planNames(item: Worded, draft: AppDefinition | null | undefined, text: (value: Record<string, string> | string | undefined) => string, t: Translate): Vars {
  const params = item.params ?? {};
  const form = draft?.forms.find((f) => f.key === params.form);
  if (!form) return {};
  const names: Vars = { form: text(form.name) };
  const sub = typeof params.subform === 'string' ? form.fields.find((f) => f.key === params.subform) : undefined;
  if (sub) names.subform = text(sub.label);
  const field = (sub ? (sub.fields ?? []) : form.fields).find((f) => f.key === params.column);
  if (field && typeof params.column === 'string') names.column = t('plan.field', { label: text(field.label), key: params.column });
  return names;
}
