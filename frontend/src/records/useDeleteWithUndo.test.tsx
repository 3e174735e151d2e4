import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, reply } from '../test/fetchMock';
import { renderWithApp } from '../test/render';
import { useDeleteWithUndo } from './useDeleteWithUndo';

function DeleteButton() {
  const remove = useDeleteWithUndo('crm');
  return (
    <button type="button" onClick={() => void remove('customer', ['r1', 'r2'])}>
      delete
    </button>
  );
}

const refused = reply(403, { title: 'Forbidden', status: 403, code: 'forbidden', detail: '无权删除此记录' });

describe('useDeleteWithUndo', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("says which deletes failed in the language's own words and punctuation", async () => {
    mockFetch({
      'DELETE /api/v1/apps/crm/forms/customer/records/r1': reply(204),
      'DELETE /api/v1/apps/crm/forms/customer/records/r2': refused,
    });
    renderWithApp(<DeleteButton />, { locale: 'zh-CN' });
    await userEvent.click(screen.getByRole('button', { name: 'delete' }));
    // the full-width colon of Chinese, from the message table, not an ASCII one added in code
    expect(await screen.findByText(/^部分记录删除失败：/)).toBeInTheDocument();
  });
});
