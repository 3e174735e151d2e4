import { createContext, useContext } from 'react';
import { api } from '../api/client';
import type { AppDetail, FieldDef, FormDef } from '../api/types';
import type { Uploaded } from './files';

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

/**
 * A record's title, falling back to its id; `idChars` cuts that id (a list row's checkbox names
 * its record by the id's first 8 characters, enough to tell rows apart, short enough to read).
 */
export function recordTitle(form: FormDef, record: Record<string, unknown>, { idChars }: { idChars?: number } = {}): string {
  const key = titleFieldOf(form);
  const value = key ? record[key] : undefined;
  return value == null || value === '' ? String(record._id ?? '').slice(0, idChars) : String(value);
}

/**
 * Where the address editor reads the region tree: members use `/regions`; a public fill page
 * provides `/public/<token>/regions` (the same answer, opened by the link's token).
 */
export const RegionsPathContext = createContext<string>('/regions');

/**
 * Where the file, image and signature editors send an upload: `field` is the field's path in
 * the form (`papers`, or `items.scan` inside a sub-form). Members upload to `POST /files`; a
 * public fill page provides its link's `POST /public/<token>/files?field=…` (with the link's
 * password), so the same editors work there.
 */
export type UploadTarget = (body: FormData, field: string) => Promise<Uploaded>;

const uploadToFiles: UploadTarget = (body) => api.upload<Uploaded>('/files', body);

export const UploadTargetContext = createContext<UploadTarget>(uploadToFiles);

/** The sub-form whose row an editor is in ('' outside one): the first part of its upload path. */
export const SubformKeyContext = createContext<string>('');

/** Uploads a file for `field` wherever this page's uploads go. */
export function useUpload(field: FieldDef): (body: FormData) => Promise<Uploaded> {
  const target = useContext(UploadTargetContext);
  const subform = useContext(SubformKeyContext);
  const path = subform ? `${subform}.${field.key}` : field.key;
  return (body) => target(body, path);
}
