import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fieldBox, l, renderFields, saveAndRead } from './fieldTestKit';

const USERS = {
  items: [
    { id: 'u-ann', email: 'ann@example.com', name: 'Ann Lee', is_admin: false, is_active: true },
    { id: 'u-bo', email: 'bo@example.com', name: 'Bo Wang', is_admin: false, is_active: true },
    { id: 'u-cy', email: 'cy@example.com', name: 'Cy Gone', is_admin: false, is_active: false },
  ],
};
const routes = { 'GET /api/v1/users': USERS };

describe('member fields', () => {
  it('finds a member by e-mail as well as by name', async () => {
    const { onSubmit } = renderFields([{ key: 'owner', type: 'member', label: l('Owner', '负责人') }], { routes });
    const box = within(fieldBox('owner')).getByRole('combobox');
    fireEvent.mouseDown(box);
    await screen.findByTitle('Ann Lee');
    await userEvent.type(box, 'bo@');
    await waitFor(() => expect(screen.queryByTitle('Ann Lee')).not.toBeInTheDocument());
    expect(screen.getByText('bo@example.com')).toBeInTheDocument();
    fireEvent.click(screen.getByTitle('Bo Wang'));
    expect(await saveAndRead(onSubmit)).toEqual({ owner: 'u-bo' });
  });

  it('takes several for members and does not offer disabled members', async () => {
    const { onSubmit } = renderFields([{ key: 'team', type: 'members', label: l('Team', '成员') }], { routes });
    fireEvent.mouseDown(within(fieldBox('team')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('Ann Lee'));
    fireEvent.click(screen.getByTitle('Bo Wang'));
    expect(screen.queryByTitle('Cy Gone')).not.toBeInTheDocument();
    expect(await saveAndRead(onSubmit)).toEqual({ team: ['u-ann', 'u-bo'] });
  });

  it('still names a disabled member already chosen', async () => {
    renderFields([{ key: 'team', type: 'members', label: l('Team', '成员') }], { routes, record: { _id: 'r1', _version: 1, team: ['u-cy'] } });
    expect(await within(fieldBox('team')).findByText('Cy Gone')).toBeInTheDocument();
  });
});
