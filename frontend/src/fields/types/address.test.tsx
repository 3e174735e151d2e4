import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../i18n/locale';
import { mockFetch, type MockCall } from '../../test/fetchMock';
import { renderWithApp } from '../../test/render';
import { useDisplay } from '../useDisplay';
import { addressText } from '../display/address';
import { fieldType } from '../registry';
import { fieldBox, l, renderFields, saveAndRead } from './fieldTestKit';

const TREE: Record<string, { code: string; name: string; level: string; leaf: boolean }[]> = {
  '': [
    { code: '11', name: '北京市', level: 'province', leaf: false },
    { code: '44', name: '广东省', level: 'province', leaf: false },
  ],
  '11': [{ code: '110101', name: '东城区', level: 'district', leaf: true }],
  '44': [
    { code: '4403', name: '深圳市', level: 'city', leaf: false },
    { code: '4419', name: '东莞市', level: 'city', leaf: true },
  ],
  '4403': [{ code: '440305', name: '南山区', level: 'district', leaf: true }],
};
const regions = (call: MockCall) => {
  const parent = new URL(call.url, 'http://x').searchParams.get('parent') ?? '';
  return { parent: parent || null, items: TREE[parent] ?? [] };
};
const ADDRESS = { key: 'where', type: 'address', label: l('Where', '地址') };

/** What the server answers an English request (Accept-Language: en). */
const ENGLISH: Record<string, string> = {
  '11': 'Beijing', '44': 'Guangdong', '110101': 'Dongcheng District', '4403': 'Shenzhen',
  '4419': 'Dongguan', '440305': 'Nanshan District',
};
const inLanguage = (call: MockCall, region: { code: string; name: string }) =>
  call.headers['Accept-Language'] === 'en' ? { ...region, name: ENGLISH[region.code] } : region;
const regionsByLanguage = (call: MockCall) => {
  const answer = regions(call);
  return { ...answer, items: answer.items.map((region) => inLanguage(call, region)) };
};
const allNames = (call: MockCall) => ({
  names: Object.fromEntries(Object.values(TREE).flat().map((region) => [region.code, inLanguage(call, region).name])),
});

const NANSHAN = { province: '44', city: '4403', district: '440305', detail: '科技园 1 号', text: '广东省深圳市南山区科技园 1 号' };
const DONGCHENG = { province: '11', city: null, district: '110101', detail: null, text: '北京市东城区' };

/** Address cells as a list draws them (useDisplay, compact), one per value. */
function Cells({ values }: { values: unknown[] }) {
  const display = useDisplay({ compact: true });
  return (
    <ul>
      {values.map((value, index) => (
        <li key={index} data-testid={`cell-${index}`}>
          {display(ADDRESS, value)}
        </li>
      ))}
    </ul>
  );
}

function renderCells(values: unknown[], locale: Locale) {
  const { calls } = mockFetch({ 'GET /api/v1/regions/names': allNames });
  renderWithApp(<Cells values={values} />, { locale });
  return { calls, cell: (index: number) => screen.getByTestId(`cell-${index}`) };
}

async function pick(name: string) {
  fireEvent.click(await screen.findByRole('menuitemcheckbox', { name }).catch(() => screen.findByTitle(name)));
}

async function openCascader() {
  fireEvent.mouseDown(within(fieldBox('where')).getByRole('combobox'));
}

describe('address field', () => {
  it('cascades province, city and district, loading each level on demand, and sends codes plus the detail line', async () => {
    const { onSubmit, calls } = renderFields([ADDRESS], { routes: { 'GET /api/v1/regions': regions } });
    await openCascader();
    await pick('广东省');
    await pick('深圳市');
    await pick('南山区');
    await userEvent.type(screen.getByTestId('address-detail-where'), '科技园 1 号');
    expect(await saveAndRead(onSubmit)).toEqual({
      where: { province: '44', city: '4403', district: '440305', detail: '科技园 1 号' },
    });
    // one level per request: the provinces, Guangdong's cities, Shenzhen's districts
    const parents = calls.filter((c) => c.url.includes('/regions')).map((c) => new URL(c.url, 'http://x').searchParams.get('parent') ?? '');
    expect(new Set(parents)).toEqual(new Set(['', '44', '4403']));
  });

  it("puts a municipality's district right under the province", async () => {
    const { onSubmit } = renderFields([ADDRESS], { routes: { 'GET /api/v1/regions': regions } });
    await openCascader();
    await pick('北京市');
    await pick('东城区');
    expect(await saveAndRead(onSubmit)).toEqual({ where: { province: '11', city: null, district: '110101', detail: null } });
  });

  it('shows a stored address by name and sends nothing when it is left alone', async () => {
    const record = {
      _id: 'r1',
      _version: 1,
      where: { province: '44', city: '4403', district: '440305', detail: '科技园', text: '广东省深圳市南山区科技园' },
    };
    const { onSubmit } = renderFields([ADDRESS, { key: 'name', type: 'text', label: l('Name', '名称') }], {
      record,
      routes: { 'GET /api/v1/regions': regions },
    });
    expect(await within(fieldBox('where')).findByText('广东省 / 深圳市 / 南山区')).toBeInTheDocument();
    expect(screen.getByTestId('address-detail-where')).toHaveValue('科技园');
    await userEvent.type(within(fieldBox('name')).getByRole('textbox'), 'HQ');
    expect(await saveAndRead(onSubmit)).toEqual({ name: 'HQ' });
  });

  it('stops at the level the field asks for and hides the detail line when it is off', async () => {
    const { onSubmit } = renderFields([{ ...ADDRESS, level: 'city', detail: false }], { routes: { 'GET /api/v1/regions': regions } });
    expect(screen.queryByTestId('address-detail-where')).not.toBeInTheDocument();
    await openCascader();
    await pick('广东省');
    await pick('深圳市');
    expect(await saveAndRead(onSubmit)).toEqual({ where: { province: '44', city: '4403', district: null, detail: null } });
  });

  it('offers the regions in English when the UI is English, and stores the same codes', async () => {
    const { onSubmit, calls } = renderFields([ADDRESS], { routes: { 'GET /api/v1/regions': regionsByLanguage } });
    await openCascader();
    await pick('Guangdong');
    await pick('Shenzhen');
    await pick('Nanshan District');
    expect(within(fieldBox('where')).getByText('Guangdong / Shenzhen / Nanshan District')).toBeInTheDocument();
    expect(await saveAndRead(onSubmit)).toEqual({ where: { province: '44', city: '4403', district: '440305', detail: null } });
    expect(calls.filter((c) => c.url.includes('/regions')).every((c) => c.headers['Accept-Language'] === 'en')).toBe(true);
  });

  it('shows a stored address by its English names in the form', async () => {
    renderFields([ADDRESS], { record: { _id: 'r1', _version: 1, where: NANSHAN }, routes: { 'GET /api/v1/regions': regionsByLanguage } });
    expect(await within(fieldBox('where')).findByText('Guangdong / Shenzhen / Nanshan District')).toBeInTheDocument();
  });

  it('displays addresses in English from one names request for every cell', async () => {
    const { calls, cell } = renderCells([NANSHAN, DONGCHENG, NANSHAN, null], 'en');
    await waitFor(() => expect(cell(0)).toHaveTextContent(/^Guangdong \/ Shenzhen \/ Nanshan District, 科技园 1 号$/));
    expect(cell(1)).toHaveTextContent(/^Beijing \/ Dongcheng District$/);
    expect(cell(2)).toHaveTextContent('Guangdong / Shenzhen / Nanshan District, 科技园 1 号');
    expect(cell(3)).toHaveTextContent(/^$/);
    expect(calls.filter((c) => c.url.includes('/regions/names'))).toHaveLength(1);
    // once the names are here, an address is plain text (a list cell's tooltip), without a query
    expect(fieldType('address').display(DONGCHENG, ADDRESS, { locale: 'en' } as never)).toBe('Beijing / Dongcheng District');
  });

  it('falls back to the stored text while the names are on their way', () => {
    expect(addressText(NANSHAN)).toBe('广东省深圳市南山区科技园 1 号');
    expect(addressText({ province: '44', city: '4403' })).toBe('44 4403');
  });

  it('displays the stored Chinese text in Chinese, without asking for names', async () => {
    const { calls, cell } = renderCells([NANSHAN, DONGCHENG], 'zh-CN');
    expect(cell(0)).toHaveTextContent(/^广东省深圳市南山区科技园 1 号$/);
    expect(cell(1)).toHaveTextContent(/^北京市东城区$/);
    expect(calls.filter((c) => c.url.includes('/regions'))).toHaveLength(0);
  });

  it('names the codes of an address that has no text, in either language', async () => {
    const codesOnly = { province: '44', city: '4403', district: '440305' };
    const { cell } = renderCells([codesOnly], 'zh-CN');
    expect(await screen.findByText('广东省 / 深圳市 / 南山区')).toBe(cell(0));
  });

  it('displays the full name the server derived', () => {
    const display = fieldType('address').display;
    expect(display({ province: '44', text: '广东省深圳市南山区科技园' }, ADDRESS, {} as never)).toBe('广东省深圳市南山区科技园');
    expect(display(null, ADDRESS, {} as never)).toBe('');
  });
});
