import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { fieldType } from '../registry';
import { l, renderFields } from './fieldTestKit';
import { plainText, safeHtml } from '../display/richtext';

const NOTES = { key: 'notes', type: 'richtext', label: l('Notes', '纪要') };

// Tiptap is big: load (and transform) it once up front, so a busy machine doesn't spend a test's time on it
beforeAll(() => import('./RichTextEditor'), 120_000);

beforeAll(() => {
  // ProseMirror measures the selection to scroll it into view; jsdom has no layout
  const rect = { x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0, toJSON: () => ({}) };
  Range.prototype.getBoundingClientRect = () => rect as DOMRect;
  Range.prototype.getClientRects = () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
  document.elementFromPoint = () => null;
});

describe('rich text field', () => {
  it('loads the editor lazily with its toolbar, and sends HTML the user typed and formatted', async () => {
    const { onSubmit } = renderFields([NOTES]);
    const editor = await screen.findByTestId('richtext-notes', {}, { timeout: 5000 });
    expect(editor).toHaveAttribute('role', 'textbox');
    expect(screen.getByRole('toolbar', { name: 'Formatting' })).toBeInTheDocument();
    for (const name of ['Bold (Ctrl+B)', 'Italic (Ctrl+I)', 'Heading 2', 'Bulleted list (Ctrl+Shift+8)', 'Numbered list (Ctrl+Shift+7)', 'Link (Ctrl+K)']) {
      expect(screen.getByRole('button', { name })).toBeInTheDocument();
    }
    await userEvent.click(editor);
    // jsdom's contenteditable loses the caret between keystrokes: paste the words in one go
    await userEvent.paste('Call back');
    await userEvent.keyboard('{Control>}a{/Control}');
    await userEvent.click(screen.getByRole('button', { name: 'Bold (Ctrl+B)' }));
    expect(screen.getByRole('button', { name: 'Bold (Ctrl+B)' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0][0]).toEqual({ notes: '<p><strong>Call back</strong></p>' });
  });

  it('shows stored HTML in the editor, and an emptied editor sends nothing', async () => {
    const { onSubmit } = renderFields([NOTES], { record: { _id: 'r1', _version: 1, notes: '<h2>Plan</h2><ul><li><p>Visit</p></li></ul>' } });
    const editor = await screen.findByTestId('richtext-notes', {}, { timeout: 5000 });
    expect(editor.querySelector('h2')).toHaveTextContent('Plan');
    expect(editor.querySelector('ul li')).toHaveTextContent('Visit');
    expect(screen.getByRole('button', { name: 'Heading 2' })).toBeInTheDocument();
    await userEvent.click(editor);
    await userEvent.keyboard('{Control>}a{/Control}{Backspace}');
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0][0]).toEqual({ notes: null });
  });

  it('opens the link box with Ctrl+K and links the selected words', async () => {
    const { onSubmit } = renderFields([NOTES]);
    const editor = await screen.findByTestId('richtext-notes', {}, { timeout: 5000 });
    await userEvent.click(editor);
    await userEvent.paste('Docs');
    await userEvent.keyboard('{Control>}a{/Control}{Control>}k{/Control}');
    const url = await screen.findByRole('textbox', { name: 'Link (Ctrl+K)' });
    await userEvent.type(url, 'example.com/docs{Enter}');
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0][0].notes).toMatch(/^<p><a [^>]*href="https:\/\/example.com\/docs"[^>]*>Docs<\/a><\/p>$/);
  });

  it('shows stored HTML sanitised, with links opening in a new tab', () => {
    const dirty = '<p onclick="steal()">Hi <b>there</b><script>alert(1)</script><img src=x onerror="alert(2)"> <a href="javascript:alert(3)">bad</a> <a href="https://example.com">ok</a></p>';
    const clean = safeHtml(dirty);
    expect(clean).not.toMatch(/script|onerror|onclick|javascript:/);
    expect(clean).toContain('<b>there</b>');
    expect(clean).toContain('href="https://example.com" target="_blank" rel="noopener noreferrer"');
    render(<>{fieldType('richtext').display(dirty, NOTES, {} as never)}</>);
    expect(screen.getByText('there').tagName).toBe('B');
    expect(screen.getByRole('link', { name: 'ok' })).toHaveAttribute('target', '_blank');
  });

  it('is one line of plain text in a list cell', () => {
    expect(plainText('<h2>Plan</h2><ul><li>Visit <b>Acme</b></li></ul>')).toBe('PlanVisit Acme');
    expect(fieldType('richtext').display('<p>a</p><p>b</p>', NOTES, { compact: true } as never)).toBe('ab');
  });
});
