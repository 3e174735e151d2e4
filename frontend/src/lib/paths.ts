/** URLs of the browser app's pages, built in one place. */
const seg = encodeURIComponent;

export const paths = {
  home: () => '/',
  login: (next?: string) => (next && next !== '/' ? `/login?next=${seg(next)}` : '/login'),
  app: (app: string) => `/apps/${seg(app)}`,
  list: (app: string, form: string) => `/apps/${seg(app)}/forms/${seg(form)}`,
  create: (app: string, form: string) => `/apps/${seg(app)}/forms/${seg(form)}/new`,
  record: (app: string, form: string, id: string) => `/apps/${seg(app)}/forms/${seg(form)}/records/${seg(id)}`,
  edit: (app: string, form: string, id: string) =>
    `/apps/${seg(app)}/forms/${seg(form)}/records/${seg(id)}/edit`,
  links: (app: string, form: string) => `/apps/${seg(app)}/forms/${seg(form)}/links`,
  /** the page anyone with a public fill link's token opens (no sign-in) */
  publicForm: (token: string) => `/f/${seg(token)}`,
};

/** Only same-site paths may be a post-login destination (no open redirect to another host). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}
