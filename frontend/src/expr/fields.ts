// fieldsRead: the field paths an expression reads (which fields a formula or a condition
// depends on), ported from engines/rules/expr/walk.py; the shared cases check both agree.
const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none']);
const AGGREGATES = new Set(['sum', 'count', 'avg', 'min_of', 'max_of']);

function split(node: Record<string, unknown>): [string, unknown[]] {
  const name = Object.keys(node)[0];
  const raw = node[name];
  return [name, Array.isArray(raw) ? raw : [raw]];
}

function isOperator(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node) &&
    Object.keys(node).length === 1;
}

function varName(args: unknown[]): string | null {
  const key = args.length ? args[0] : '';
  if (key === null || key === '' || (Array.isArray(key) && key.length === 0)) return '';
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isInteger(key)) return String(key);
  return null;
}

function stripReduce(name: string, inReduce: boolean): string | null {
  if (!inReduce) return name;
  if (name === 'current') return '';
  return name.startsWith('current.') ? name.slice('current.'.length) : null;
}

function join(scope: string, name: string): string {
  if (!scope) return name;
  return name ? `${scope}.${name}` : scope;
}

function scopeOf(node: unknown, scope: string | null, inReduce: boolean): string | null {
  if (!isOperator(node) || !('var' in node) || scope === null) return null;
  const name = varName(split(node)[1]);
  const stripped = name === null ? null : stripReduce(name, inReduce);
  return stripped === null ? null : join(scope, stripped);
}

/**
 * The paths read: `amount`, `customer.level`; inside map/filter/all/some/none/reduce over a
 * field and in aggregates, element fields prefixed (`items.amount`); computed names are not
 * listed; the whole record is "". Call on a validated expression.
 */
export function fieldsRead(expr: unknown): string[] {
  const found = new Set<string>();
  const add = (args: unknown[], scope: string | null, inReduce: boolean) => {
    const name = varName(args);
    if (name === null || scope === null) return;
    const stripped = stripReduce(name, inReduce);
    if (stripped !== null) found.add(join(scope, stripped));
  };
  const stack: [unknown, string | null, boolean][] = [[expr, '', false]];
  while (stack.length) {
    const [node, scope, inReduce] = stack.pop() as [unknown, string | null, boolean];
    if (Array.isArray(node)) {
      for (const item of node) stack.push([item, scope, inReduce]);
      continue;
    }
    if (!isOperator(node)) continue;
    const [name, args] = split(node);
    if (name === 'var') {
      add(args, scope, inReduce);
      for (const a of args) stack.push([a, scope, inReduce]);
      continue;
    }
    if (name === 'missing' || name === 'missing_some') {
      let keys = name === 'missing' ? args : args.slice(1);
      if (keys.length && Array.isArray(keys[0])) keys = keys[0] as unknown[];
      for (const key of keys) {
        if (typeof key === 'string' || (typeof key === 'number' && Number.isInteger(key))) {
          add([key], scope, inReduce);
        }
      }
    }
    if (SCOPED.has(name)) {
      stack.push([args[0], scope, inReduce]);
      stack.push([args[1], scopeOf(args[0], scope, inReduce), name === 'reduce']);
      for (const a of args.slice(2)) stack.push([a, scope, inReduce]);
      continue;
    }
    if (AGGREGATES.has(name) && args.length === 2) {
      const rows = scopeOf(args[0], scope, inReduce);
      if (rows !== null && typeof args[1] === 'string') found.add(join(rows, args[1]));
    }
    for (const a of args) stack.push([a, scope, inReduce]);
  }
  return [...found].sort();
}
