// The build's trimmed antd.css (scripts/antd-css.mjs) still dresses everything the app renders.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render } from '@testing-library/react';
import { Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Table, Tabs, Tag, Typography } from 'antd';
import { createElement as h } from 'react';
import { transform } from 'lightningcss';
import postcss from 'postcss';
import { antdKeepSet, ownerOf, trimAntdCss } from './antd-css.mjs';

const root = resolve(import.meta.dirname, '..');
const fullCss = readFileSync(`${root}/node_modules/antd/dist/antd.css`, 'utf8');
const keepSet = antdKeepSet(root);
const trimmed = trimAntdCss(fullCss, keepSet).code;

/** Each style rule of a stylesheet as postcss reads it: at-rules around it, selectors, declarations. */
function styleRules(css) {
  const rules = [];
  postcss.parse(css).walkRules((rule) => {
    const context = [];
    for (let parent = rule.parent; parent.type === 'atrule'; parent = parent.parent) context.unshift(`@${parent.name} ${parent.params}`);
    rules.push({ context: context.join(' '), selectors: rule.selectors, body: rule.nodes.map(String).join(';') });
  });
  return rules;
}

/** The classes (outside :not() & co.) some selector of `css` requires. */
function classesWithRules(css) {
  const classes = new Set();
  transform({
    filename: 'x.css',
    code: Buffer.from(css),
    visitor: {
      Rule: {
        style(rule) {
          for (const selector of rule.value.selectors) {
            const names = selector.filter((part) => part.type === 'class').map((part) => part.name);
            // the default-theme rules of antd's own server render (see the last test)
            if (!names.some((name) => name.startsWith('css-var-_R_'))) for (const name of names) classes.add(name);
          }
        },
      },
    },
  });
  return classes;
}

const fullClasses = classesWithRules(fullCss);
const trimmedClasses = classesWithRules(trimmed);

describe('antd.css trimmed to the app', () => {
  it('keeps the components the app imports, and the ones they use inside', () => {
    for (const prefix of ['btn', 'table', 'pagination', 'checkbox', 'radio', 'dropdown', 'spin', 'empty', 'select', 'picker', 'modal', 'message', 'notification', 'form', 'input', 'input-number', 'tabs', 'card', 'tag', 'typography', 'tree-select', 'select-tree', 'cascader', 'image', 'upload', 'layout', 'layout-sider', 'menu', 'avatar']) {
      expect(keepSet.kept, prefix).toContain(prefix);
    }
    // every class of a kept component keeps its rules
    const lost = [...fullClasses].filter((name) => {
      const owner = name.startsWith('ant-') ? ownerOf(name, keepSet.universe) : null;
      return owner !== null && keepSet.kept.has(owner) && !trimmedClasses.has(name);
    });
    expect(lost).toEqual([]);
  });

  it('drops components nothing in the app can render', () => {
    for (const prefix of ['tour', 'transfer', 'mentions', 'color-picker', 'carousel', 'qrcode']) {
      expect(keepSet.kept).not.toContain(prefix);
      expect(fullClasses).toContain(`ant-${prefix}`);
      expect(trimmedClasses).not.toContain(`ant-${prefix}`);
    }
    expect(trimmed.length).toBeLessThan(fullCss.length * 0.9);
  });

  it('keeps every class antd renders for the components, drawn in the page', () => {
    const { baseElement } = render(
      h('div', null, [
        h(Button, { key: 'b', type: 'primary' }, 'OK'),
        h(Input, { key: 'i', allowClear: true }),
        h(InputNumber, { key: 'n' }),
        h(Select, { key: 's', open: true, options: [{ value: 1, label: 'one' }] }),
        h(DatePicker, { key: 'd', open: true }),
        h(Table, { key: 't', rowSelection: {}, columns: [{ title: 'A', dataIndex: 'a', sorter: true }], dataSource: [{ key: 1, a: 'x' }] }),
        h(Tabs, { key: 'tabs', items: [{ key: 'a', label: 'A', children: 'a' }] }),
        h(Card, { key: 'c', title: 'card' }, h(Tag, null, 'tag'), h(Typography.Text, { type: 'secondary' }, 'text')),
        h(Form, { key: 'f', layout: 'vertical' }, h(Form.Item, { label: 'L', required: true }, h(Input))),
        h(Modal, { key: 'm', open: true, title: 'modal' }, 'body'),
      ]),
    );
    const rendered = new Set([...baseElement.querySelectorAll('[class]')].flatMap((element) => [...element.classList]));
    const lost = [...rendered].filter((name) => fullClasses.has(name) && !trimmedClasses.has(name));
    expect(lost).toEqual([]);
    expect([...rendered].filter((name) => name.startsWith('ant-')).length).toBeGreaterThan(100);
  });

  it('keeps the classes src/ writes itself (markup drawn with antd classes)', () => {
    for (const name of ['ant-table-cell', 'ant-form-item-label', 'ant-card-body', 'ant-typography-ellipsis', 'ant-upload-drag-icon', 'ant-row']) {
      expect(trimmedClasses, name).toContain(name);
    }
    expect(keepSet.reasons.get('upload')).toMatch(/^src\//);
  });

  it('changes nothing else: the rules left are the same, in the same order', () => {
    const before = styleRules(fullCss);
    const after = styleRules(trimmed);
    let index = 0;
    for (const rule of after) {
      const same = (other) => other.context === rule.context && other.body === rule.body && rule.selectors.every((selector) => other.selectors.includes(selector));
      while (index < before.length && !same(before[index])) index += 1;
      expect(index, `${rule.selectors[0]}: out of order or changed`).toBeLessThan(before.length);
      index += 1;
    }
    expect(after.length).toBeGreaterThan(before.length * 0.8);
  });

  it('drops antd default-theme classes of its own server render only: the app renders on the client', () => {
    expect(fullCss).toContain('.css-var-_R_0_');
    expect(trimmed).not.toContain('.css-var-_R_');
    const main = readFileSync(`${root}/src/main.tsx`, 'utf8');
    expect(main).toContain('createRoot(');
    expect(main).not.toContain('hydrateRoot');
  });

  it('attributes a class to the longest prefix', () => {
    const universe = ['input', 'input-number', 'picker', 'tree', 'tree-select', 'col'];
    expect(ownerOf('ant-input-number-handler', universe)).toBe('input-number');
    expect(ownerOf('ant-input-affix-wrapper', universe)).toBe('input');
    expect(ownerOf('ant-tree-select-dropdown', universe)).toBe('tree-select');
    expect(ownerOf('ant-color-picker', universe)).toBe(null);
    expect(ownerOf('ant-zoom-big', universe)).toBe(null);
  });

  it('keeps what may still match: classes under :not(), globals, motion, empty groups dropped', () => {
    const css = [
      '.ant-tour{color:red}',
      '.ant-btn:not(.ant-tour){color:blue}',
      '.ant-btn,.ant-tour-x{color:green}',
      '@media (min-width:1px){.ant-tour{color:red}}',
      '.anticon{display:inline-flex}',
      '.ant-zoom-big-enter{opacity:0}',
      '.css-var-_R_0_{--ant-color-primary:#1677ff}',
      '@keyframes antZoomIn{0%{opacity:0}to{opacity:1}}',
    ].join('\n');
    const { code } = trimAntdCss(css, { universe: new Set(['btn', 'tour']), kept: new Set(['btn']) });
    expect(code).toBe(
      ['.ant-btn:not(.ant-tour){color:blue}', '.ant-btn{color:green}', '.anticon{display:inline-flex}', '.ant-zoom-big-enter{opacity:0}', '@keyframes antZoomIn{0%{opacity:0}to{opacity:1}}'].join('\n'),
    );
  });
});
