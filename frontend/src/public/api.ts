import { api, apiRequest } from '../api/client';
import type { FormDef, LocaleText } from '../api/types';
import type { Uploaded } from '../fields/files';

/** `GET /public/{token}`: the form a public fill link shows, without what the public may not fill. */
export interface PublicForm {
  app: { key: string; name: LocaleText };
  form: FormDef;
  /** the server's parse of each formula text in the form (as GET /apps/{app} carries it) */
  formula_trees?: Record<string, unknown>;
  requires_password: boolean;
  expires_at: string | null;
}

/** A public fill link as its managers see it (the token itself is shown only once, on creation). */
export interface PublicLink {
  id: string;
  app: string;
  form: string;
  name: string | null;
  owner: string | null;
  enabled: boolean;
  has_password: boolean;
  expires_at: string | null;
  created_at: string | null;
  /** other sites that may show the form in a frame (origins, as the server stored them) */
  embed_origins: string[];
}

export interface NewLink {
  owner: string;
  name?: string;
  password?: string;
  expires_at?: string | null;
  embed_origins?: string[];
}

/** What PATCH …/public-links/{id} changes: only the keys given (`""` removes a password or name, `expires_at: null` the expiry). */
export interface LinkChanges {
  enabled?: boolean;
  expires_at?: string | null;
  password?: string;
  name?: string;
  /** replaces the list (`[]`: no other site may frame the form) */
  embed_origins?: string[];
}

const seg = encodeURIComponent;
const publicPath = (token: string) => `/public/${seg(token)}`;
const linksPath = (app: string, form: string) => `/apps/${seg(app)}/forms/${seg(form)}/public-links`;

export const publicApi = {
  /** a link with a password needs it in a header (never in the URL, where logs would keep it) */
  get: (token: string, password: string | undefined, signal?: AbortSignal) =>
    apiRequest<PublicForm>(publicPath(token), { signal, headers: password ? { 'X-Link-Password': password } : undefined }),
  submit: (token: string, data: Record<string, unknown>, password?: string) =>
    api.post<{ _id: string; submitted_at: string }>(`${publicPath(token)}/submit`, { data, password: password || undefined }),
  /** a file for one of the link's file fields (`papers`, or `items.scan` in a sub-form) */
  upload: (token: string, field: string, body: FormData, password?: string) =>
    apiRequest<Uploaded>(`${publicPath(token)}/files`, {
      method: 'POST',
      body,
      query: { field },
      headers: password ? { 'X-Link-Password': password } : undefined,
    }),
};

export const linksApi = {
  list: (app: string, form: string, signal?: AbortSignal) => api.get<{ items: PublicLink[] }>(linksPath(app, form), undefined, signal),
  create: (app: string, form: string, body: NewLink) => api.post<PublicLink & { token: string; url: string }>(linksPath(app, form), body),
  update: (app: string, form: string, id: string, body: LinkChanges) =>
    api.patch<PublicLink>(`${linksPath(app, form)}/${seg(id)}`, body),
  remove: (app: string, form: string, id: string) => api.delete(`${linksPath(app, form)}/${seg(id)}`),
};
