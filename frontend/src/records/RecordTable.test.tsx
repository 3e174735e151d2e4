import { useState } from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { RecordData } from '../api/types';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { RecordTable } from './RecordTable';

const record = (id: string, name?: string): RecordData => ({ _id: id, _version: 1, ...(name === undefined ? {} : { name }) });

function renderTable(records: RecordData[], onSort = vi.fn()) {
  renderWithApp(
    <RecordTable app="crm" form={customerForm} columns={['name', 'employees']} records={records} loading={false} sort="" onSort={onSort} selected={[]} onSelect={vi.fn()} onOpen={vi.fn()} />,
  );
  return onSort;
}

describe('RecordTable', () => {
  it('sorts by a header on Enter and on Space, and Space does not scroll the page', () => {
    const onSort = renderTable([record('11111111-2222-3333-4444-555555555555', 'Acme')]);
    const header = screen.getByRole('columnheader', { name: 'Employees' });
    fireEvent.keyDown(header, { key: 'Enter' });
    expect(onSort).toHaveBeenLastCalledWith('employees');
    const space = fireEvent.keyDown(header, { key: ' ' });
    expect(onSort).toHaveBeenCalledTimes(2);
    // fireEvent answers false when the handler prevented the default (the page's scroll)
    expect(space).toBe(false);
    // a held key's repeats don't flip the order back and forth
    fireEvent.keyDown(header, { key: ' ', repeat: true });
    fireEvent.keyDown(header, { key: 'a' });
    expect(onSort).toHaveBeenCalledTimes(2);
  });

  it("names a row's checkbox by the record's title, or the first 8 characters of its id", () => {
    renderTable([record('11111111-2222-3333-4444-555555555555', 'Acme'), record('abcdefgh-2222-3333-4444-555555555555')]);
    expect(screen.getByRole('checkbox', { name: 'Acme' })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'abcdefgh' })).toBeInTheDocument();
  });

  it("shows antd's click wave on a box a click ticks, once, and none when a click clears it", async () => {
    function Selecting() {
      const [selected, setSelected] = useState<string[]>([]);
      return (
        <RecordTable app="crm" form={customerForm} columns={['name']} records={[record('11111111-2222-3333-4444-555555555555', 'Acme')]} loading={false} sort="" onSort={vi.fn()} selected={selected} onSelect={setSelected} onOpen={vi.fn()} />
      );
    }
    renderWithApp(<Selecting />);
    const box = screen.getByRole('checkbox', { name: 'Acme' });
    const waves = () => box.closest('.ant-wave-target')!.querySelectorAll(':scope > div');
    await userEvent.click(box);
    expect(box).toBeChecked();
    // the wave waits for the next frame, as antd's
    await new Promise(requestAnimationFrame);
    expect(waves()).toHaveLength(1);
    const first = waves()[0];
    await waitFor(() => expect(first.querySelector('.ant-wave')).not.toBeNull());
    // unticking shows none (antd's checkbox waves only when ticked)
    await userEvent.click(box);
    expect(box).not.toBeChecked();
    await new Promise(requestAnimationFrame);
    expect([...waves()].filter((wave) => wave !== first)).toHaveLength(0);
  });
});
