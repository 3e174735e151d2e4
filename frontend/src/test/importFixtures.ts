/** Preview answers of `POST …/import/preview` for the import wizard's tests (customerForm). */
import type { Preview } from '../importexport/api';

const l = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/**
 * Customers with line items: record Acme on file rows 2–3 (two clean item rows), record Beta
 * on rows 4–6 whose second item (file row 5) has a quantity that is not a number, and a column
 * named like a file field, which the server skips.
 */
export const subformPreview: Preview = {
  format: 'xlsx',
  encoding: null,
  sheet: 'Sheet1',
  headers: ['name', 'Items.Product', 'items.qty', 'Contract'],
  estimated_rows: 5,
  columns: [
    { index: 0, header: 'name', field: 'name', matched_by: 'key', subform: null, note: null },
    { index: 1, header: 'Items.Product', field: 'items.product', matched_by: 'label', subform: 'items', note: null },
    { index: 2, header: 'items.qty', field: 'items.qty', matched_by: 'key', subform: 'items', note: null },
    { index: 3, header: 'Contract', field: null, matched_by: null, subform: null, note: 'files_not_importable' },
  ],
  fields: [
    { key: 'name', label: l('Name', '客户名称'), type: 'text', required: true, subform: null, multiple: false },
    { key: 'employees', label: l('Employees', '员工数'), type: 'number', required: false, subform: null, multiple: false },
    { key: 'items.product', label: l('Items.Product', '明细.产品'), type: 'text', required: true, subform: 'items', multiple: false },
    { key: 'items.qty', label: l('Items.Quantity', '明细.数量'), type: 'number', required: false, subform: 'items', multiple: false },
  ],
  missing_required: [],
  rows: [
    {
      row: 2,
      file_rows: [2, 3],
      cells: { name: 'Acme', 'Items.Product': 'Bolt', 'items.qty': '2', Contract: 'deal.pdf' },
      values: { name: 'Acme', items: [{ product: 'Bolt', qty: 2 }, { product: 'Nut', qty: 3 }] },
      action: 'insert',
      errors: [],
    },
    {
      row: 4,
      file_rows: [4, 5, 6],
      cells: { name: 'Beta', 'Items.Product': 'Washer', 'items.qty': '1', Contract: null },
      row_cells: [
        { name: 'Beta', 'Items.Product': 'Washer', 'items.qty': '1', Contract: null },
        { name: null, 'Items.Product': 'Bolt', 'items.qty': 'lots', Contract: null },
        { name: null, 'Items.Product': 'Nut', 'items.qty': '2', Contract: null },
      ],
      values: {},
      action: 'insert',
      errors: [
        { row: 5, column: 'items.qty', field: 'items[1].qty', code: 'invalid_number', message: 'Not a number.', value: 'lots' },
      ],
    },
  ],
};
