// Types of first-paint.mjs (plain ESM run by Node at build time, outside the app's tsconfig).

/** The project's Python (its Jinja2 fills the templates on the server). */
export const PYTHON: string;
export const OUTPUT: string;
export function hasJinja(): boolean;
/** Fills each template with its context as the server does (Jinja2, autoescape on, strict undefined). */
export function fillWithJinja(jobs: { template: string; context: Record<string, unknown> }[]): string[];
export function matchesWidth(query: string, width: number): boolean;
/** The form routes' stylesheets named in a built index.html's boot script. */
export function formStylesheets(indexHtml: string): string[];
