import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../i18n/I18nProvider';
import { fieldType } from '../registry';
import { l, renderFields, saveAndRead } from './fieldTestKit';

/** jsdom has no canvas: a stand-in pad that records strokes and fires the library's events. */
const pads = vi.hoisted(() => [] as { strokes: unknown[]; listeners: Record<string, () => void>; draw: () => void }[]);
vi.mock('signature_pad', () => ({
  default: class FakePad {
    strokes: unknown[] = [];
    listeners: Record<string, () => void> = {};
    constructor() {
      pads.push(this);
    }
    addEventListener(type: string, listener: () => void) {
      this.listeners[type] = listener;
    }
    draw() {
      this.strokes.push({ points: [{ x: 1, y: 1 }] });
      this.listeners.endStroke?.();
    }
    toData() {
      return [...this.strokes];
    }
    fromData(strokes: unknown[]) {
      this.strokes = [...strokes];
    }
    clear() {
      this.strokes = [];
    }
    isEmpty() {
      return this.strokes.length === 0;
    }
    on() {}
    off() {}
  },
}));

const SIGNATURE = { key: 'sign', type: 'signature', label: l('Signature', '签名') };
const pad = () => pads[pads.length - 1];

beforeEach(() => {
  pads.length = 0;
  HTMLCanvasElement.prototype.getContext = vi.fn(() => null);
  HTMLCanvasElement.prototype.toBlob = function toBlob(callback: BlobCallback) {
    callback(new Blob(['png'], { type: 'image/png' }));
  };
});

describe('signature field', () => {
  it('uploads the drawn signature as a PNG and keeps the file id', async () => {
    const { onSubmit, calls } = renderFields([SIGNATURE], {
      routes: { 'POST /api/v1/files': { id: 'f-sign', name: 'sign.png', content_type: 'image/png' } },
    });
    await waitFor(() => expect(pads).toHaveLength(1));
    const done = screen.getByTestId('signature-done-sign');
    expect(done).toBeDisabled();
    act(() => pad().draw());
    act(() => pad().draw());
    await userEvent.click(screen.getByRole('button', { name: /Undo/ }));
    expect(pad().strokes).toHaveLength(1);
    await userEvent.click(done);
    const image = await screen.findByTestId('signature-image-sign');
    expect(image).toHaveAttribute('src', '/api/v1/files/f-sign');
    const upload = calls.find((c) => c.method === 'POST' && c.url === '/api/v1/files');
    expect(upload).toBeDefined();
    expect(await saveAndRead(onSubmit)).toEqual({ sign: 'f-sign' });
  });

  it('will not save a drawing that was never confirmed', async () => {
    const { onSubmit } = renderFields([SIGNATURE]);
    await waitFor(() => expect(pads).toHaveLength(1));
    act(() => pad().draw());
    await userEvent.click(screen.getByTestId('form-save'));
    expect(await screen.findByText(/Press “Use this signature” to keep it/)).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
    // clearing the pad makes the field empty again, and an optional field saves
    await userEvent.click(screen.getByRole('button', { name: /Clear/ }));
    expect(await saveAndRead(onSubmit)).toEqual({});
  });

  it('shows a stored signature and lets the user sign again', async () => {
    const { onSubmit } = renderFields([SIGNATURE], { record: { _id: 'r1', _version: 1, sign: 'f-old' } });
    expect(screen.getByTestId('signature-image-sign')).toHaveAttribute('src', '/api/v1/files/f-old');
    await userEvent.click(screen.getByRole('button', { name: /Sign again/ }));
    await waitFor(() => expect(pads).toHaveLength(1));
    expect(screen.getByTestId('signature-pad-sign')).toBeInTheDocument();
    expect(await saveAndRead(onSubmit)).toEqual({ sign: null });
  });

  it('displays the image', () => {
    render(<I18nProvider locale="en">{fieldType('signature').display('f-1', SIGNATURE, {} as never)}</I18nProvider>);
    expect(screen.getByRole('img', { name: 'Signature' })).toHaveAttribute('src', '/api/v1/files/f-1');
  });
});
