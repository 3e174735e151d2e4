import { describe, expect, it } from 'vitest';
import '../fields';
import { customerForm } from '../test/fixtures';
import { combine, fromExpression, operatorsFor, searchExpression, toExpression, type FilterModel } from './model';

const field = (key: string) => customerForm.fields.find((f) => f.key === key)!;

describe('filter model', () => {
  it('turns conditions into JsonLogic and back', () => {
    const model: FilterModel = {
      match: 'and',
      conditions: [
        { field: 'level', op: '==', value: 'A' },
        { field: 'revenue', op: '>', value: 1000 },
        { field: 'tags', op: 'contains', value: 'vip' },
        { field: 'level', op: 'in', value: ['A', 'B'] },
        { field: 'notes', op: 'is_empty' },
      ],
    };
    const expression = toExpression(model);
    expect(expression).toEqual({
      and: [
        { '==': [{ var: 'level' }, 'A'] },
        { '>': [{ var: 'revenue' }, 1000] },
        { contains: [{ var: 'tags' }, 'vip'] },
        { in: [{ var: 'level' }, ['A', 'B']] },
        { is_empty: [{ var: 'notes' }] },
      ],
    });
    expect(fromExpression(expression)).toEqual(model);
  });

  it('uses a single condition as it is and "or" when asked', () => {
    expect(toExpression({ match: 'or', conditions: [{ field: 'name', op: 'starts_with', value: 'Ac' }] })).toEqual({
      starts_with: [{ var: 'name' }, 'Ac'],
    });
    expect(
      toExpression({
        match: 'or',
        conditions: [
          { field: 'level', op: '==', value: 'A' },
          { field: 'level', op: '==', value: 'B' },
        ],
      }),
    ).toEqual({ or: [{ '==': [{ var: 'level' }, 'A'] }, { '==': [{ var: 'level' }, 'B'] }] });
  });

  it('leaves out conditions that are not filled in yet', () => {
    expect(
      toExpression({
        match: 'and',
        conditions: [
          { field: 'name', op: 'contains', value: '' },
          { field: 'level', op: 'in', value: [] },
          { field: '', op: '==', value: 1 },
        ],
      }),
    ).toBeNull();
  });

  it('refuses expressions it did not build', () => {
    expect(fromExpression({ if: [true, 1, 2] })).toBeNull();
    expect(fromExpression({ and: [{ '==': [1, 1] }] })).toBeNull();
  });

  it('offers operators that fit the field type', () => {
    expect(operatorsFor(field('revenue'))).toEqual(expect.arrayContaining(['>', '<=', 'is_empty']));
    expect(operatorsFor(field('revenue'))).not.toContain('contains');
    expect(operatorsFor(field('name'))[0]).toBe('contains');
    expect(operatorsFor(field('level'))).toContain('in');
    expect(operatorsFor(field('tags'))).toEqual(['contains', 'is_empty', 'not_empty']);
    expect(operatorsFor(field('active'))).toEqual(['==']);
  });

  it('searches the text fields and combines search with the filter', () => {
    const search = searchExpression(customerForm.fields, ' acme ');
    // text, textarea and serial numbers are searched; numbers, dates and choices are not
    expect(search).toEqual({
      or: ['name', 'notes', 'vip_note', 'no'].map((key) => ({ contains: [{ var: key }, 'acme'] })),
    });
    const filter = { '==': [{ var: 'level' }, 'A'] };
    expect(combine(search, filter)).toEqual({ and: [search, filter] });
    expect(combine(null, filter)).toEqual(filter);
    expect(combine(searchExpression(customerForm.fields, '  '), null)).toBeNull();
  });
});
