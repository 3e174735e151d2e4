import type { FieldDef } from '../api/types';
import { fieldType, isKnownFieldType, type ValueKind } from '../fields/registry';

/** The comparison operators the condition builder offers (all JsonLogic or Tessera extensions). */
export const OPERATORS = ['==', '!=', '>', '>=', '<', '<=', 'in', 'contains', 'starts_with', 'is_empty', 'not_empty'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
  field: string;
  op: Operator;
  value?: unknown;
}

export interface FilterModel {
  match: 'and' | 'or';
  conditions: Condition[];
}

export const EMPTY_FILTER: FilterModel = { match: 'and', conditions: [] };

const UNARY: ReadonlySet<Operator> = new Set(['is_empty', 'not_empty']);
const ORDERED: Operator[] = ['==', '!=', '>', '>=', '<', '<=', 'is_empty', 'not_empty'];

/** Which operators make sense for a field, by how its values compare. */
export function operatorsFor(field: FieldDef): Operator[] {
  const kind: ValueKind = fieldType(field.type).valueKind;
  if (field.type === 'multiselect') return ['contains', 'is_empty', 'not_empty'];
  switch (kind) {
    case 'text':
      return ['contains', '==', '!=', 'starts_with', 'in', 'is_empty', 'not_empty'];
    case 'number':
    case 'date':
    case 'datetime':
    case 'time':
      return ORDERED;
    case 'option':
      return ['==', '!=', 'in', 'is_empty', 'not_empty'];
    case 'bool':
      return ['=='];
    case 'none':
      return ['is_empty', 'not_empty'];
  }
}

/** Fields a list can be filtered by (sub-forms and unknown types can't). */
export function filterableFields(fields: FieldDef[]): FieldDef[] {
  return fields.filter((field) => field.type !== 'subform' && isKnownFieldType(field.type));
}

export const takesValue = (op: Operator): boolean => !UNARY.has(op);

function isComplete(condition: Condition): boolean {
  if (!condition.field) return false;
  if (!takesValue(condition.op)) return true;
  const value = condition.value;
  if (condition.op === 'in') return Array.isArray(value) && value.length > 0;
  return value !== undefined && value !== null && value !== '';
}

/** One condition as a JsonLogic node: {"op": [{"var": field}, value]}. */
function conditionToExpression({ field, op, value }: Condition): unknown {
  const ref = { var: field };
  return takesValue(op) ? { [op]: [ref, value] } : { [op]: [ref] };
}

/** The builder's state -> a JsonLogic expression, or null when there is nothing to filter by. */
export function toExpression(model: FilterModel): unknown {
  const parts = model.conditions.filter(isComplete).map(conditionToExpression);
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0];
  return { [model.match]: parts };
}

function expressionToCondition(node: unknown): Condition | null {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return null;
  const entries = Object.entries(node);
  if (entries.length !== 1) return null;
  const [op, args] = entries[0];
  if (!(OPERATORS as readonly string[]).includes(op) || !Array.isArray(args)) return null;
  const ref = args[0] as { var?: unknown } | undefined;
  if (!ref || typeof ref.var !== 'string') return null;
  const operator = op as Operator;
  if (!takesValue(operator)) return args.length === 1 ? { field: ref.var, op: operator } : null;
  return args.length === 2 ? { field: ref.var, op: operator, value: args[1] } : null;
}

/** A JsonLogic expression this builder produced -> its state; null for any other shape. */
export function fromExpression(expression: unknown): FilterModel | null {
  if (expression == null) return EMPTY_FILTER;
  const single = expressionToCondition(expression);
  if (single) return { match: 'and', conditions: [single] };
  if (typeof expression !== 'object' || Array.isArray(expression)) return null;
  const entries = Object.entries(expression);
  if (entries.length !== 1) return null;
  const [match, parts] = entries[0];
  if ((match !== 'and' && match !== 'or') || !Array.isArray(parts)) return null;
  const conditions = parts.map(expressionToCondition);
  if (conditions.some((c) => c === null)) return null;
  return { match, conditions: conditions as Condition[] };
}

/** Quick search: any text-like field contains the words. */
export function searchExpression(fields: FieldDef[], query: string): unknown {
  const words = query.trim();
  if (!words) return null;
  const searchable = fields.filter((field) => fieldType(field.type).valueKind === 'text' && field.type !== 'formula');
  if (searchable.length === 0) return null;
  const parts = searchable.map((field) => ({ contains: [{ var: field.key }, words] }));
  return parts.length === 1 ? parts[0] : { or: parts };
}

/** Both together: the search and the filter must hold. */
export function combine(...expressions: unknown[]): unknown {
  const parts = expressions.filter((e) => e != null);
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0] : { and: parts };
}
