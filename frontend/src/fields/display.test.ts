import { describe, expect, it } from 'vitest';
import './display';
import { fieldType, fieldTypes, registerFieldEditor } from './registry';

/** The display half's sources: what they import decides what a list or record page loads. */
const sources = import.meta.glob('./display/*.tsx', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** antd's form controls and form: the code a page that only shows values must not pull in. */
const CONTROLS = ['AutoComplete', 'Cascader', 'Checkbox', 'DatePicker', 'Form', 'Input', 'InputNumber', 'Radio', 'Rate', 'Select', 'Slider', 'Switch', 'TimePicker', 'Transfer', 'TreeSelect', 'Upload'];

describe('the field types’ display half', () => {
  it('registers every type with a display and no editor', () => {
    expect(fieldTypes().length).toBeGreaterThan(25);
    for (const type of fieldTypes()) {
      const ui = fieldType(type);
      expect(typeof ui.display, type).toBe('function');
      expect(ui.Input ?? ui.FormItem, type).toBeUndefined();
    }
  });

  it('imports no antd form control', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    for (const [file, source] of Object.entries(sources)) {
      const named = [...source.matchAll(/import\s*{([^}]*)}\s*from\s*'antd'/g)].flatMap((m) => m[1].split(',').map((part) => part.trim()));
      // ratings still show antd's read-only Rate (a few KB, no picker or form code)
      const controls = named.filter((name) => CONTROLS.includes(name) && !(file.endsWith('number.tsx') && name === 'Rate'));
      expect(controls, file).toEqual([]);
      expect(source, file).not.toMatch(/from '\.\.\/(lazy|types\/)|antd\/es\/(form|date-picker|select|tree-select|cascader)/);
    }
  });

  it('gets the editors added on top by fields/index.ts, the display half kept', async () => {
    const display = fieldType('date').display;
    await import('./index');
    expect(fieldType('date').Input).toBeDefined();
    expect(fieldType('date').display).toBe(display);
    expect(fieldType('subform').FormItem).toBeDefined();
    expect(fieldType('formula').Input).toBeUndefined();
    expect(() => registerFieldEditor('date', {})).toThrow(/already registered/);
    expect(() => registerFieldEditor('no-such-type', {})).toThrow(/unknown field type/);
  });
});
