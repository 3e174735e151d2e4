import type { AppDetail, FormDef } from '../api/types';

const l = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** A form with one field of every basic type, a sub-form and a conditional field. */
export const customerForm: FormDef = {
  key: 'customer',
  name: l('Customer', '客户'),
  title_field: 'name',
  fields: [
    { key: 'name', type: 'text', label: l('Name', '客户名称'), required: true, help: l('As on the business licence', '与营业执照一致') },
    { key: 'notes', type: 'textarea', label: l('Notes', '备注') },
    { key: 'employees', type: 'number', label: l('Employees', '员工数'), precision: 0 },
    { key: 'revenue', type: 'money', label: l('Revenue', '营业额'), currency: 'CNY' },
    { key: 'discount', type: 'percent', label: l('Discount', '折扣') },
    { key: 'since', type: 'date', label: l('Customer since', '合作日期') },
    { key: 'next_call', type: 'datetime', label: l('Next call', '下次联系') },
    {
      key: 'level',
      type: 'select',
      label: l('Level', '等级'),
      options: [
        { value: 'A', label: l('Key account', '重点') },
        { value: 'B', label: l('Regular', '普通') },
      ],
    },
    {
      key: 'tags',
      type: 'multiselect',
      label: l('Tags', '标签'),
      options: [
        { value: 'new', label: l('New', '新客') },
        { value: 'vip', label: l('VIP', '贵宾') },
      ],
    },
    { key: 'active', type: 'checkbox', label: l('Active', '有效') },
    { key: 'vip_note', type: 'textarea', label: l('VIP note', '重点客户备注'), visible_when: { '==': [{ var: 'level' }, 'A'] } },
    { key: 'no', type: 'serial', label: l('Number', '编号') },
    {
      key: 'items',
      type: 'subform',
      label: l('Items', '明细'),
      fields: [
        { key: 'product', type: 'text', label: l('Product', '产品'), required: true },
        { key: 'qty', type: 'number', label: l('Quantity', '数量') },
        {
          key: 'rush',
          type: 'checkbox',
          label: l('Rush', '加急'),
          // reads the row (qty) and the record around it (level)
          visible_when: { and: [{ '>': [{ var: 'qty' }, 10] }, { '==': [{ var: 'level' }, 'A'] }] },
        },
      ],
    },
  ],
};

export const crmApp: AppDetail = {
  key: 'crm',
  name: l('CRM', '客户管理'),
  version: '1.0.0',
  status: 'published',
  published_at: '2026-11-24T00:00:00Z',
  has_draft: false,
  definition: { format: 'tessera.app/1', key: 'crm', name: l('CRM', '客户管理'), version: '1.0.0', forms: [customerForm] },
};
