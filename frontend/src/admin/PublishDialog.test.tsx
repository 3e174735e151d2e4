import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { format } from '../i18n/I18nProvider';
import type { AppDefinition } from '../api/types';
import { messages } from '../i18n/messages';
import { mockFetch } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import { planNames, planText } from './planText';
import { PublishDialog } from './PublishDialog';

afterEach(() => vi.unstubAllGlobals());

const WAIT = { timeout: 15_000 };

const PLAN = {
  summary: '2 × add column (job)',
  steps: [
    { op: 'add_column', table: 'crm__customer', cost: 'instant', field: 'phone', description: 'adds column phone (TEXT)', code: 'add_column', params: { column: 'phone', type: 'TEXT', form: 'customer' } },
    { op: 'create_table', table: 'crm__deal__items', cost: 'instant', description: 'creates table t_main.crm__deal__items for deal.items', code: 'create_subform_table', params: { schema: 't_main', table: 'crm__deal__items', form: 'deal', subform: 'items' } },
    {
      op: 'change_type',
      table: 'crm__customer',
      cost: 'job',
      field: 'score',
      description: "changes score TEXT → NUMERIC: rewrites 6 rows, 1 values won't convert (kept in score__v1)",
      code: 'change_type',
      params: { column: 'score', from: 'TEXT', to: 'NUMERIC', rows: 6, unconvertible: 1, kept_as: 'score__v1', form: 'customer' },
    },
    { op: 'teleport', table: 'crm__customer', cost: 'instant', description: 'a step from a newer server', code: 'teleport_column', params: { column: 'x' } },
  ],
  blockers: [{ path: 'customer.name', code: 'duplicates_exist', message: 'name cannot become unique: 2 values occur more than once', params: { column: 'name', count: 2, duplicates: [] } }],
};

const en = (key: keyof typeof messages.en, vars?: Record<string, string | number>) => format(messages.en[key], vars);
const zh = (key: keyof typeof messages.en, vars?: Record<string, string | number>) => format(messages['zh-CN'][key], vars);

const DRAFT = {
  format: 'tessera.app/1',
  key: 'crm',
  name: { en: 'CRM', 'zh-CN': '客户管理' },
  version: '1.0.0',
  forms: [{ key: 'customer', name: { en: 'Customer', 'zh-CN': '客户' }, fields: [{ key: 'phone', type: 'phone', label: { en: 'Phone', 'zh-CN': '电话' } }] }],
};

describe('planText', () => {
  it('words a step from its code and params, plurals in English', () => {
    const step = PLAN.steps[2];
    expect(planText('step', step, step.description, en)).toBe("changes score TEXT → NUMERIC: rewrites 6 rows, 1 value won't convert (kept in score__v1)");
    expect(planText('step', step, step.description, zh)).toBe('将 score 由 TEXT 改为 NUMERIC：重写 6 行，其中 1 个值无法转换（原值保留在 score__v1）');
  });

  it("falls back to the server's text for a code it does not know, or none", () => {
    expect(planText('step', PLAN.steps[3], 'a step from a newer server', zh)).toBe('a step from a newer server');
    expect(planText('step', {}, 'old server text', zh)).toBe('old server text');
  });
});


describe('planNames', () => {
  const draft = {
    ...DRAFT,
    forms: [{ key: 'deal', name: { en: 'Deal', 'zh-CN': '商机' }, fields: [{ key: 'items', type: 'subform', label: { en: 'Items', 'zh-CN': '明细' }, fields: [{ key: 'qty', type: 'number', label: { en: 'Quantity', 'zh-CN': '数量' } }] }] }],
  } as unknown as AppDefinition;
  const text = (value: Record<string, string> | string | undefined) => (typeof value === 'string' ? value : (value?.['zh-CN'] ?? ''));

  it('names the form, the sub-form and the field a step speaks of by key', () => {
    const step = { code: 'add_column', params: { column: 'qty', type: 'NUMERIC', form: 'deal', subform: 'items' } };
    expect(planNames(step, draft, text, zh)).toEqual({ form: '商机', subform: '明细', column: '数量（qty）' });
    expect(planText('step', step, '', zh, planNames(step, draft, text, zh))).toBe('新增列 数量（qty），类型 NUMERIC');
  });

  it('keeps keys the draft does not have (a removed field, another form)', () => {
    expect(planNames({ params: { column: 'gone', form: 'deal' } }, draft, text, zh)).toEqual({ form: '商机' });
    expect(planNames({ params: { column: 'x', form: 'nope' } }, draft, text, zh)).toEqual({});
    expect(planNames({ params: { column: 'x', form: 'deal' } }, null, text, zh)).toEqual({});
  });
});

describe('PublishDialog', () => {
  it('shows the plan in Chinese from the step codes, blockers too, and keeps unknown steps in English', async () => {
    mockFetch({ 'GET /api/v1/apps/crm/plan': PLAN, 'GET /api/v1/apps/crm/draft': DRAFT });
    renderWithApp(<PublishDialog app="crm" otherChanges={false} onClose={() => undefined} />, { locale: 'zh-CN', url: '/admin/apps' });
    const steps = await screen.findByTestId('publish-steps', {}, WAIT);
    // the field's label from the draft beside its key; a field the draft lacks keeps its key
    await waitFor(() => expect(steps).toHaveTextContent('新增列 电话（phone），类型 TEXT'));
    expect(steps).toHaveTextContent('将 score 由 TEXT 改为 NUMERIC');
    expect(steps).toHaveTextContent('为 deal 的子表单 items 新建数据表 t_main.crm__deal__items');
    expect(steps).toHaveTextContent('a step from a newer server');
    expect(steps).not.toHaveTextContent('adds column');
    const dialog = screen.getByTestId('publish-dialog');
    expect(within(dialog).getByText(/无法设为唯一：有 2 个值重复出现/)).toBeInTheDocument();
    expect(screen.getByTestId('publish-confirm')).toBeDisabled();
  });

  it('shows the same plan in English', async () => {
    mockFetch({ 'GET /api/v1/apps/crm/plan': PLAN });
    renderWithApp(<PublishDialog app="crm" otherChanges={false} onClose={() => undefined} />, { url: '/admin/apps' });
    const steps = await screen.findByTestId('publish-steps', {}, WAIT);
    expect(steps).toHaveTextContent('adds column phone of type TEXT');
    expect(steps).toHaveTextContent("rewrites 6 rows, 1 value won't convert");
    expect(screen.getByText(/name cannot become unique: 2 values occur more than once/)).toBeInTheDocument();
  });
});
