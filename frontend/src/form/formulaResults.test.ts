// The formula result conformance cases (engines/form/conformance/formula_results.json) against
// the browser's formulaResult: the same file pytest runs through the server's validate_record
// and to_json (tests/unit/form/test_formula_results.py). The server is the truth: a case the
// browser cannot give says so with `browser` (what it gives instead) and a `note` why.
import { describe, expect, it } from 'vitest';
import conformance from '../../../engines/form/conformance/formula_results.json';
import type { FieldDef } from '../api/types';
import { formulaResult } from './formulaResult';

interface Entry {
  group?: string;
  field?: Record<string, unknown>;
  raw?: unknown;
  expected?: unknown;
  browser?: unknown;
}

const cases: { name: string; field: FieldDef; raw: unknown; expected: unknown }[] = [];
let group = '';
for (const entry of conformance.cases as Entry[]) {
  if (!('raw' in entry)) {
    group = (entry.group ?? group).split(' (')[0];
    continue;
  }
  cases.push({
    name: `${group}: ${JSON.stringify(entry.field)} ${JSON.stringify(entry.raw)}`,
    field: { key: 'f', type: 'formula', label: { en: 'f' }, formula: 'raw', ...entry.field } as FieldDef,
    raw: entry.raw,
    expected: 'browser' in entry ? entry.browser : entry.expected,
  });
}

describe('formula result conformance cases', () => {
  // one test per case, named in full (it.each would cut the names short)
  for (const { name, field, raw, expected } of cases) {
    it(name, () => {
      // toStrictEqual: 1 is not "1", and null is not undefined
      expect(formulaResult(field, raw)).toStrictEqual(expected);
    });
  }

  it('has cases for every result type', () => {
    expect(new Set(cases.map((c) => c.field.result_type ?? 'number'))).toEqual(
      new Set(['number', 'text', 'date', 'datetime', 'checkbox']),
    );
  });
});
