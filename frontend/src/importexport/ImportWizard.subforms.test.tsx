import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FormDef } from '../api/types';
import { mockFetch, reply } from '../test/fetchMock';
import { customerForm } from '../test/fixtures';
import { subformPreview } from '../test/importFixtures';
import { renderWithApp } from '../test/render';
import type { Preview } from './api';
import ImportWizard from './ImportWizard';
import PreviewTable from './PreviewTable';
import { spanText } from './records';

afterEach(() => vi.unstubAllGlobals());

const BASE = '/api/v1/apps/crm/forms/customer';

function pick(file: File) {
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [file] } });
}

const combobox = (header: string) => within(screen.getByTestId(`map-${header}`)).getByRole('combobox');

describe('ImportWizard with sub-form columns', () => {
  it('groups sub-form fields in the mapping, explains sub-form rows and skipped file columns', async () => {
    mockFetch({ [`POST ${BASE}/import/preview`]: subformPreview });
    renderWithApp(<ImportWizard app="crm" form={customerForm} open onClose={() => undefined} />);
    pick(new File(['x'], 'orders.xlsx'));
    expect(await screen.findByTestId('import-mapping')).toBeInTheDocument();
    expect(screen.getByTestId('map-items.qty')).toHaveTextContent('Items › Quantity');
    expect(screen.getByTestId('map-Items.Product')).toHaveTextContent('Items › Product *');
    expect(screen.getByTestId('import-subform-hint')).toHaveTextContent('leaving the record\'s columns empty (or repeating its key)');
    expect(screen.getByTestId('map-note-Contract')).toHaveTextContent("Files can't be imported from a spreadsheet");
    // the column's control points at the note for a screen reader
    expect(combobox('Contract')).toHaveAttribute('aria-describedby', 'map-help-3');

    fireEvent.mouseDown(combobox('Contract'));
    // the record's own fields and each sub-form are groups of their own
    expect(await screen.findByTitle('Fields of the record')).toBeInTheDocument();
    expect(screen.getByTitle('Items')).toBeInTheDocument();
  });

  it('shows the mapping the server refuses on that column, until the user changes it', async () => {
    let calls = 0;
    mockFetch({
      [`POST ${BASE}/import/preview`]: () =>
        ++calls === 1
          ? subformPreview
          : reply(422, {
              status: 422,
              code: 'invalid_mapping',
              detail: 'Invalid mapping.',
              errors: [{ path: 'mapping.Contract', code: 'files_not_importable', message: "Files (attachments, images, signatures) can't be imported from a spreadsheet." }],
            }),
    });
    renderWithApp(<ImportWizard app="crm" form={customerForm} open onClose={() => undefined} />);
    pick(new File(['x'], 'orders.xlsx'));
    expect(await screen.findByTestId('import-mapping')).toBeInTheDocument();
    fireEvent.mouseDown(combobox('Contract'));
    fireEvent.click(await screen.findByTitle('Employees'));
    await userEvent.click(screen.getByTestId('import-next'));

    expect(await screen.findByTestId('map-error-Contract')).toHaveTextContent("Files (attachments, images, signatures) can't be imported");
    expect(screen.getByTestId('import-mapping')).toBeInTheDocument();
    expect(screen.getByTestId('import-problem')).toHaveTextContent("Some columns can't be mapped like that");
    expect(combobox('Contract')).toHaveAttribute('aria-invalid', 'true');

    fireEvent.mouseDown(combobox('Contract'));
    fireEvent.click((await screen.findAllByTitle('(ignore this column)')).at(-1) as HTMLElement);
    await waitFor(() => expect(screen.queryByTestId('map-error-Contract')).not.toBeInTheDocument());
  });

  it('previews records over several file rows with the sub-form error on its row and column', async () => {
    mockFetch({ [`POST ${BASE}/import/preview`]: subformPreview });
    renderWithApp(<ImportWizard app="crm" form={customerForm} open onClose={() => undefined} />);
    pick(new File(['x'], 'orders.xlsx'));
    await userEvent.click(await screen.findByTestId('import-next'));
    expect(await screen.findByTestId('import-preview')).toBeInTheDocument();
    expect(screen.getByTestId('preview-rows-2')).toHaveTextContent('2–3');
    expect(screen.getByTestId('preview-rows-4')).toHaveTextContent('4–6');
    expect(screen.getByTestId('preview-sub-items-2')).toHaveTextContent('2 rows');
    expect(screen.getByTestId('preview-sub-items-4')).toHaveTextContent(/1 problem$/);

    // the bad record opens by itself: the error sits on file row 5, column items.qty
    const bad = screen.getByTestId('preview-subrows-4');
    const error = within(bad).getByTestId('preview-cell-error');
    expect(error).toHaveAttribute('data-row', '5');
    expect(error).toHaveAttribute('data-column', 'items.qty');
    expect(error).toHaveTextContent('lots');
    expect(error).toHaveTextContent('Not a number.');
    expect(within(error.closest('tr') as HTMLElement).getAllByRole('cell')[0]).toHaveTextContent('5');
    // the record's first row is not marked
    expect(screen.getAllByTestId('preview-cell-error')).toHaveLength(1);
    // every file row's cells are shown as given, to be fixed there
    const first = within(bad).getByText('Washer').closest('tr') as HTMLElement;
    expect(within(first).getAllByRole('cell').map((c) => c.textContent)).toEqual(['4', 'Washer', '1']);
    const last = within(within(bad).getByText('6').closest('tr') as HTMLElement).getAllByRole('cell');
    expect(last.map((c) => c.textContent)).toEqual(['6', 'Nut', '2']);
    expect(screen.queryByText(/the preview shows only the cells with problems/)).not.toBeInTheDocument();

    // the clean record opens on demand and shows its second item on file row 3
    expect(screen.queryByTestId('preview-subrows-2')).not.toBeInTheDocument();
    const expand = within(screen.getByTestId('preview-rows-2').closest('tr') as HTMLElement).getByRole('button');
    await userEvent.click(expand);
    const clean = await screen.findByTestId('preview-subrows-2');
    const row3 = within(clean).getByText('Nut').closest('tr') as HTMLElement;
    expect(within(row3).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3', 'Nut', '3']);
  });

  it('says it in Chinese', async () => {
    mockFetch({ [`POST ${BASE}/import/preview`]: subformPreview });
    renderWithApp(<ImportWizard app="crm" form={customerForm} open onClose={() => undefined} />, { locale: 'zh-CN' });
    pick(new File(['x'], 'orders.xlsx'));
    expect(await screen.findByTestId('import-mapping')).toBeInTheDocument();
    expect(screen.getByTestId('map-items.qty')).toHaveTextContent('明细 › 数量');
    expect(screen.getByTestId('import-subform-hint')).toHaveTextContent('子表的列名形如“明细.数量”');
    expect(screen.getByTestId('map-note-Contract')).toHaveTextContent('附件、图片和签名无法从表格导入');
    await userEvent.click(screen.getByTestId('import-next'));
    expect(await screen.findByTestId('preview-sub-items-4')).toHaveTextContent('1 处问题');
  });
});

const l = (en: string) => ({ en });
const orderForm: FormDef = {
  key: 'order',
  name: l('Order'),
  fields: [
    { key: 'no', type: 'text', label: l('No') },
    {
      key: 'lines',
      type: 'subform',
      label: l('Lines'),
      fields: [
        { key: 'products', type: 'relation', label: l('Products'), multiple: true },
        { key: 'ship_to', type: 'address', label: l('Ship to') },
        {
          key: 'tags',
          type: 'multiselect',
          label: l('Tags'),
          options: [
            { value: 'a', label: l('Fragile') },
            { value: 'b', label: l('Urgent') },
          ],
        },
      ],
    },
  ],
};

describe('PreviewTable', () => {
  it('shows several relations, addresses and choices of a sub-form row readably', async () => {
    const preview: Preview = {
      ...subformPreview,
      headers: ['no', 'products', 'ship_to', 'tags'],
      columns: ['no', 'lines.products', 'lines.ship_to', 'lines.tags'].map((field, index) => ({
        index, header: field.split('.').at(-1) as string, field, matched_by: 'key', subform: index ? 'lines' : null, note: null,
      })),
      fields: [
        { key: 'no', label: l('No'), type: 'text', required: false },
        { key: 'lines.products', label: l('Lines.Products'), type: 'relation', required: false, subform: 'lines', multiple: true },
        { key: 'lines.ship_to', label: l('Lines.Ship to'), type: 'address', required: false, subform: 'lines' },
        { key: 'lines.tags', label: l('Lines.Tags'), type: 'multiselect', required: false, subform: 'lines', multiple: true },
      ],
      rows: [{
        row: 2,
        file_rows: [2, 3],
        cells: { no: 'SO-1', products: 'Bolt、Nut', ship_to: '浙江省/杭州市/西湖区/文三路90号', tags: 'Fragile' },
        values: {
          no: 'SO-1',
          lines: [
            { products: ['11111111-0000-0000-0000-000000000000'], ship_to: { province: '33', text: '浙江省杭州市西湖区文三路90号' }, tags: ['a'] },
            {
              products: ['22222222-0000-0000-0000-000000000000', '33333333-0000-0000-0000-000000000000'],
              ship_to: { province: '31', text: '上海市黄浦区南京东路1号' },
              tags: ['a', 'b'],
            },
          ],
        },
        action: 'insert',
        errors: [],
      }],
    };
    const mapping = Object.fromEntries(preview.columns.map((c) => [c.header, c.field]));
    renderWithApp(<PreviewTable preview={preview} mapping={mapping} form={orderForm} label={(k) => k} />);
    await userEvent.click(within(screen.getByTestId('preview-rows-2').closest('tr') as HTMLElement).getByRole('button'));
    const second = within(await screen.findByTestId('preview-subrows-2')).getByText('3').closest('tr') as HTMLElement;
    const cells = within(second).getAllByRole('cell').map((c) => c.textContent);
    expect(cells[1]).toBe('22222222, 33333333');
    expect(cells[2]).toBe('上海市黄浦区南京东路1号');
    expect(cells[3]).toContain('Fragile');
    expect(cells[3]).toContain('Urgent');
  });

  it('lists the problems no cell shows under the table', () => {
    const preview: Preview = {
      ...subformPreview,
      rows: [{ ...subformPreview.rows[0], values: {}, errors: [{ row: 2, column: null, field: null, code: 'record_not_found', message: 'No record has this key.' }] }],
    };
    const mapping = Object.fromEntries(preview.columns.map((c) => [c.header, c.field]));
    renderWithApp(<PreviewTable preview={preview} mapping={mapping} form={customerForm} label={(k) => k} />);
    expect(screen.getByTestId('preview-other-errors')).toHaveTextContent('Row 2: No record has this key.');
    expect(screen.queryByTestId('preview-cell-error')).not.toBeInTheDocument();
  });

  it('writes a record\'s file rows as a spreadsheet user reads them', () => {
    const record = { row: 3, cells: {}, action: 'insert' as const, errors: [] };
    expect(spanText(record)).toBe('3');
    expect(spanText({ ...record, file_rows: [3, 4, 5] })).toBe('3–5');
    expect(spanText({ ...record, file_rows: [3, 5] })).toBe('3, 5');
  });
});
