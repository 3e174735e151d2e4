import { describe, expect, it } from 'vitest';
import type { AppDefinition } from '../api/types';
import { hasOtherChanges, roleProblems, sameJson, scopeExpression, scopeModel, setPermission, withRoles, type RoleDef } from './roleModel';

const role: RoleDef = { key: 'sales', name: { en: 'Sales' }, permissions: [{ form: 'customer', actions: ['view'], scope: 'own' }, { form: 'deal', actions: ['view'] }] };

describe('role model', () => {
  it('round-trips scope expressions with caller and field conditions', () => {
    const expression = { or: [{ '==': [{ var: 'manager' }, { var: '$user' }] }, { '==': [{ var: 'level' }, 'A'] }] };
    const model = scopeModel(expression)!;
    expect(model.match).toBe('or');
    expect(model.caller).toEqual([{ field: 'manager', variable: '$user' }]);
    expect(model.filter.conditions).toEqual([{ field: 'level', op: '==', value: 'A' }]);
    expect(scopeExpression(model)).toEqual(expression);
    expect(scopeExpression(scopeModel({ '==': [{ var: '_department' }, { var: '$department' }] })!)).toEqual({ '==': [{ var: '_department' }, { var: '$department' }] });
  });

  it('leaves shapes it cannot show to the JSON editor and has nothing for an empty model', () => {
    expect(scopeModel({ if: [true, 1, 2] })).toBeNull();
    expect(scopeModel({ and: [{ or: [{ '==': [{ var: 'a' }, 1] }, { '==': [{ var: 'b' }, 2] }] }, { '==': [{ var: 'c' }, 3] }] })).toBeNull();
    expect(scopeExpression({ match: 'and', caller: [], filter: { match: 'and', conditions: [{ field: 'level', op: '==' }] } })).toBeNull();
  });

  it('replaces one form’s permission and drops it when no action is left', () => {
    const next = setPermission(role, { form: 'customer', actions: ['view', 'export'], scope: 'own', fields: { hidden: ['phone'], readonly: [] } });
    expect(next.permissions[0]).toEqual({ form: 'customer', actions: ['view', 'export'], scope: 'own', fields: { hidden: ['phone'] } });
    expect(setPermission(role, { form: 'deal', actions: [] }).permissions.map((p) => p.form)).toEqual(['customer']);
    expect(setPermission(role, { form: 'task', actions: ['view'], scope: 'all' }).permissions).toHaveLength(3);
  });

  it('narrows the server’s errors to one role, per form', () => {
    const problems = roleProblems(
      [
        { path: 'roles[1].permissions[1].fields.hidden[0]', message: 'unknown field' },
        { path: 'roles[1].key', message: 'reserved' },
        { path: 'roles[0].key', message: 'another role' },
        { path: 'forms[0].fields[0].type', message: 'elsewhere' },
      ],
      1,
      role,
    );
    expect(problems).toEqual([
      { form: 'deal', rest: 'fields.hidden', message: 'unknown field' },
      { form: null, rest: 'key', message: 'reserved' },
    ]);
  });

  it('tells role-only drafts from drafts with other changes, whatever the key order', () => {
    const published = { format: 'f', key: 'crm', name: { en: 'CRM' }, version: '1', forms: [] } as AppDefinition;
    const draft = withRoles({ version: '1', forms: [], name: { en: 'CRM' }, key: 'crm', format: 'f' } as AppDefinition, [role]);
    expect(hasOtherChanges(draft, published)).toBe(false);
    expect(hasOtherChanges({ ...draft, version: '2' }, published)).toBe(true);
    expect(sameJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect('roles' in withRoles(draft, [])).toBe(false);
  });
});
