import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureFirstPaint, type CaptureWindow } from './capture';

const win = window as CaptureWindow;
/** What the script left on the window (read afresh: a test deletes it and runs the script again). */
const captured = () => win.__tesseraFirstPaint;

/** A first paint as the server sends it (docs/first-paint.md §2), cut to what the script reads. */
const PAGE = `
<div id="first-paint" data-first-paint="crm/customer">
  <form>
    <div data-testid="field-name"><input id="fp-name" class="ant-input" value="Acme"></div>
    <div data-testid="field-stage">
      <div class="ant-select lazy-control"><input id="fp-stage" role="combobox" value=""></div>
    </div>
    <div data-testid="field-amount">
      <div class="ant-input-number lazy-control"><input id="fp-amount" role="spinbutton" value="1,200.00"></div>
    </div>
    <div data-testid="field-vip"><label><input id="fp-vip" type="checkbox"> VIP</label></div>
    <button type="submit">Save</button>
  </form>
</div>
<div id="root" data-first-paint=""></div>
<input id="outside">`;

const element = <T extends HTMLElement = HTMLInputElement>(id: string) => document.getElementById(id) as T;
const press = (id: string) => {
  const event = new MouseEvent('mousedown', { bubbles: true, cancelable: true });
  element(id).dispatchEvent(event);
  return event;
};

beforeEach(() => {
  document.body.innerHTML = PAGE;
  captureFirstPaint(win);
});

afterEach(() => {
  win.__tesseraFirstPaint?.stop();
  delete win.__tesseraFirstPaint;
  document.body.innerHTML = '';
});

describe('the first paint script', () => {
  it('remembers the focused field and its caret as the person types and moves it', () => {
    const name = element('fp-name');
    name.focus();
    expect(win.__tesseraFirstPaint?.focus).toEqual({ id: 'fp-name', start: 0, end: 0 });
    // typing is the browser's own: the script only follows the caret
    name.value = 'Acme Ltd';
    name.setSelectionRange(8, 8);
    name.dispatchEvent(new Event('input', { bubbles: true }));
    expect(win.__tesseraFirstPaint?.focus).toEqual({ id: 'fp-name', start: 8, end: 8 });
    name.setSelectionRange(1, 4);
    name.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    expect(win.__tesseraFirstPaint?.focus).toEqual({ id: 'fp-name', start: 1, end: 4 });
  });

  it("remembers a press on a select's look-alike, without focusing it or leaving the focus where it was", () => {
    element('fp-name').focus();
    const event = press('fp-stage');
    expect(event.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(document.body);
    expect(win.__tesseraFirstPaint).toMatchObject({ press: 'fp-stage', focus: null });
    // a field focused after it is what counts then
    element('fp-name').focus();
    expect(win.__tesseraFirstPaint).toMatchObject({ press: null, focus: { id: 'fp-name' } });
  });

  it("lets a number's look-alike take the press and the typing, as the text box it is", () => {
    expect(press('fp-amount').defaultPrevented).toBe(false);
    const typing = new InputEvent('beforeinput', { bubbles: true, cancelable: true, data: '5', inputType: 'insertText' });
    element('fp-amount').dispatchEvent(typing);
    expect(typing.defaultPrevented).toBe(false);
    expect(win.__tesseraFirstPaint?.press).toBeNull();
  });

  it("keeps typing out of a select's look-alike, whose typed text the app would not keep", () => {
    const typing = new InputEvent('beforeinput', { bubbles: true, cancelable: true, data: 'W', inputType: 'insertText' });
    element('fp-stage').dispatchEvent(typing);
    expect(typing.defaultPrevented).toBe(true);
  });

  it("leaves a checkbox as drawn and remembers the click for the app's box", () => {
    element('fp-vip').click();
    expect(element('fp-vip').checked).toBe(false);
    expect(win.__tesseraFirstPaint).toMatchObject({ press: 'fp-vip', focus: null });
  });

  it('never lets the browser submit the drawn form (Enter in a field, its Save button)', () => {
    const submit = new Event('submit', { bubbles: true, cancelable: true });
    document.querySelector('form')!.dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true);
  });

  it('leaves everything outside the first paint alone, and everything once stopped', () => {
    element('outside').focus();
    expect(win.__tesseraFirstPaint?.focus).toBeNull();
    win.__tesseraFirstPaint?.stop();
    element('fp-name').focus();
    expect(win.__tesseraFirstPaint?.focus).toBeNull();
    expect(press('fp-stage').defaultPrevented).toBe(false);
  });

  it('runs from its own text, as index.html carries it (no module scope)', () => {
    win.__tesseraFirstPaint?.stop();
    delete win.__tesseraFirstPaint;
    new Function('window', `(${captureFirstPaint.toString()})(window);`)(window);
    element('fp-name').focus();
    expect(captured()?.focus?.id).toBe('fp-name');
  });
});
