import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { MockCall } from '../../test/fetchMock';
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

  it('displays the full name the server derived', () => {
    const display = fieldType('address').display;
    expect(display({ province: '44', text: '广东省深圳市南山区科技园' }, ADDRESS, {} as never)).toBe('广东省深圳市南山区科技园');
    expect(display(null, ADDRESS, {} as never)).toBe('');
  });
});
