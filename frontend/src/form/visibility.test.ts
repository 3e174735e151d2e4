import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../api/types';
import { isLocked, keysConditionsRead, withRequired, evaluateInBrowser } from './visibility';

const f = (key: string, type: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, type, label: { en: key }, ...extra });
const whenPrivate = { '==': [{ var: 'pool' }, 'private'] };

describe('conditions', () => {
  it('marks a field required while its required_when holds, the same copy each time', () => {
    const owner = f('owner', 'member', { required_when: whenPrivate });
    const marked = withRequired(owner, { pool: 'private' }, evaluateInBrowser);
    expect(marked.required).toBe(true);
    expect(withRequired(owner, { pool: 'private' }, evaluateInBrowser)).toBe(marked);
    expect(withRequired(owner, { pool: 'public' }, evaluateInBrowser)).toBe(owner);
    expect(withRequired(owner, { pool: 'private' }, null)).toBe(owner);
    // a condition that fails makes nothing required, as on the server
    expect(withRequired(f('x', 'text', { required_when: { no_such_op: [] } }), {}, evaluateInBrowser).required).toBeUndefined();
  });

  it('leaves a new record field the server fills (the current user) to the server', () => {
    const owner = f('owner', 'member', { required_when: whenPrivate, default_current: true });
    expect(withRequired(owner, { pool: 'private' }, evaluateInBrowser, true)).toBe(owner);
    expect(withRequired(owner, { pool: 'private' }, evaluateInBrowser, false).required).toBe(true);
  });

  it('locks a field while its editable_when is false; a failing condition locks nothing', () => {
    const note = f('note', 'text', { editable_when: { '!=': [{ var: 'stage' }, 'won'] } });
    expect(isLocked(note, { stage: 'won' }, evaluateInBrowser)).toBe(true);
    expect(isLocked(note, { stage: 'lost' }, evaluateInBrowser)).toBe(false);
    expect(isLocked(f('n', 'text', { editable_when: { no_such_op: [] } }), {}, evaluateInBrowser)).toBe(false);
  });

  it('follows the keys every kind of condition reads', () => {
    const fields = [
      f('a', 'text', { visible_when: { var: 'x' } }),
      f('b', 'text', { required_when: { var: 'y.z' } }),
      f('rows', 'subform', { fields: [f('c', 'text', { editable_when: { var: 'w' } })] }),
    ];
    expect(keysConditionsRead(fields)?.sort()).toEqual(['w', 'x', 'y']);
  });
});
