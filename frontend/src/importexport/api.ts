import { useEffect, useState } from 'react';
import { api, API_BASE, buildUrl } from '../api/client';
import { ApiError, type Problem } from '../api/errors';

export const formPath = (app: string, form: string) =>
  `/apps/${encodeURIComponent(app)}/forms/${encodeURIComponent(form)}`;

export interface CellError {
  row: number;
  column: string | null;
  field: string | null;
  code: string;
  message: string;
  value?: unknown;
}

export interface Preview {
  format: string;
  encoding: string | null;
  sheet: string | null;
  headers: string[];
  estimated_rows: number | null;
  columns: PreviewColumn[];
  fields: PreviewField[];
  missing_required: string[];
  rows: PreviewRecord[];
}

export interface PreviewColumn {
  index: number;
  header: string;
  field: string | null;
  matched_by: string | null;
  /** the sub-form of a `<sub-form>.<field>` column */
  subform?: string | null;
  /** why a column that names a field is skipped (`files_not_importable`) */
  note?: string | null;
}

export interface PreviewField {
  /** `<sub-form>.<field>` for a sub-form's field */
  key: string;
  label: Record<string, string> | string | null;
  type: string;
  required: boolean;
  subform?: string | null;
  multiple?: boolean;
}

/** One record of the file: it spans `file_rows` (several when it has sub-form rows). */
export interface PreviewRecord {
  row: number;
  file_rows?: number[];
  /** the cells of its first file row, by header */
  cells: Record<string, string | null>;
  /** the cells of each of its file rows (in `file_rows` order), by header */
  row_cells?: Record<string, string | null>[];
  /** the converted values (sub-forms as lists of rows); empty when the record has errors */
  values?: Record<string, unknown>;
  action: 'insert' | 'update';
  errors: CellError[];
}

export interface Artifact {
  id: string;
  name: string;
  url: string;
}

export interface ImportSummary {
  mode: string;
  atomic: boolean;
  rows: number;
  inserted: number;
  updated: number;
  failed_rows: number;
  errors: CellError[];
  error_report: Artifact | null;
}

export interface Job<R = unknown> {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { done: number | null; total: number | null } | null;
  result: R | null;
  error: { message?: string; details?: { code?: string } & Partial<ImportSummary> } | null;
}

export interface Started {
  job_id: string;
  status_url: string;
}

export type ImportMode = 'insert' | 'upsert' | 'update';

export interface ImportRequest {
  file: File;
  mapping: Record<string, string | null>;
  mode: ImportMode;
  keyField?: string;
  locale: string;
}

function body(request: ImportRequest, atomic?: boolean): FormData {
  const form = new FormData();
  form.append('file', request.file);
  form.append('mapping', JSON.stringify(request.mapping));
  form.append('mode', request.mode);
  if (request.mode !== 'insert' && request.keyField) form.append('key_field', request.keyField);
  form.append('locale', request.locale);
  if (atomic !== undefined) form.append('atomic', String(atomic));
  return form;
}

export const ioApi = {
  preview: (app: string, form: string, request: ImportRequest) =>
    api.upload<Preview>(`${formPath(app, form)}/import/preview`, body(request)),
  start: (app: string, form: string, request: ImportRequest, atomic: boolean) =>
    api.upload<Started>(`${formPath(app, form)}/import`, body(request, atomic)),
  job: <R>(id: string) => api.get<Job<R>>(`/jobs/${encodeURIComponent(id)}`),
};

/** A job's link (`/api/v1/jobs/…`) as an href the browser can follow (the API answers same-origin). */
export const artifactHref = (artifact: Artifact) =>
  artifact.url.startsWith('/api/') ? artifact.url : `${API_BASE}${artifact.url}`;

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);
export const POLL_MS = 1000;

/** Polls a job until it finishes; null while there is no job. */
export function useJob<R>(id: string | null): { job: Job<R> | null; error: unknown } {
  const [job, setJob] = useState<Job<R> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setJob(null);
    setError(null);
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await ioApi.job<R>(id);
        if (stopped) return;
        setJob(next);
        if (!FINISHED.has(next.status)) timer = setTimeout(() => void tick(), POLL_MS);
      } catch (cause) {
        if (!stopped) setError(cause);
      }
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);
  return { job, error };
}

export function percent(job: Job | null): number {
  const done = job?.progress?.done ?? 0;
  const total = job?.progress?.total ?? 0;
  if (job?.status === 'succeeded') return 100;
  return total > 0 ? Math.min(99, Math.round((done / total) * 100)) : 0;
}

/** Saves a blob under a name, as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileName(disposition: string | null, fallback: string): string {
  const match = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  return match ? decodeURIComponent(match[1]) : fallback;
}

/** The export: the file itself (small sets) or a job to follow (202). */
export async function requestExport(
  app: string,
  form: string,
  query: { format: 'xlsx' | 'csv'; filter: string; sort: string; locale: string },
): Promise<{ kind: 'file' } | { kind: 'job'; started: Started }> {
  const response = await fetch(buildUrl(`${formPath(app, form)}/export`, query), {
    credentials: 'same-origin',
    headers: { Accept: '*/*', 'Accept-Language': query.locale },
  });
  if (!response.ok) {
    let problem: Problem = { status: response.status, title: response.statusText };
    try {
      problem = (await response.json()) as Problem;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, problem);
  }
  if (response.status === 202) return { kind: 'job', started: (await response.json()) as Started };
  saveBlob(await response.blob(), fileName(response.headers.get('Content-Disposition'), `${form}.${query.format}`));
  return { kind: 'file' };
}
