// The shared golden cases (engines/rules/conformance/cases.json) against the browser module:
// the same file pytest runs against the Python evaluator and, through to_sql, Postgres.
import conformance from '../../../engines/rules/conformance/cases.json';

import { evaluate, ExpressionError, fieldsRead, MAX_DEPTH, MAX_NODES, OPERATORS } from './index';

interface Case {
  expr?: unknown;
  data?: unknown;
  expected?: unknown;
  group?: string;
}

const cases: { name: string; expr: unknown; data: unknown; expected: unknown }[] = [];
let group = '';
for (const entry of conformance.cases as Case[]) {
  if (!('expr' in entry)) {
    group = entry.group ?? group;
    continue;
  }
  cases.push({
    name: `${group}: ${JSON.stringify(entry.expr)} ${JSON.stringify(entry.data)}`,
    expr: entry.expr,
    data: entry.data,
    expected: entry.expected,
  });
}

describe('conformance cases', () => {
  it.each(cases)('$name', ({ expr, data, expected }) => {
    expect(evaluate(expr, data, { now: conformance.clock })).toEqual(expected);
  });

  it('covers the same operators and limits as the Python registry', () => {
    expect(OPERATORS).toEqual(conformance.operators);
    expect({ depth: MAX_DEPTH, nodes: MAX_NODES }).toEqual(conformance.limits);
  });
});

describe('bad expressions', () => {
  it('refuses unknown operators, including json-logic-js extras', () => {
    expect(() => evaluate({ method: ['x', 'toUpperCase', []] })).toThrow(ExpressionError);
    expect(() => evaluate({ log: [1] })).toThrow(/unknown operator 'log'/);
    expect(() => evaluate({ if: [true, { nope: [] }] })).toThrow(/at if\[1\]: unknown operator/);
  });

  it('limits depth and size without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = { '!': [deep] };
    expect(() => evaluate(deep)).toThrow(/nested too deeply/);
    expect(() => evaluate({ '+': new Array(MAX_NODES + 1).fill(1) })).toThrow(/too large/);
    expect(() => evaluate({ substr: ['a'] })).toThrow(/takes 2 to 3 argument/);
  });

  it('reads today in the given time zone', () => {
    const now = '2026-11-24T20:00:00Z';
    expect(evaluate({ today: [] }, null, { now })).toBe('2026-11-24');
    expect(evaluate({ today: [] }, null, { now, timeZone: 'Asia/Shanghai' })).toBe('2026-11-25');
  });
});

describe('fieldsRead', () => {
  it.each(conformance.fields_read)('$expr', ({ expr, fields }) => {
    expect(fieldsRead(expr)).toEqual(fields);
  });
});
