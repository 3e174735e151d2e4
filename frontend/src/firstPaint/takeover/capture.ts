/**
 * The server-drawn first paint's own script (ADR 0009, docs/first-paint.md §3): what a person
 * does to the page before the React app has taken it over.
 *
 * The first paint is plain HTML: its text inputs and text areas (and a number's look-alike,
 * whose input is a text input) take typing by themselves, and the take-over
 * (takeOver.ts) reads what they hold. What the HTML cannot do is remembered here for the app to
 * do once it is there: which element had the focus and where its caret was, and the last press
 * on a control the first paint only draws (a select's or a picker's look-alike, a checkbox),
 * which the take-over presses again (opens that control). The look-alikes of a select or a
 * picker take no typing (what would be typed there is not kept), and the form is never
 * submitted by the browser (Enter in a field): the app saves.
 *
 * `captureFirstPaint` runs inline in index.html (vite.config.ts serialises it there, as
 * app/boot.ts's startBoot), in the head, before the page's body is parsed: it listens on the
 * document and acts only on events inside `#first-paint`, which a page without one never has.
 * Being turned into text, it may use nothing from outside its own body.
 */

/** Where the focus was in the first paint: the element's id (`fp-…`) and its selection. */
export interface CapturedFocus {
  id: string;
  start: number | null;
  end: number | null;
}

/** What the inline script leaves on `window.__tesseraFirstPaint`. */
export interface FirstPaintCapture {
  /** the element that had the focus last, while nothing was pressed after it */
  focus: CapturedFocus | null;
  /** the id of the control pressed last (a select's or picker's look-alike input, a checkbox), while nothing took the focus after it */
  press: string | null;
  /** stops listening (the take-over calls it once the first paint is gone) */
  stop: () => void;
}

export type CaptureWindow = Window & { __tesseraFirstPaint?: FirstPaintCapture };

/** Runs in the page as an inline script (see the module's comment). */
export function captureFirstPaint(win: CaptureWindow): void {
  const doc = win.document;
  const state: FirstPaintCapture = { focus: null, press: null, stop };
  win.__tesseraFirstPaint = state;

  /** The event's target, when it is inside the first paint. */
  const inPaint = (event: Event): Element | null => {
    const target = event.target;
    return target instanceof Element && target.closest('#first-paint') ? target : null;
  };
  /** The look-alike around `node` that takes no typing: a select's or a picker's (not a number's, whose input is a text box). */
  const drawnOnly = (node: Element): Element | null => {
    const control = node.closest('.lazy-control');
    return control && !control.querySelector('input[role="spinbutton"]') ? control : null;
  };
  const caret = (node: Element): { start: number | null; end: number | null } => {
    try {
      const field = node as HTMLInputElement;
      return { start: field.selectionStart ?? null, end: field.selectionEnd ?? null };
    } catch {
      return { start: null, end: null };
    }
  };

  const onFocus = (event: Event) => {
    const target = inPaint(event);
    if (!target || !target.id) return;
    state.focus = { id: target.id, ...caret(target) };
    state.press = null;
  };
  // the caret moves as the person types, clicks or selects inside the focused field
  const onCaret = (event: Event) => {
    const target = inPaint(event);
    if (target && state.focus && state.focus.id === target.id) state.focus = { id: target.id, ...caret(target) };
  };
  const onPress = (event: Event) => {
    const target = inPaint(event);
    const control = target && drawnOnly(target);
    if (!control) return;
    // as the app's look-alike does (fields/lookalike.tsx activators): no focus on the drawn
    // control, and none left on the field before it, where keys typed meanwhile would land
    event.preventDefault();
    const before = doc.activeElement;
    if (before instanceof HTMLElement && before !== doc.body) before.blur();
    state.press = control.querySelector('input[id]')?.id ?? null;
    state.focus = null;
  };
  // a checkbox the first paint draws would toggle without its look (antd's classes) following,
  // and the app would not know: the app's box is clicked instead, once it is there
  const onClick = (event: Event) => {
    const target = inPaint(event);
    if (!(target instanceof HTMLInputElement) || (target.type !== 'checkbox' && target.type !== 'radio')) return;
    event.preventDefault();
    state.press = target.id || null;
    state.focus = null;
  };
  const onBeforeInput = (event: Event) => {
    const target = inPaint(event);
    if (target && drawnOnly(target)) event.preventDefault();
  };
  const onSubmit = (event: Event) => {
    if (inPaint(event)) event.preventDefault();
  };

  const listeners: [string, (event: Event) => void][] = [
    ['focusin', onFocus],
    ['input', onCaret],
    ['keyup', onCaret],
    ['mouseup', onCaret],
    ['select', onCaret],
    ['mousedown', onPress],
    ['click', onClick],
    ['beforeinput', onBeforeInput],
    ['submit', onSubmit],
  ];
  for (const [type, listener] of listeners) doc.addEventListener(type, listener, true);
  function stop() {
    for (const [type, listener] of listeners) doc.removeEventListener(type, listener, true);
  }
}
