import { createContext, useContext } from 'react';
import type { AppDetail, FormDef } from '../api/types';

/** What editors need beyond their own field: the app (relation targets live in it). */
export const AppDefinitionContext = createContext<AppDetail | null>(null);

/** Titles of related records, by relation field key: a record's (or a sub-form row's) `_titles`. */
export const TitlesContext = createContext<Record<string, string>>({});

export function useAppDefinition(): AppDetail {
  const app = useContext(AppDefinitionContext);
  if (!app) throw new Error('relation field outside <AppDefinitionContext>');
  return app;
}

/** The field whose value names a record of this form for people. */
export function titleFieldOf(form: FormDef): string | undefined {
  return form.title_field ?? form.fields.find((field) => field.type === 'text')?.key;
}

/** A record's title, falling back to its id. */
export function recordTitle(form: FormDef, record: Record<string, unknown>): string {
  const key = titleFieldOf(form);
  const value = key ? record[key] : undefined;
  return value == null || value === '' ? String(record._id ?? '') : String(value);
}

/**
 * Where the address editor reads the region tree: members use `/regions`; a public fill page
 * provides `/public/<token>/regions` (the same answer, opened by the link's token).
 */
export const RegionsPathContext = createContext<string>('/regions');
