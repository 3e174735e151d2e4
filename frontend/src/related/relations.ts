import type { AppDetail, FieldDef, FormDef } from '../api/types';

/** One tab of a record page: the records of `form` whose relation `field` points at the record. */
export interface RelatedLink {
  /** unique among the tabs: `<form>.<field>` */
  key: string;
  form: FormDef;
  field: FieldDef;
  multiple: boolean;
}

/**
 * What the caller may do on a form, from `GET /apps/{app}`'s access map. Without a map (an
 * older server) everything is shown and the server alone decides, as it always does anyway.
 */
export function can(app: AppDetail, form: string, action: string): boolean {
  if (!app.access) return true;
  return Boolean(app.access[form]?.actions.includes(action));
}

/** Is `field` of `form` read-only for the caller (a field permission)? */
export function isReadonlyFor(app: AppDetail, form: string, field: string): boolean {
  return Boolean(app.access?.[form]?.readonly.includes(field));
}

/**
 * Every (form, relation field) of the app that points at `target`, in definition order, for the
 * forms the caller may view. Relations inside sub-forms live in child tables the list API cannot
 * filter by, so only a form's own fields count.
 */
export function relatedLinks(app: AppDetail, target: string): RelatedLink[] {
  const links: RelatedLink[] = [];
  for (const form of app.definition.forms) {
    if (!can(app, form.key, 'view')) continue;
    for (const field of form.fields) {
      if (field.type !== 'relation' || field.target !== target) continue;
      links.push({ key: `${form.key}.${field.key}`, form, field, multiple: Boolean(field.multiple) });
    }
  }
  return links;
}

/** The list filter "points at `id`": equality for a single relation, membership for a multiple one. */
export function relatedFilter(link: RelatedLink, id: string): string {
  const ref = { var: link.field.key };
  return JSON.stringify(link.multiple ? { in: [id, ref] } : { '==': [ref, id] });
}

/** The new-record page's prefill that makes a record point at `id` through the link. */
export function relatedPrefill(link: RelatedLink, id: string): Record<string, unknown> {
  return { [link.field.key]: link.multiple ? [id] : id };
}

/** Query parameters of the new-record page: field values to start from, and where to go after. */
export const PREFILL_PARAM = 'prefill';
export const BACK_PARAM = 'back';

/** `?prefill=<json>&back=<path>` for a "New …" button that starts from these values. */
export function prefillSearch(values: Record<string, unknown>, back?: string): string {
  const params = new URLSearchParams({ [PREFILL_PARAM]: JSON.stringify(values) });
  if (back) params.set(BACK_PARAM, back);
  return `?${params.toString()}`;
}

/** The `prefill` parameter's values, or {} when there is none or it is not a JSON object. */
export function readPrefill(raw: string | null): Record<string, unknown> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
