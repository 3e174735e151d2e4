import { describe, expect, it } from 'vitest';
import type { CellError, PreviewRecord } from './api';
import { errorsAt, subValue, unplacedErrors } from './records';

const error = (row: number, column: string | null, field: string | null): CellError => ({ row, column, field, code: 'x', message: 'm' });

const record = (over: Partial<PreviewRecord>): PreviewRecord => ({ row: 2, file_rows: [2, 3, 4], cells: {}, action: 'insert', errors: [], ...over });

describe('preview records', () => {
  it('puts an error on its file row and column, or on the column of the field it names', () => {
    const errors = [error(3, 'items.qty', 'items[1].qty'), error(2, null, 'name')];
    expect(errorsAt(errors, 3, 'items.qty', 'items.qty')).toHaveLength(1);
    expect(errorsAt(errors, 2, 'items.qty', 'items.qty')).toHaveLength(0);
    expect(errorsAt(errors, 2, 'Name', 'name')).toEqual([errors[1]]);
  });

  it('lists the errors no shown cell holds', () => {
    const errors = [error(3, 'items.qty', 'items[1].qty'), error(2, null, null), error(2, 'extra', 'extra')];
    const shown = [{ header: 'items.qty', field: 'items.qty' }];
    expect(unplacedErrors(record({ errors }), shown)).toEqual([errors[1], errors[2]]);
  });

  it('lays sub-form rows onto file rows from the first one that has a cell for them', () => {
    const values = { items: [{ qty: 1 }, { qty: 2 }] };
    expect(subValue(record({ values }), 'items', 'qty', 0, true)).toBe(1);
    expect(subValue(record({ values }), 'items', 'qty', 1, true)).toBe(2);
    expect(subValue(record({ values }), 'items', 'qty', 2, true)).toBeUndefined();
    // the record's own row holds no item: the items start on the next row
    expect(subValue(record({ values }), 'items', 'qty', 0, false)).toBeUndefined();
    expect(subValue(record({ values }), 'items', 'qty', 2, false)).toBe(2);
    expect(subValue(record({ values: {} }), 'items', 'qty', 0, true)).toBeUndefined();
  });
});
