/**
 * `page.form`: the form page's markup (page.tsx) folded into one Jinja2 template over `page`
 * (docs/first-paint.md §1). New and edit differ by the header's subtitle (`{% if page.subtitle %}`);
 * desktop and phone by the layout, which the server cannot choose (it does not know the width):
 * where the two differ by whole elements (the side bar, the phone bar, the top bar's compact
 * parts, the save shortcut's hint) both are drawn, each in a wrapper page.css shows at its
 * width only. Where they differ inside a tag (the layout's `has-sider` class) the desktop's is
 * kept and page.css lays it out for a phone (`KEPT_DESKTOP`, which the page test checks).
 */
import type { Translate } from '../../i18n/I18nProvider';
import { closes, common, elementWith, mergeVariants, opens, replaceSentinels, tokens } from './jinja';
import { P } from './page';

export const FIELDS = 'ZZfpFIELDSzz';
const NAV = 'ZZfpNAVzz';

/**
 * The nav's two forms (the open one, selected, and the other) as one loop over `page.nav`. The
 * page is drawn for a caller who manages the open form: FormNav's public links entry follows
 * it, which the loop draws after an item under `{% if item.links %}` (the server's rule is
 * FormNav's: the open form, `manage` among the caller's actions).
 */
function navLoop(markup: string): { markup: string; loop: string } {
  const first = elementWith(markup, `data-testid="nav-form-${P.form}"`);
  const links = elementWith(markup, `data-testid="nav-links-${P.form}"`);
  const second = elementWith(markup, `data-testid="nav-form-${P.other}"`);
  const at = markup.indexOf(first);
  if (markup.slice(at, at + first.length + links.length + second.length) !== first + links + second) {
    throw new Error('first paint: the nav items and the open form\'s links entry are not side by side');
  }
  const item = (li: string, key: string, name: string) => replaceSentinels(li, { [key]: '{{ item.key }}', [name]: '{{ item.label }}' });
  const entry = mergeVariants('item.selected', item(first, P.form, P.formName), item(second, P.other, P.otherName));
  const body = mergeVariants('item.links', entry + item(links, P.form, P.formName), entry);
  return { markup: markup.slice(0, at) + NAV + markup.slice(at + first.length + links.length + second.length), loop: `{% for item in page.nav %}${body}{% endfor %}` };
}

/**
 * RecordForm's submit button (`form-save`) reading `page.submit_label` where it reads `label`
 * (the page's and the public page's: Save, Submit). antd spaces a button's two Chinese
 * characters (保 存): the label is spaced the same way.
 */
export function withSubmitLabel(markup: string, label: string): string {
  const save = elementWith(markup, 'data-testid="form-save"');
  const spaced = [...label].join(' ');
  const drawn = save.includes(`<span>${label}</span>`) ? label : spaced;
  const expression = drawn === label ? '{{ page.submit_label }}' : "{{ page.submit_label|join(' ') if page.submit_label|length == 2 else page.submit_label }}";
  if (!save.includes(`<span>${drawn}</span>`)) throw new Error('first paint: the save button does not read its label');
  return markup.replace(save, save.replace(`<span>${drawn}</span>`, `<span>${expression}</span>`));
}

/** The markup of one page with its sentinels as the template's expressions (the nav's loop still a marker). */
export function pageSentinels(markup: string, t: Translate): { markup: string; loop: string | null } {
  let out = markup.replace(elementWith(markup, `data-testid="field-${P.cell}"`), FIELDS);
  let loop: string | null = null;
  if (out.includes(`nav-form-${P.form}`)) ({ markup: out, loop } = navLoop(out));
  out = withSubmitLabel(out, t('action.save'));
  out = out.replace(/(class="ant-avatar-string"[^>]*>)Z</, '$1{{ page.user_initial }}<');
  out = replaceSentinels(out, {
    [t('form.newTitle', { form: P.formName })]: '{{ page.title }}',
    [t('form.editTitle', { form: P.formName })]: '{{ page.subtitle }}',
    [P.title]: '{{ page.title }}',
    [P.formName]: '{{ page.form_name }}',
    [P.appName]: '{{ page.app_name }}',
    [P.user]: '{{ page.user_name }}',
  });
  const rest = out.split(FIELDS).join('').split(NAV).join('');
  for (const left of ['ZZfp', 'fp-record']) if (rest.includes(left)) throw new Error(`first paint: a sentinel left in the page: ${rest.slice(rest.indexOf(left) - 80, rest.indexOf(left) + 40)}`);
  return { markup: out, loop };
}

/** An element with what it holds, or a piece of text. */
type Node = string | { open: string; children: Node[]; close: string };

function parse(markup: string): Node[] {
  const stack: { open: string; children: Node[] }[] = [{ open: '', children: [] }];
  for (const token of tokens(markup)) {
    if (opens(token)) stack.push({ open: token, children: [] });
    else if (closes(token)) {
      const done = stack.pop()!;
      stack[stack.length - 1].children.push({ ...done, close: token });
    } else stack[stack.length - 1].children.push(token);
  }
  if (stack.length !== 1) throw new Error('first paint: the page markup is not balanced');
  return stack[0].children;
}

const html = (node: Node): string => (typeof node === 'string' ? node : node.open + node.children.map(html).join('') + node.close);

/** What pairs an element of one layout with one of the other: its tag and first class. */
const keyOf = (node: Node) => (typeof node === 'string' ? node : (/^<[\w-]+/.exec(node.open)![0] + ' ' + (/class="([^" ]*)/.exec(node.open)?.[1] ?? '')));

/** Start tags that differ between desktop and phone, each drawn as the desktop's (page.css lays them out for a phone), of the last bothWidths. */
export const KEPT_DESKTOP: string[] = [];

function mergeNodes(desktop: Node[], phone: Node[]): string {
  const pairs = common(desktop.map(keyOf), phone.map(keyOf));
  let out = '';
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [desktop.length, phone.length] as [number, number]]) {
    const onlyDesktop = desktop.slice(i, pi).map(html).join('');
    const onlyPhone = phone.slice(j, pj).map(html).join('');
    if (onlyDesktop) out += `<div class="fp-desktop">${onlyDesktop}</div>`;
    if (onlyPhone) out += `<div class="fp-phone">${onlyPhone}</div>`;
    if (pi < desktop.length) {
      const a = desktop[pi];
      const b = phone[pj];
      if (typeof a === 'string' || typeof b === 'string' || html(a) === html(b)) out += html(a);
      else {
        if (a.open !== b.open) KEPT_DESKTOP.push(`${a.open} (phone: ${b.open})`);
        out += a.open + mergeNodes(a.children, b.children) + a.close;
      }
    }
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}

/**
 * One markup for both widths: the elements only one layout has each in its wrapper
 * (`fp-desktop`, `fp-phone`: page.css shows one), the ones both have once, with the desktop's
 * start tag where theirs differ (KEPT_DESKTOP).
 */
export function bothWidths(desktop: string, phone: string): string {
  KEPT_DESKTOP.length = 0;
  return mergeNodes(parse(desktop), parse(phone));
}

/** The nav loop in its place, once the layouts are folded. */
export function withNav(markup: string, loop: string | null): string {
  return loop === null ? markup : markup.replace(NAV, loop);
}

/** `page.fields` in its place: the field cells, already escaped by their own templates. */
export const withFields = (markup: string) => markup.replace(FIELDS, '{{ page.fields }}');
