import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { RecordData } from '../api/types';
import { customerForm } from '../test/fixtures';
import { renderWithApp } from '../test/render';
import { RecordTable } from './RecordTable';

const record = (id: string, name?: string): RecordData => ({ _id: id, _version: 1, ...(name === undefined ? {} : { name }) });

function renderTable(records: RecordData[]) {
  renderWithApp(
    <RecordTable app="crm" form={customerForm} columns={['name', 'employees']} records={records} loading={false} sort="" onSort={vi.fn()} selected={[]} onSelect={vi.fn()} onOpen={vi.fn()} />,
  );
}

describe('RecordTable', () => {
  it("names a row's checkbox by the record's title, or the first 8 characters of its id", () => {
    renderTable([record('11111111-2222-3333-4444-555555555555', 'Acme'), record('abcdefgh-2222-3333-4444-555555555555')]);
    expect(screen.getByRole('checkbox', { name: 'Acme' })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'abcdefgh' })).toBeInTheDocument();
  });
});
