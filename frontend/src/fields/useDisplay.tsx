import type { ReactNode } from 'react';
import type { FieldDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { fieldType, type DisplayContext } from './registry';

/** Shows any field's value read-only, in the current language; `titles` are a record's `_titles`. */
export function useDisplay(options: { compact?: boolean } = {}) {
  const { t, text, locale } = useI18n();
  const base: DisplayContext = { t, text, locale, compact: options.compact };
  return (field: FieldDef, value: unknown, titles?: Record<string, string>): ReactNode =>
    fieldType(field.type).display(value, field, { ...base, title: titles?.[field.key] });
}
