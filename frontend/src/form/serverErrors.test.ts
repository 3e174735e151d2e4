import { describe, expect, it } from 'vitest';
import { placeErrors, problemPath } from './serverErrors';

describe('problemPath', () => {
  it('reads the API paths as form name paths', () => {
    expect(problemPath('data.amount')).toEqual(['amount']);
    expect(problemPath('data.items[2].qty')).toEqual(['items', 2, 'qty']);
    expect(problemPath('data.items[0]')).toEqual(['items', 0]);
    expect(problemPath('name')).toEqual(['name']);
  });
});

describe('placeErrors', () => {
  it('separates errors an editor can show from the rest and groups by field', () => {
    const placed = placeErrors(
      [
        { path: 'data.name', code: 'a', message: 'one' },
        { path: 'data.name', code: 'b', message: 'two' },
        { path: 'data.gone', code: 'c', message: 'three' },
      ],
      (name) => name[0] === 'name',
    );
    expect(placed.fields).toEqual([{ name: ['name'], errors: ['one', 'two'] }]);
    expect(placed.general).toEqual([{ path: ['gone'], message: 'three' }]);
  });
});
