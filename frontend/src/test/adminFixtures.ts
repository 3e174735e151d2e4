/** A small CRM with two roles, as the admin role and app pages read it (GET routes for mockFetch). */
export const FORM = {
  key: 'customer',
  name: { en: 'Customer', 'zh-CN': '客户' },
  fields: [
    { key: 'name', type: 'text', label: { en: 'Name', 'zh-CN': '名称' } },
    { key: 'credit_limit', type: 'number', label: { en: 'Credit limit', 'zh-CN': '信用额度' } },
    { key: 'level', type: 'select', label: { en: 'Level', 'zh-CN': '级别' } },
    { key: 'score', type: 'formula', label: { en: 'Score', 'zh-CN': '评分' }, formula: 'credit_limit / 1000' },
  ],
};
export const DEFINITION = {
  format: 'x',
  key: 'crm',
  name: { en: 'CRM' },
  version: '1',
  forms: [FORM],
  roles: [
    {
      key: 'sales',
      name: { en: 'Sales', 'zh-CN': '销售' },
      permissions: [{ form: 'customer', actions: ['view', 'create', 'edit'], scope: 'own', fields: { hidden: ['credit_limit'], readonly: ['level'] } }],
    },
    {
      key: 'mine',
      name: { en: 'Mine', 'zh-CN': '我的' },
      permissions: [{ form: 'customer', actions: ['view'], scope: { or: [{ '==': [{ var: 'name' }, { var: '$user' }] }, { '==': [{ var: 'level' }, 'A'] }] } }],
    },
  ],
};

export const ROUTES = {
  'GET /api/v1/apps': { items: [{ key: 'crm', name: { en: 'CRM', 'zh-CN': '客户管理' }, version: '1', status: 'published', published_at: '2026-01-01', forms: [] }] },
  'GET /api/v1/apps/crm': {
    key: 'crm',
    name: { en: 'CRM' },
    version: '1',
    status: 'published',
    published_at: '2026-01-01',
    has_draft: false,
    definition: DEFINITION,
  },
  'GET /api/v1/apps/crm/draft': DEFINITION,
  'GET /api/v1/apps/crm/roles': {
    items: [
      { key: 'sales', name: { en: 'Sales', 'zh-CN': '销售' }, users: ['bob@example.com'], departments: [] },
      { key: 'mine', name: { en: 'Mine', 'zh-CN': '我的' }, users: [], departments: [] },
      { key: 'admin', name: { en: 'App administrator', 'zh-CN': '应用管理员' }, users: [], departments: [] },
    ],
  },
  'GET /api/v1/users': { items: [{ id: 'u2', email: 'bob@example.com', name: 'Bob', is_admin: false, is_active: true }] },
  'GET /api/v1/departments': { items: [{ id: 'd1', key: 'sales_east', name: 'Sales East', parent: null, managers: [] }] },
};

