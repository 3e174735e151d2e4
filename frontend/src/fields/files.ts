import { API_BASE } from '../api/client';

/** What `POST /files` answers (the part the editors use). */
export interface Uploaded {
  id: string;
  name: string;
}

/** Where the browser fetches a stored file (the session cookie authorises it). */
export const fileUrl = (id: string) => `${API_BASE}/files/${encodeURIComponent(id)}`;

/** The ids of an id field's value, whether it holds one (member, signature) or several. */
export const idList = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).filter((id): id is string => typeof id === 'string' && id !== '');
