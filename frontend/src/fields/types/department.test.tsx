import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { mockFetch } from '../../test/fetchMock';
import { fieldType } from '../registry';
import { departmentTree } from './department';
import { fieldBox, l, renderFields, saveAndRead } from './fieldTestKit';

const DEPARTMENTS = {
  items: [
    { id: 'd-hq', key: 'hq', name: 'Head office', parent: null, managers: [] },
    { id: 'd-sales', key: 'sales', name: 'Sales', parent: 'hq', managers: [] },
    { id: 'd-east', key: 'sales_east', name: 'Sales East', parent: 'sales', managers: [] },
    { id: 'd-it', key: 'it', name: 'IT', parent: 'hq', managers: [] },
  ],
};
const routes = { 'GET /api/v1/departments': DEPARTMENTS };

async function open(key: string) {
  fireEvent.mouseDown(within(fieldBox(key)).getByRole('combobox'));
  await screen.findByTitle('Head office');
}

describe('department fields', () => {
  it('builds the tree from the flat list, keeping orphans as roots', () => {
    const tree = departmentTree([...DEPARTMENTS.items, { id: 'd-x', key: 'x', name: 'Lost', parent: 'gone' }]);
    expect(tree.map((n) => n.title)).toEqual(['Head office', 'Lost']);
    expect(tree[0].children.map((n) => n.title)).toEqual(['Sales', 'IT']);
    expect(tree[0].children[0].children[0]).toMatchObject({ value: 'd-east', title: 'Sales East' });
  });

  it('picks one department from the tree, found by typing', async () => {
    const { onSubmit } = renderFields([{ key: 'dept', type: 'department', label: l('Department', '部门') }], { routes });
    await open('dept');
    await userEvent.type(within(fieldBox('dept')).getByRole('combobox'), 'East');
    await waitFor(() => expect(screen.queryByTitle('IT')).not.toBeInTheDocument());
    fireEvent.click(screen.getByTitle('Sales East'));
    expect(await saveAndRead(onSubmit)).toEqual({ dept: 'd-east' });
  });

  it('picks several for a departments field', async () => {
    const { onSubmit } = renderFields([{ key: 'teams', type: 'departments', label: l('Teams', '团队') }], { routes });
    await open('teams');
    fireEvent.click(screen.getByTitle('Sales'));
    fireEvent.click(screen.getByTitle('IT'));
    expect(await saveAndRead(onSubmit)).toEqual({ teams: ['d-sales', 'd-it'] });
  });

  it('says who the default is and how to add departments when there are none', async () => {
    renderFields([{ key: 'dept', type: 'department', label: l('Department', '部门'), default_current: true }], {
      routes: { 'GET /api/v1/departments': { items: [] } },
    });
    expect(within(fieldBox('dept')).getByText('Your department, unless you pick another')).toBeInTheDocument();
    fireEvent.mouseDown(within(fieldBox('dept')).getByRole('combobox'));
    expect(await screen.findByText(/No departments yet/)).toBeInTheDocument();
  });

  it('displays department names', async () => {
    mockFetch(routes);
    const display = fieldType('departments').display(['d-sales', 'd-it'], { key: 'teams', type: 'departments', label: l('Teams', '团队') }, {} as never);
    render(<QueryClientProvider client={new QueryClient()}>{display}</QueryClientProvider>);
    expect(await screen.findByText('Sales, IT')).toBeInTheDocument();
  });
});
