/** How options look: a coloured tag per chosen option; a checkbox as yes or no. */
import type { CSSProperties } from 'react';
import { FastColor } from '@ant-design/fast-color';
import { Space, Tag } from 'antd';
import { isPresetColor, isPresetStatusColor } from 'antd/es/_util/colors';
import type { FieldDef } from '../../api/types';
import { readableOn } from '../../lib/contrast';
import { registerFieldType, type DisplayContext } from '../registry';
import { kitOf } from './kit';

const TAG_STYLE: CSSProperties = { marginInlineEnd: 0 };

/**
 * antd Tag's light background for a colour of the app's own (hex): its hue at 95 % lightness;
 * the text in the colour darkened until it reads on that (WCAG AA 4.5:1, see lib/contrast).
 */
const customStyles = new Map<string, CSSProperties>();
function customStyle(color: string): CSSProperties {
  let style = customStyles.get(color);
  if (!style) {
    const hsl = new FastColor(color).toHsl();
    hsl.l = 0.95;
    const backgroundColor = new FastColor(hsl).toHexString();
    style = { backgroundColor, color: readableOn(color, backgroundColor), ...TAG_STYLE };
    customStyles.set(color, style);
  }
  return style;
}

/**
 * An option as antd's Tag draws it (filled, the default): the same element, classes and inline
 * colours, without a Tag component per cell (its colour, semantic-style and closable hooks), when
 * the caller's useDisplay gave the theme's classes. An inverted colour keeps the component. A
 * function, not a component: it has no state of its own.
 */
function optionTag(field: FieldDef, value: string, ctx: DisplayContext) {
  const option = field.options?.find((o) => o.value === value);
  const label = option ? ctx.text(option.label) : value;
  const color = option?.color;
  const kit = kitOf(ctx);
  const preset = color !== undefined && (isPresetColor(color) || isPresetStatusColor(color));
  if (!kit || color?.endsWith('-inverse')) {
    return (
      <Tag key={value} color={color} style={color && !preset && !color.endsWith('-inverse') ? customStyle(color) : TAG_STYLE}>
        {label}
      </Tag>
    );
  }
  const { tagPrefix: prefix } = kit;
  return (
    <span
      key={value}
      className={`${prefix} ${prefix}-filled${preset ? ` ${prefix}-${color}` : ''} ${kit.tagTheme}`}
      style={color && !preset ? customStyle(color) : TAG_STYLE}
    >
      {label}
    </span>
  );
}

registerFieldType({
  type: 'select',
  sortable: true,
  valueKind: 'option',
  columnWidth: 130,
  display: (value, field, ctx) =>
    typeof value === 'string' && value !== '' ? optionTag(field, value, ctx) : '',
});

registerFieldType({
  type: 'multiselect',
  sortable: false,
  valueKind: 'option',
  columnWidth: 200,
  display: (value, field, ctx) =>
    Array.isArray(value) && value.length > 0 ? (
      <Space size={4} wrap>
        {value.map((item) => optionTag(field, String(item), ctx))}
      </Space>
    ) : (
      ''
    ),
});

registerFieldType({
  type: 'checkbox',
  sortable: true,
  valueKind: 'bool',
  columnWidth: 100,
  toApi: (value) => Boolean(value),
  display: (value, _field, { t }) => (value === true ? t('form.yes') : value === false ? t('form.no') : ''),
});
