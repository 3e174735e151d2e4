/**
 * Formula fields computed in the browser as the user types, with the server's semantics
 * (engines/form/record.py): the same trees (the server's parse of each formula text, from the
 * app answer's `formula_trees`), the same order (sub-form rows first, each row over the record
 * around it; then the record's formulas, each after the formulas it reads), the same inputs
 * (API-shaped values) and the same result conversion (engines/form/types: a formula's
 * `result_type` normalises what the expression gave; what does not fit is null). The server
 * stays authoritative: it computes again on save, and the saved record replaces these values.
 */
import { useCallback, useMemo, useRef } from 'react';
import type { FormInstance } from 'antd';
import type { FieldDef } from '../api/types';
import { isEditable, outerReadable, toApi, toForm } from '../fields/registry';
import { formulaResult } from './formulaResult';
import type { NamePath } from './serverErrors';
import { defaultFormulaTree } from './values';
import { topKeysRead, type Evaluate } from './visibility';

type Values = Record<string, unknown>;
type Row = Record<string, unknown>;

/** `{formula text: tree}` as `GET /apps/{app}` and `GET /public/{token}` carry them. */
export type FormulaTrees = Record<string, unknown>;

/** The field properties that hold expressions (engines/form: formula, defaults, conditions). */
const EXPRESSION_PROPS = ['formula', 'default_formula', 'visible_when', 'editable_when', 'required_when'] as const;

function resolveField(field: FieldDef, trees: FormulaTrees): FieldDef {
  let out: Record<string, unknown> | null = null;
  for (const prop of EXPRESSION_PROPS) {
    const text = field[prop];
    if (typeof text !== 'string') continue;
    out ??= { ...field };
    // text without a tree (it did not parse on the server): no condition, no default, not
    // computed here; the server decides, as it always did
    if (Object.hasOwn(trees, text)) out[prop] = trees[text];
    else if (prop !== 'formula') delete out[prop];
  }
  const inner = field.fields?.map((sub) => resolveField(sub, trees));
  if (inner && inner.some((sub, i) => sub !== field.fields![i])) (out ??= { ...field }).fields = inner;
  return (out as FieldDef | null) ?? field;
}

/**
 * The fields with each expression written as formula text replaced by its tree (sub-form rows'
 * too), so conditions, defaults and formulas all evaluate through the browser's expression
 * module; fields without text stay the same objects. A formula text without a tree stays text
 * (the field is then shown as the record has it); a condition or default without one is dropped.
 */
export function withTrees(fields: FieldDef[], trees: FormulaTrees | undefined): FieldDef[] {
  if (!trees) return fields;
  const out = fields.map((field) => resolveField(field, trees));
  return out.some((field, i) => field !== fields[i]) ? out : fields;
}

/** A formula field this browser can evaluate: its formula is a tree (withTrees). */
export function computesHere(field: FieldDef): boolean {
  const formula: unknown = field.formula; // a tree once withTrees has resolved its text
  return field.type === 'formula' && formula != null && typeof formula !== 'string';
}

/** Types whose values come from other records (read on every load, never stored). */
const READ_THROUGH = new Set(['lookup', 'rollup']);

interface Live {
  field: FieldDef;
  tree: unknown;
  /** the top-level keys it reads (`lines.amount` reads `lines`) */
  reads: string[];
}

interface RowPlan {
  field: FieldDef;
  /** the row's formulas, in the server's order */
  formulas: Live[];
  /**
   * the row's `default_formula`s that read the record around the row, in field order: a new
   * row takes them here (defaultValues, which makes the row, sees the row alone)
   */
  defaults: Live[];
  /** the record's keys they read and may (a row reads the record's outer-readable fields) */
  outer: string[];
}

/** What the form computes live, worked out once per form definition. */
export interface FormulaPlan {
  /** the record's formulas, each after the formulas it reads */
  record: Live[];
  /** sub-forms whose rows have formulas */
  rows: RowPlan[];
  /** the top-level keys whose change means computing again */
  inputs: string[];
  /** the form's fields by key */
  byKey: Map<string, FieldDef>;
}

/**
 * Formulas in dependency order, as engines/form/record.py compute_order: in definition order,
 * each after the formulas it reads (a cycle, refused when publishing, just stops the walk).
 */
function ordered(formulas: Live[]): Live[] {
  const byKey = new Map(formulas.map((live) => [live.field.key, live]));
  const state = new Map<string, number>();
  const out: Live[] = [];
  const visit = (live: Live) => {
    if (state.has(live.field.key)) return;
    state.set(live.field.key, 1);
    for (const key of live.reads) {
      const dep = byKey.get(key);
      if (dep) visit(dep);
    }
    out.push(live);
  };
  formulas.forEach(visit);
  return out;
}

/**
 * The candidates among `fields` (formula trees whose reads are known), before dropping the
 * ones that read what the browser doesn't have.
 */
function candidates(fields: FieldDef[]): Live[] {
  const out: Live[] = [];
  for (const field of fields) {
    if (!computesHere(field)) continue;
    const reads = topKeysRead(field.formula);
    if (reads) out.push({ field, tree: field.formula, reads });
  }
  return out;
}

/**
 * A sub-form's input fields whose `default_formula` (a tree: withTrees) reads the record
 * around the row. The server gives a new row's defaults the record's input fields, then the
 * row's own values (engines/form record.py: a row is validated with the record's view as
 * `outer`, and `_defaults` evaluates over it); a literal `default` comes first, as there.
 */
function rowDefaults(fields: FieldDef[], own: Set<string>): Live[] {
  const out: Live[] = [];
  for (const field of fields) {
    const tree = field.default == null && isEditable(field) ? defaultFormulaTree(field.default_formula) : null;
    const reads = tree == null ? null : topKeysRead(tree);
    if (reads?.some((key) => !own.has(key))) out.push({ field, tree, reads });
  }
  return out;
}

/**
 * Which formulas the form computes: those whose inputs the browser has. A formula that reads a
 * field the caller can't see (not in the form), or, on a new record, a value shown from other
 * records (lookup, rollup: the server fills those on save) is left as the record has it; so is
 * one that reads such a formula. Row formulas read the row and the record's input fields.
 */
export function formulaPlan(fields: FieldDef[], { creating }: { creating: boolean }): FormulaPlan {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const known = (key: string) => {
    const field = byKey.get(key);
    if (!field) return !creating && key.startsWith('_'); // system fields come with the record
    return !(creating && READ_THROUGH.has(field.type));
  };
  const record: Live[] = [];
  const live = new Set<string>();
  const all = ordered(candidates(fields));
  const computed = new Set(all.map((f) => f.field.key));
  for (const formula of all) {
    const ok = formula.reads.every((key) => known(key) && (!computed.has(key) || live.has(key)));
    if (!ok) continue;
    record.push(formula);
    live.add(formula.field.key);
  }
  const rows: RowPlan[] = [];
  for (const field of fields) {
    if (field.type !== 'subform' || !field.fields) continue;
    const own = new Set(field.fields.map((sub) => sub.key));
    const formulas = ordered(candidates(field.fields)).filter((f) =>
      f.reads.every((key) => {
        const sub = field.fields!.find((s) => s.key === key);
        return sub ? !(creating && READ_THROUGH.has(sub.type)) : true;
      }),
    );
    const defaults = rowDefaults(field.fields, own);
    if (formulas.length === 0 && defaults.length === 0) continue;
    const reads = [...formulas, ...defaults].flatMap((f) => f.reads);
    // the record's fields a row may read (the server's record_view): the rest read null there
    const outer = [...new Set(reads.filter((key) => !own.has(key) && byKey.has(key) && outerReadable(byKey.get(key)!)))];
    rows.push({ field, formulas, defaults, outer });
  }
  const inputs = new Set<string>();
  for (const formula of record) formula.reads.forEach((key) => inputs.add(key));
  for (const plan of rows) {
    inputs.add(plan.field.key);
    plan.outer.forEach((key) => inputs.add(key));
  }
  return { record, rows, inputs: [...inputs], byKey };
}

function run(formula: Live, view: Values, evaluate: Evaluate): unknown {
  return formulaResult(formula.field, evaluated(formula.tree, view, evaluate));
}

/** An expression's value; null when it fails (as the server: a formula stores null, a default is left out). */
function evaluated(tree: unknown, view: Values, evaluate: Evaluate): unknown {
  try {
    return evaluate(tree, view);
  } catch {
    return null;
  }
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** One value of the form (editor shape) as expressions read it (API shape). */
function apiValue(field: FieldDef, value: unknown): unknown {
  if (field.type === 'subform') return apiRows(field, value);
  return isEditable(field) ? toApi(field, value) : (value ?? null);
}

/** A sub-form's rows as the record's formulas read them: input and computed cells. */
function apiRows(field: FieldDef, rows: unknown): Row[] {
  if (!Array.isArray(rows)) return [];
  return rows.map((row: Row | undefined) => apiRow(field, row ?? {}));
}

function apiRow(field: FieldDef, row: Row): Row {
  const out: Row = {};
  if (row._id) out._id = row._id;
  for (const sub of field.fields ?? []) out[sub.key] = apiValue(sub, row[sub.key]);
  return out;
}

/**
 * The record a sub-form row's expressions see around it (engines/form record_view), for the
 * `keys` they read: the plan's `outer`, outer-readable fields only (fields/registry outerReadable).
 */
function outerView(byKey: Map<string, FieldDef>, keys: string[], values: Values): Values {
  const out: Values = {};
  for (const key of keys) out[key] = toApi(byKey.get(key)!, values[key]);
  return out;
}

/** A value the form holds for `name`, and the one to write there. */
export type Write = [NamePath, unknown];

/** How formulaWrites treats rows that were not there before the change. */
export interface WriteOptions {
  /**
   * They are rows taken back (a restored draft), not rows just added: they keep what they hold,
   * an empty cell included, and take no defaults; only their formulas are computed.
   */
  restored?: boolean;
}

/**
 * The formula values to write into the form after a change from `previous` to `next` (both the
 * form's values; `previous` null: compute everything, as on a new record). Only formulas whose
 * inputs changed are computed: a keystroke in a field no formula reads costs one comparison per
 * input. `record` supplies what the form doesn't hold (system fields). Writes are only for
 * values that differ from what the form holds.
 */
export function formulaWrites(
  plan: FormulaPlan,
  next: Values,
  previous: Values | null,
  evaluate: Evaluate,
  record?: Values,
  { restored = false }: WriteOptions = {},
): Write[] {
  const all = previous === null; // everything, even formulas that read no field (TODAY())
  const changed = new Set(plan.inputs.filter((key) => all || next[key] !== previous[key]));
  if (changed.size === 0 && !all) return [];
  const writes: Write[] = [];
  // 1. sub-form rows, each over the record's input fields (they are computed before the record's)
  const rowsNow: Record<string, Row[]> = {};
  for (const { field, formulas, defaults, outer } of plan.rows) {
    const rows = next[field.key];
    const before = previous?.[field.key];
    const outerChanged = outer.some((key) => changed.has(key));
    if (!Array.isArray(rows) || (!all && !changed.has(field.key) && !outerChanged)) continue;
    const around = outerView(plan.byKey, outer, next);
    rows.forEach((row: Row | undefined, index) => {
      const was = Array.isArray(before) ? before[index] : undefined;
      if (!all && !outerChanged && was === row) return;
      const view: Values = { ...around, ...apiRow(field, row ?? {}) };
      // a row just added (not saved, not restored): its defaults that read the record, before its formulas
      if (was === undefined && !row?._id && !restored) {
        for (const { field: sub, tree } of defaults) {
          const held = row?.[sub.key];
          if (held != null && held !== '') continue; // given already (defaultValues leaves an empty default out)
          const value = evaluated(tree, view, evaluate);
          if (value == null) continue;
          view[sub.key] = value;
          writes.push([[field.key, index, sub.key], toForm(sub, value)]);
          (rowsNow[field.key] ??= apiRows(field, rows))[index][sub.key] = value;
          changed.add(field.key);
        }
      }
      for (const formula of formulas) {
        const value = run(formula, view, evaluate);
        view[formula.field.key] = value;
        if (!same(value, row?.[formula.field.key])) {
          writes.push([[field.key, index, formula.field.key], value]);
          (rowsNow[field.key] ??= apiRows(field, rows))[index][formula.field.key] = value;
          changed.add(field.key);
        }
      }
    });
  }
  // 2. the record's formulas, each after those it reads
  // only the keys formulas read (they read no others: formulaPlan leaves out those that might)
  const view: Values = {};
  const fresh = new Set<string>(); // computed in this pass: the form doesn't hold them yet
  for (const formula of plan.record) {
    if (!all && !formula.reads.some((key) => changed.has(key))) continue;
    for (const key of formula.reads) {
      if (fresh.has(key)) continue;
      const field = plan.byKey.get(key);
      if (key in rowsNow) view[key] = rowsNow[key];
      else if (field) view[key] = apiValue(field, next[key]);
      else view[key] = record?.[key] ?? null; // a system field, as the record has it
    }
    const value = run(formula, view, evaluate);
    view[formula.field.key] = value;
    fresh.add(formula.field.key);
    if (!same(value, next[formula.field.key])) {
      writes.push([[formula.field.key], value]);
      changed.add(formula.field.key);
    }
  }
  return writes;
}

/** `values` with the writes applied (for a new record's first values, before the form holds them). */
export function withWrites(values: Values, writes: Write[]): Values {
  const out: Values = { ...values };
  for (const [name, value] of writes) {
    if (name.length === 1) {
      out[name[0] as string] = value;
      continue;
    }
    const [key, index, sub] = name as [string, number, string];
    const rows = [...(out[key] as Row[])];
    rows[index] = { ...rows[index], [sub]: value };
    out[key] = rows;
  }
  return out;
}

/** The form's first values on a new record: its defaults with every formula computed over them. */
export function withFirstFormulas(fields: FieldDef[], values: Values, evaluate: Evaluate | null): Values {
  if (!evaluate) return values;
  const plan = formulaPlan(fields, { creating: true });
  return withWrites(values, formulaWrites(plan, values, null, evaluate));
}

/**
 * Follows the form's values (call `follow` from a StoreWatch listener) and writes the formulas
 * whose inputs changed back into the form, where their fields show them. Cheap on a keystroke no
 * formula reads (a comparison per input key); otherwise the computing waits for the end of the
 * current task (a microtask), so one edit, or a burst of them, computes once, from the form's
 * values as they then are. Its own writes are not followed. `restore` sets values taken back
 * (a draft): their rows come back as they were kept, a default the user emptied stays empty.
 */
export function useLiveFormulas(form: FormInstance, fields: FieldDef[], record: Values | undefined, evaluate: Evaluate | null) {
  const plan = useMemo(() => formulaPlan(fields, { creating: record === undefined }), [fields, record]);
  const state = useRef({ since: null as Values | null, writing: false, restoring: false });
  const follow = useCallback(
    (next: Values, previous: Values) => {
      const own = state.current;
      if (!evaluate || own.writing || own.since !== null || plan.inputs.length === 0) return;
      if (!plan.inputs.some((key) => next[key] !== previous[key])) return;
      own.since = previous;
      queueMicrotask(() => {
        const since = own.since;
        own.since = null;
        // the store itself, not a copy (getFieldsValue(true) returns it)
        const now = form.getFieldsValue(true) as Values;
        const writes = formulaWrites(plan, now, since, evaluate, record, { restored: own.restoring });
        if (writes.length === 0) return;
        own.writing = true;
        try {
          form.setFields(writes.map(([name, value]) => ({ name, value })));
        } finally {
          own.writing = false;
        }
      });
    },
    [form, plan, record, evaluate],
  );
  const restore = useCallback(
    (values: Values) => {
      const own = state.current;
      own.restoring = true;
      // the change's computing (a microtask queued as the values are set) runs first, then this
      form.setFieldsValue(values);
      queueMicrotask(() => {
        own.restoring = false;
      });
    },
    [form],
  );
  return { follow, restore };
}
