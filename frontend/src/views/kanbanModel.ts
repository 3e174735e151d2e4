import type { InfiniteData } from '@tanstack/react-query';
import type { KeyboardCoordinateGetter } from '@dnd-kit/core';
import type { FieldDef, Page, RecordData } from '../api/types';

/** The column of records whose group field is empty. */
export const EMPTY_COLUMN = '__empty__';

export interface KanbanColumn {
  id: string;
  /** the value a card dropped here takes (null: cleared) */
  value: string | null;
  label: string;
  color?: string;
}

/** A column per option, and one for "not set" unless the field is required (nothing is). */
export function kanbanColumns(field: FieldDef, text: (value: Record<string, string>) => string, emptyLabel: string): KanbanColumn[] {
  const options = (field.options ?? []).map((option) => ({ id: option.value, value: option.value, label: text(option.label) || option.value, color: option.color }));
  return field.required ? options : [...options, { id: EMPTY_COLUMN, value: null, label: emptyLabel }];
}

/** One column's records: the list's filter and "group field is this value" (or empty). */
export function columnExpression(base: unknown, group: string, column: KanbanColumn): unknown {
  const own = column.value === null ? { is_empty: [{ var: group }] } : { '==': [{ var: group }, column.value] };
  return base == null ? own : { and: [base, own] };
}

type Pages = InfiniteData<Page<RecordData>, string | null>;

/** The cached pages without one record. */
export function withoutRecord(data: Pages | undefined, id: string): Pages | undefined {
  if (!data) return data;
  return { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((r) => r._id !== id) })) };
}

/** The cached pages with a record first (where a moved card lands until the server answers). */
export function withRecordFirst(data: Pages | undefined, record: RecordData): Pages | undefined {
  if (!data || data.pages.length === 0) return data;
  const [first, ...rest] = data.pages;
  return { ...data, pages: [{ ...first, items: [record, ...first.items.filter((r) => r._id !== record._id)] }, ...rest] };
}

/**
 * The keyboard sensor's moves: Left/Right jump to the middle of the previous/next column (the
 * default moves 25 px a press, which takes many presses across a board).
 */
export const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  if (event.code !== 'ArrowRight' && event.code !== 'ArrowLeft') return undefined;
  event.preventDefault();
  const columns = [...context.droppableRects.entries()].sort(([, a], [, b]) => a.left - b.left);
  if (columns.length === 0) return undefined;
  const x = currentCoordinates.x;
  let index = context.over ? columns.findIndex(([id]) => id === context.over?.id) : -1;
  if (index < 0) index = columns.findIndex(([, rect]) => x >= rect.left && x < rect.left + rect.width);
  const next = Math.max(0, Math.min(columns.length - 1, index + (event.code === 'ArrowRight' ? 1 : -1)));
  const rect = columns[next][1];
  return { x: rect.left + 8, y: rect.top + 48 };
};
