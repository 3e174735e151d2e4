/** Shapes of the Tessera HTTP API (CONTRACT.md §1 and §4) as the browser uses them. */

/** Every user-visible text of a definition is a map from locale to text. */
export type LocaleText = Record<string, string>;

/** A JsonLogic-compatible expression tree (ARCHITECTURE.md §3). */
export type Expression = unknown;

export interface FieldOption {
  value: string;
  label: LocaleText;
  color?: string;
}

export interface FieldDef {
  key: string;
  type: string;
  label: LocaleText;
  required?: boolean;
  unique?: boolean;
  options?: FieldOption[];
  help?: LocaleText;
  placeholder?: LocaleText;
  visible_when?: Expression;
  /** subform: the fields of one row */
  fields?: FieldDef[];
  /** relation: the target form's key (in the same app) */
  target?: string;
  formula?: string;
  pattern?: string;
  /** number-like types */
  precision?: number;
  min?: number;
  max?: number;
  currency?: string;
  /** rating */
  count?: number;
  [extra: string]: unknown;
}

export interface FormDef {
  key: string;
  name: LocaleText;
  title_field?: string;
  fields: FieldDef[];
  layout?: Record<string, unknown>;
}

export interface AppDefinition {
  format: string;
  key: string;
  name: LocaleText;
  version: string;
  forms: FormDef[];
  [section: string]: unknown;
}

export interface AppSummary {
  key: string;
  name: LocaleText;
  /** the definition's own version label ("1.2.0"); null when the definition has none */
  version: string | null;
  status: 'draft' | 'published';
  published_at: string | null;
  forms: { key: string; name: LocaleText }[];
}

export interface AppDetail {
  key: string;
  name: LocaleText;
  version: string;
  status: 'draft' | 'published';
  published_at: string | null;
  definition: AppDefinition;
  has_draft: boolean;
  /** per form, what the caller may do (the browser shows only buttons that will work) */
  access?: Record<string, FormAccess>;
  /** each expression the definition writes as formula text, parsed by the server: `{text: tree}` */
  formula_trees?: Record<string, Expression>;
}

/** `GET /apps/{app}`'s access entry of one form: its actions and the caller's read-only fields. */
export interface FormAccess {
  actions: string[];
  readonly: string[];
}

export interface User {
  id: string;
  email: string;
  name: string;
  is_admin: boolean;
}

export interface Me extends User {
  tenant: { key: string; name: string };
  locale?: string | null;
}

export interface LoginResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  user: User;
}

/** A record as the API sends it: system fields plus one key per form field. */
export interface RecordData {
  _id: string;
  _version: number;
  _owner?: string | null;
  _created_at?: string;
  _created_by?: string | null;
  _updated_at?: string;
  _updated_by?: string | null;
  _flow_status?: string | null;
  /** display titles of related records, by relation field key */
  _titles?: Record<string, string>;
  [field: string]: unknown;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface RecordCount {
  count: number;
  exact: boolean;
}

export interface HistoryEntry {
  version: number;
  action: 'create' | 'update' | 'delete' | 'restore' | 'revert' | 'purge';
  actor: { id: string; name: string } | null;
  at: string;
  changes: Record<string, { old: unknown; new: unknown }>;
}
