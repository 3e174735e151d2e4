import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import { AntdProvider } from '../app/AntdProvider';
import { I18nProvider } from '../i18n/I18nProvider';
import { useFeedback } from './feedback';

function Notices() {
  const { message, modal } = useFeedback();
  const antd = App.useApp();
  return (
    <>
      <button type="button" onClick={() => message.success('Saved it')}>
        message
      </button>
      <button type="button" onClick={() => antd.message.error('Failed it')}>
        antd message
      </button>
      <button type="button" onClick={() => modal.confirm({ title: 'Really?', okText: 'Yes', onOk: onConfirmed })}>
        confirm
      </button>
      <button
        type="button"
        onClick={() => {
          message.open({ key: 'gone', content: 'Taken back' });
          message.destroy('gone');
          void message.info('Kept');
        }}
      >
        in order
      </button>
    </>
  );
}

const onConfirmed = vi.fn();

function renderNotices() {
  render(
    <I18nProvider locale="en">
      <AntdProvider>
        <Notices />
      </AntdProvider>
    </I18nProvider>,
  );
}

describe('feedback', () => {
  it("shows a message from the first call on, through useFeedback and antd's App.useApp alike", async () => {
    renderNotices();
    await userEvent.click(screen.getByRole('button', { name: 'message' }));
    expect(await screen.findByText('Saved it')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'antd message' }));
    expect(await screen.findByText('Failed it')).toBeInTheDocument();
  });

  it('shows a confirm dialog whose answer reaches the caller', async () => {
    renderNotices();
    await userEvent.click(screen.getByRole('button', { name: 'confirm' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Really?');
    await act(() => userEvent.click(screen.getByRole('button', { name: 'Yes' })));
    expect(onConfirmed).toHaveBeenCalledTimes(1);
  });

  it("plays calls made before antd's code is in, in their order", async () => {
    renderNotices();
    await userEvent.click(screen.getByRole('button', { name: 'in order' }));
    expect(await screen.findByText('Kept')).toBeInTheDocument();
    expect(screen.queryByText('Taken back')).not.toBeInTheDocument();
  });
});
