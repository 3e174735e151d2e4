import type { AppDefinition, FieldDef, FormDef, LocaleText } from '../api/types';
import { toExpression, fromExpression, type FilterModel } from '../filter/model';

/** The actions and named scopes the server knows (platform/tessera/permissions ACTIONS, SCOPES). */
export const ACTIONS = ['view', 'create', 'edit', 'delete', 'import', 'export', 'print', 'manage'] as const;
export const SCOPES = ['own', 'subordinates', 'department', 'department_tree', 'all'] as const;
export type NamedScope = (typeof SCOPES)[number];
/** The server's default when a permission names no scope. */
export const DEFAULT_SCOPE: NamedScope = 'own';

export interface RolePermission {
  form: string;
  actions: string[];
  scope?: unknown;
  fields?: { hidden?: string[]; readonly?: string[] };
}

export interface RoleDef {
  key: string;
  name: LocaleText;
  description?: LocaleText;
  permissions: RolePermission[];
}

/** The app's own administrator role: built in, never in the definition's `roles`. */
export const APP_ADMIN_ROLE = 'admin';
/** What the server accepts as a role key (app.schema.json `identifier`). */
export const ROLE_KEY = /^[a-z][a-z0-9_]{0,62}$/;

export function rolesOf(definition: AppDefinition | null | undefined): RoleDef[] {
  return ((definition?.roles as RoleDef[] | undefined) ?? []).map((role) => ({ ...role, permissions: role.permissions ?? [] }));
}

/** Order-insensitive for object keys (JSONB does not keep them), order-sensitive for arrays. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameJson(x, (b as unknown[])[i]));
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** True when the draft differs from the published definition in anything but its roles: publishing
 * the roles would publish those changes too, so the admin is warned first. */
export function hasOtherChanges(draft: AppDefinition | null, published: AppDefinition | null): boolean {
  if (!draft || !published) return false;
  const { roles: _a, ...restDraft } = draft;
  const { roles: _b, ...restPublished } = published;
  return !sameJson(restDraft, restPublished);
}

/** A definition with its roles replaced (an empty list drops the section). */
export function withRoles(definition: AppDefinition, roles: RoleDef[]): AppDefinition {
  const { roles: _old, ...rest } = definition;
  return roles.length ? { ...rest, roles } : (rest as AppDefinition);
}

/** A role's permission for one form, or a blank one (no actions: the role has no access). */
export function permissionFor(role: RoleDef, form: string): RolePermission {
  return role.permissions.find((p) => p.form === form) ?? { form, actions: [] };
}

/** The role with one form's permission replaced; a permission with no actions is dropped, and
 * empty field lists are left out, so the definition stays as small as an admin would write it. */
export function setPermission(role: RoleDef, next: RolePermission): RoleDef {
  const hidden = next.fields?.hidden ?? [];
  const readonly = next.fields?.readonly ?? [];
  const fields = hidden.length || readonly.length ? { ...(hidden.length ? { hidden } : {}), ...(readonly.length ? { readonly } : {}) } : undefined;
  const clean: RolePermission = { form: next.form, actions: next.actions, ...(next.scope !== undefined ? { scope: next.scope } : {}), ...(fields ? { fields } : {}) };
  const index = role.permissions.findIndex((p) => p.form === next.form);
  const permissions = [...role.permissions];
  if (next.actions.length === 0) {
    if (index >= 0) permissions.splice(index, 1);
  } else if (index >= 0) {
    permissions[index] = clean;
  } else {
    permissions.push(clean);
  }
  return { ...role, permissions };
}

/** Server field errors for one role: `roles[2].permissions[0].scope` -> `{form, rest: "scope"}`,
 * so each message lands next to the control it is about. */
export interface RoleProblem {
  /** the form key the problem is about, or null for the role itself (key, name) */
  form: string | null;
  /** what inside: "key", "name", "actions", "scope", "fields.hidden", … */
  rest: string;
  message: string;
}

export function roleProblems(problems: { path?: string; message: string }[], roleIndex: number, role: RoleDef): RoleProblem[] {
  const prefix = `roles[${roleIndex}]`;
  const out: RoleProblem[] = [];
  for (const problem of problems) {
    const path = problem.path ?? '';
    if (path !== prefix && !path.startsWith(`${prefix}.`)) continue;
    const inner = path.slice(prefix.length + 1);
    const match = /^permissions\[(\d+)\](?:\.(.*))?$/.exec(inner);
    if (match) {
      const form = role.permissions[Number(match[1])]?.form ?? null;
      out.push({ form, rest: (match[2] ?? '').replace(/\[\d+\]$/, ''), message: problem.message });
    } else {
      out.push({ form: null, rest: inner, message: problem.message });
    }
  }
  return out;
}

/** Fields the server lets a scope expression read besides the form's own (validation.py). */
export const SYSTEM_FIELDS: FieldDef[] = [
  { key: '_owner', type: 'member', label: {} },
  { key: '_department', type: 'department', label: {} },
  { key: '_created_by', type: 'member', label: {} },
  { key: '_updated_by', type: 'member', label: {} },
  { key: '_created_at', type: 'datetime', label: {} },
  { key: '_updated_at', type: 'datetime', label: {} },
];

export type CallerVariable = '$user' | '$department';
const CALLER_TYPE: Record<CallerVariable, string> = { $user: 'member', $department: 'department' };

/** "this member field is the person looking", "this department field is their department". */
export interface CallerCondition {
  field: string;
  variable: CallerVariable;
}

/** A custom data scope as the editor shows it: conditions on the caller plus ordinary field
 * conditions (edited with the list's condition builder), all joined by one "all/any". */
export interface ScopeModel {
  match: 'and' | 'or';
  caller: CallerCondition[];
  filter: FilterModel;
}

/** Fields a caller condition can compare: member fields with `$user`, department fields with `$department`. */
export function callerFields(form: FormDef, variable: CallerVariable): FieldDef[] {
  return [...form.fields, ...SYSTEM_FIELDS].filter((f) => f.type === CALLER_TYPE[variable]);
}

function asCaller(node: unknown): CallerCondition | null {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return null;
  const args = (node as Record<string, unknown>)['=='];
  if (Object.keys(node).length !== 1 || !Array.isArray(args) || args.length !== 2) return null;
  const [left, right] = args as { var?: unknown }[];
  if (typeof left?.var !== 'string' || (right?.var !== '$user' && right?.var !== '$department')) return null;
  return { field: left.var, variable: right.var };
}

/** An expression -> the editor's model; null when it has a shape the editor can't show (it is
 * then edited as JSON, never silently rewritten). */
export function scopeModel(expression: unknown): ScopeModel | null {
  let match: 'and' | 'or' = 'and';
  let parts: unknown[] = [expression];
  if (expression && typeof expression === 'object' && !Array.isArray(expression)) {
    const [op, args] = Object.entries(expression)[0] ?? [];
    if ((op === 'and' || op === 'or') && Array.isArray(args) && Object.keys(expression).length === 1) {
      match = op;
      parts = args;
    }
  }
  const caller: CallerCondition[] = [];
  const rest: unknown[] = [];
  for (const part of parts) {
    const condition = asCaller(part);
    if (condition) caller.push(condition);
    else rest.push(part);
  }
  const filter = rest.length === 0 ? { match, conditions: [] } : fromExpression(rest.length === 1 ? rest[0] : { [match]: rest });
  if (!filter) return null;
  return { match, caller, filter: { ...filter, match } };
}

/** The editor's model -> the scope expression; null while nothing complete is in it. */
export function scopeExpression(model: ScopeModel): unknown {
  const parts: unknown[] = model.caller
    .filter((c) => c.field)
    .map((c) => ({ '==': [{ var: c.field }, { var: c.variable }] }));
  for (const condition of model.filter.conditions) {
    const part = toExpression({ match: 'and', conditions: [condition] });
    if (part !== null) parts.push(part);
  }
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0] : { [model.match]: parts };
}
