import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FormDef } from '../api/types';
import { mockFetch, reply, type MockCall } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import PublicFormPage from './PublicFormPage';

afterEach(() => vi.unstubAllGlobals());

const l = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const form: FormDef = {
  key: 'lead',
  name: l('Expo sign-up', '展会报名'),
  title_field: 'name',
  fields: [
    { key: 'name', type: 'text', label: l('Your name', '姓名'), required: true },
    { key: 'phone', type: 'phone', label: l('Phone', '电话') },
  ],
};
const URL_ = '/api/v1/public/tpl_abc';
const shown = { app: { key: 'crm', name: l('CRM', '客户管理') }, form, requires_password: false, expires_at: null };
const problem = (status: number, code: string) => reply(status, { status, code, title: code, detail: `server says ${code}` });

function renderPublic(locale: 'en' | 'zh-CN' = 'en') {
  return renderWithApp(<PublicFormPage />, { url: '/f/tpl_abc', path: '/f/:token', locale });
}

const field = (key: string) => screen.getByTestId(`field-${key}`);

describe('PublicFormPage', () => {
  it('fills the form without signing in and thanks the visitor; errors from the server land on their field', async () => {
    let attempt = 0;
    const { calls } = mockFetch({
      [`GET ${URL_}`]: shown,
      [`POST ${URL_}/submit`]: () =>
        ++attempt === 1
          ? reply(409, { status: 409, code: 'duplicate_value', title: 'Duplicate', errors: [{ path: 'data.name', code: 'duplicate', message: 'Already used by another record.' }] })
          : reply(201, { _id: 'r1', submitted_at: '2026-11-24T03:00:00Z' }),
    });
    renderPublic();
    expect(await screen.findByRole('heading', { name: 'Expo sign-up' })).toBeInTheDocument();
    // no shell, no cancel: nowhere to go back to
    expect(screen.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
    // a visitor submits; "Save" is for records one keeps working on
    expect(screen.getByTestId('form-save')).toHaveTextContent('Submit');
    fireEvent.change(within(field('name')).getByRole('textbox'), { target: { value: 'Ann' } });
    fireEvent.change(within(field('phone')).getByRole('textbox'), { target: { value: '13800138000' } });
    await userEvent.click(screen.getByTestId('form-save'));
    expect(await within(field('name')).findByText('Already used by another record.')).toBeInTheDocument();

    fireEvent.change(within(field('name')).getByRole('textbox'), { target: { value: 'Ann Lee' } });
    await userEvent.click(screen.getByTestId('form-save'));
    expect(await screen.findByTestId('public-thanks')).toHaveTextContent('Thank you!');
    const posts = calls.filter((c: MockCall) => c.method === 'POST');
    expect(posts.at(-1)?.body).toEqual({ data: { name: 'Ann Lee', phone: '13800138000' } });

    // another, from a blank form
    await userEvent.click(screen.getByTestId('public-again'));
    expect(within(field('name')).getByRole('textbox')).toHaveValue('');
  });

  it('asks for the password first, says when it is wrong, and sends it with the answers', async () => {
    const { calls } = mockFetch({
      [`GET ${URL_}`]: ({ headers }) => {
        const given = headers['X-Link-Password'];
        if (!given) return problem(401, 'password_required');
        return given === 'open sesame' ? { ...shown, requires_password: true } : problem(401, 'wrong_password');
      },
      [`POST ${URL_}/submit`]: reply(201, { _id: 'r1', submitted_at: '2026-11-24T03:00:00Z' }),
    });
    renderPublic();
    const prompt = await screen.findByTestId('public-password');
    fireEvent.change(within(prompt).getByTestId('public-password-input'), { target: { value: 'nope' } });
    await userEvent.click(within(prompt).getByTestId('public-password-submit'));
    expect(await screen.findByText('The password is wrong.')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('public-password-input'), { target: { value: 'open sesame' } });
    await userEvent.click(screen.getByTestId('public-password-submit'));
    expect(await screen.findByRole('heading', { name: 'Expo sign-up' })).toBeInTheDocument();
    fireEvent.change(within(field('name')).getByRole('textbox'), { target: { value: 'Bo' } });
    await userEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('public-thanks');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ data: { name: 'Bo' }, password: 'open sesame' });
  });

  it('uploads files through the link, with its password, and sends their ids with the answers', async () => {
    const withFile: FormDef = { ...form, fields: [...form.fields, { key: 'papers', type: 'attachment', label: l('Papers', '材料') }] };
    const { calls } = mockFetch({
      [`GET ${URL_}`]: ({ headers }) => (headers['X-Link-Password'] === 'pw' ? { ...shown, form: withFile, requires_password: true } : problem(401, 'password_required')),
      [`POST ${URL_}/files`]: reply(201, { id: 'file-1', name: 'cv.pdf', content_type: 'application/pdf', size: 3 }),
      [`POST ${URL_}/submit`]: reply(201, { _id: 'r1', submitted_at: '2026-11-24T03:00:00Z' }),
    });
    renderPublic();
    fireEvent.change(await screen.findByTestId('public-password-input'), { target: { value: 'pw' } });
    await userEvent.click(screen.getByTestId('public-password-submit'));
    await screen.findByRole('heading', { name: 'Expo sign-up' });
    fireEvent.change(within(field('name')).getByRole('textbox'), { target: { value: 'Cy' } });
    const input = field('papers').querySelector('input[type="file"]') as HTMLInputElement;
    await userEvent.upload(input, new File(['pdf'], 'cv.pdf', { type: 'application/pdf' }));
    expect(await within(field('papers')).findByText('cv.pdf')).toBeInTheDocument();
    const upload = calls.find((c) => c.method === 'POST' && c.url.includes('/files'));
    expect(upload?.url).toBe(`${URL_}/files?field=papers`);
    expect(upload?.headers['X-Link-Password']).toBe('pw');
    expect(calls.some((c) => c.url.startsWith('/api/v1/files'))).toBe(false);
    await userEvent.click(screen.getByTestId('form-save'));
    await screen.findByTestId('public-thanks');
    expect(calls.find((c) => c.url.endsWith('/submit'))?.body).toEqual({ data: { name: 'Cy', papers: ['file-1'] }, password: 'pw' });
  });

  it.each([
    ['link_expired', 410, 'public-expired', 'This link has expired'],
    ['link_disabled', 410, 'public-disabled', 'This link has been turned off'],
    ['link_not_found', 404, 'public-notFound', 'This link does not exist'],
    ['link_owner_inactive', 410, 'public-closed', 'This form is closed'],
    ['too_many_submissions', 429, 'public-tooMany', 'Please wait a few minutes'],
  ])('says clearly when the link answers %s', async (code, status, testId, title) => {
    mockFetch({ [`GET ${URL_}`]: problem(status, code) });
    renderPublic();
    expect(await screen.findByTestId(testId)).toHaveTextContent(title);
  });

  it('keeps the answers when the network sent too many, and turns to the closed page when the link goes off meanwhile', async () => {
    let answer = problem(429, 'too_many_submissions');
    mockFetch({ [`GET ${URL_}`]: shown, [`POST ${URL_}/submit`]: () => answer });
    renderPublic();
    await screen.findByRole('heading', { name: 'Expo sign-up' });
    fireEvent.change(within(field('name')).getByRole('textbox'), { target: { value: 'Cy' } });
    await userEvent.click(screen.getByTestId('form-save'));
    expect(await screen.findByText(/Too many answers or password attempts/)).toBeInTheDocument();
    expect(within(field('name')).getByRole('textbox')).toHaveValue('Cy');

    answer = problem(410, 'link_disabled');
    await userEvent.click(screen.getByTestId('form-save'));
    expect(await screen.findByTestId('public-disabled')).toBeInTheDocument();
  });

  it('speaks Chinese and switches language on the page', async () => {
    mockFetch({ [`GET ${URL_}`]: shown });
    renderPublic('zh-CN');
    expect(await screen.findByRole('heading', { name: '展会报名' })).toBeInTheDocument();
    expect(screen.getByText('客户管理')).toBeInTheDocument();
    await userEvent.hover(screen.getByTestId('language-switch'));
    await userEvent.click(await screen.findByText('English'));
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Expo sign-up' })).toBeInTheDocument());
  });

  it('loads the address cascader through the link, not the members-only /regions', async () => {
    const withAddress = { ...shown, form: { ...form, fields: [...form.fields, { key: 'where', type: 'address', label: l('Where', '地址') }] } };
    const { calls } = mockFetch({
      [`GET ${URL_}`]: withAddress,
      [`GET ${URL_}/regions`]: { parent: null, items: [{ code: '44', name: '广东省', level: 'province', leaf: false }] },
    });
    renderPublic();
    fireEvent.mouseDown(within(await screen.findByTestId('field-where')).getByRole('combobox'));
    expect(await screen.findByText('广东省')).toBeInTheDocument();
    expect(calls.some((c) => c.url.includes('/public/tpl_abc/regions'))).toBe(true);
    expect(calls.some((c) => c.url.startsWith('/api/v1/regions'))).toBe(false);
  });
});
