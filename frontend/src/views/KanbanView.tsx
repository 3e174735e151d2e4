import { useMemo, useRef, useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import { Badge, Button, Card, Empty, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useRecordCount, useRecordPages } from '../api/queries';
import type { FieldDef, FormDef, RecordData } from '../api/types';
import { recordTitle, titleFieldOf } from '../fields/context';
import { LookupProvider } from '../fields/display/LookupProvider';
import { useDisplay } from '../fields/useDisplay';
import { useI18n } from '../i18n/I18nProvider';
import { clickedInsideControl } from '../lib/rowClick';
import { columnExpression, columnKeyboardCoordinates, kanbanColumns, type KanbanColumn } from './kanbanModel';
import { useCardMove } from './useCardMove';
import './views.css';

const CARD_LINES = 3;

interface KanbanProps {
  app: string;
  form: FormDef;
  /** the select field the columns are the options of */
  group: FieldDef;
  /** fields shown on a card (its title first, then up to three of these) */
  columns: string[];
  /** the list's filter and search, combined (null for none) */
  expression: unknown;
  sort: string;
  /** may cards be dragged (the caller may edit and the group field is not read-only for them) */
  canMove: boolean;
  onOpen: (record: RecordData) => void;
  /** "+" in a lane: a new record with the lane's value (omitted without the create permission) */
  onCreate?: (value: string | null) => void;
}

const filterText = (expression: unknown) => JSON.stringify(expression);

/** What the board's cards show a field's value with: one `useDisplay` for the board (kit.ts). */
type Display = ReturnType<typeof useDisplay>;

function KanbanCard({ form, record, fields, canMove, onOpen, display }: { form: FormDef; record: RecordData; fields: FieldDef[]; canMove: boolean; onOpen: (record: RecordData) => void; display: Display }) {
  const { t, text } = useI18n();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: record._id, data: { record }, disabled: !canMove });
  const style = transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined;
  return (
    <div
      ref={setNodeRef}
      style={style}
      className={`kanban-card${isDragging ? ' kanban-card--dragging' : ''}`}
      data-testid={`kanban-card-${record._id}`}
      {...attributes}
      {...listeners}
      // a plain click (no drag) or Enter opens the record; Space is the keyboard's "pick up"
      onClick={(event) => {
        // a link on the card (a related record) goes where it points, not to this record
        if (!clickedInsideControl(event)) onOpen(record);
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Enter') listeners?.onKeyDown?.(event);
        // Enter on a link inside the card (a related record) is the link's: it follows it
        else if (event.target === event.currentTarget) onOpen(record);
      }}
      // a group, not dnd-kit's "button": the card holds links (a related record), and a button's
      // content is one flat label to a screen reader, its links out of reach (axe nested-interactive)
      role="group"
      aria-label={recordTitle(form, record)}
      aria-roledescription={canMove ? t('views.draggable') : undefined}
    >
      <Typography.Text strong ellipsis className="kanban-card__title">
        {recordTitle(form, record)}
      </Typography.Text>
      {fields.map((field) => {
        const shown = display(field, record[field.key], record._titles);
        return shown === '' || shown == null ? null : (
          <div key={field.key} className="kanban-card__line">
            <Typography.Text type="secondary" className="kanban-card__label">
              {text(field.label)}
            </Typography.Text>
            <span className="kanban-card__value">{shown}</span>
          </div>
        );
      })}
    </div>
  );
}

interface LaneProps {
  app: string;
  form: FormDef;
  column: KanbanColumn;
  filter: string;
  sort: string;
  fields: FieldDef[];
  canMove: boolean;
  onOpen: (record: RecordData) => void;
  onCreate?: (value: string | null) => void;
  display: Display;
}

function KanbanLane({ app, form, column, filter, sort, fields, canMove, onOpen, onCreate, display }: LaneProps) {
  const { t } = useI18n();
  const pages = useRecordPages(app, form.key, filter, sort);
  const count = useRecordCount(app, form.key, filter).data;
  const { setNodeRef, isOver } = useDroppable({ id: column.id, data: { column } });
  const records = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section ref={setNodeRef} className={`kanban-lane${isOver ? ' kanban-lane--over' : ''}`} aria-label={column.label} data-testid={`kanban-lane-${column.id}`}>
      <header className="kanban-lane__head">
        <span className="kanban-lane__dot" style={column.color ? { background: column.color } : undefined} />
        <Typography.Text strong ellipsis>
          {column.label}
        </Typography.Text>
        <Badge count={count ? (count.exact ? count.count : `${count.count}+`) : 0} showZero color="var(--ant-color-fill-secondary, #f0f0f0)" className="kanban-lane__count" data-testid={`kanban-count-${column.id}`} />
        {onCreate && (
          <Button
            type="text"
            size="small"
            icon={<PlusOutlined />}
            className="kanban-lane__add"
            aria-label={t('views.newIn', { column: column.label })}
            title={t('views.newIn', { column: column.label })}
            onClick={() => onCreate(column.value)}
            data-testid={`kanban-new-${column.id}`}
          />
        )}
      </header>
      <div className="kanban-lane__cards">
        {pages.isPending ? (
          <Card loading size="small" variant="borderless" />
        ) : records.length === 0 ? (
          <Typography.Text type="secondary" className="kanban-lane__empty">
            {t('views.noCards')}
          </Typography.Text>
        ) : (
          records.map((record) => <KanbanCard key={record._id} form={form} record={record} fields={fields} canMove={canMove} onOpen={onOpen} display={display} />)
        )}
        {pages.hasNextPage && (
          <Button block type="dashed" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} data-testid={`kanban-more-${column.id}`}>
            {t('views.moreCards')}
          </Button>
        )}
      </div>
    </section>
  );
}

/**
 * Records as cards in one column per option of a select field (and one for "not set").
 * Dragging a card to another column saves the new value with the record's `_version`: the card
 * moves at once and goes back if the server refuses (a conflict refreshes the board).
 */
export function KanbanView({ app, form, group, columns, expression, sort, canMove, onOpen, onCreate }: KanbanProps) {
  const { t, text } = useI18n();
  const [moving, setMoving] = useState(false);
  // the click that ends a pointer drag must not open the record
  const dragging = useRef(false);
  const open = (record: RecordData) => {
    if (!dragging.current) onOpen(record);
  };
  const lanes = useMemo(() => kanbanColumns(group, text, t('views.empty')), [group, text, t]);
  const navigate = useNavigate();
  // relation values as plain links, as the list's table and phone cards draw them (fields/display/kit.ts)
  const display = useDisplay({ compact: true, links: { app, navigate } });
  const titleKey = titleFieldOf(form);
  const fields = columns
    .filter((key) => key !== titleKey && key !== group.key)
    .map((key) => form.fields.find((f) => f.key === key))
    .filter((f): f is FieldDef => Boolean(f))
    .slice(0, CARD_LINES);
  const filters = useMemo(() => new Map(lanes.map((lane) => [lane.id, filterText(columnExpression(expression, group.key, lane))])), [lanes, expression, group.key]);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates, scrollBehavior: 'auto' }),
  );

  const laneLabel = (id: unknown) => lanes.find((lane) => lane.id === id)?.label ?? '';
  const titleOf = (data: unknown) => {
    const record = (data as { record?: RecordData } | undefined)?.record;
    return record ? recordTitle(form, record) : '';
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('views.dragStart', { title: titleOf(active.data.current) }),
    onDragOver: ({ active, over }) => (over ? t('views.dragOver', { title: titleOf(active.data.current), column: laneLabel(over.id) }) : undefined),
    onDragEnd: ({ active, over }) => (over ? t('views.dragEnd', { title: titleOf(active.data.current), column: laneLabel(over.id) }) : undefined),
    onDragCancel: ({ active }) => t('views.dragCancel', { title: titleOf(active.data.current) }),
  };

  const move = useCardMove({ app, form: form.key, group: group.key, lanes, filters, sort, onBusy: setMoving });

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setTimeout(() => {
      dragging.current = false;
    }, 0);
    const record = (active.data.current as { record?: RecordData } | undefined)?.record;
    const to = lanes.find((lane) => lane.id === over?.id);
    if (record && to) void move(record, to);
  };

  if (!group.options?.length) return <Empty description={t('views.noSelectField')} />;
  return (
    <DndContext
      sensors={sensors}
      onDragStart={() => {
        dragging.current = true;
      }}
      onDragCancel={() => {
        dragging.current = false;
      }}
      onDragEnd={onDragEnd} accessibility={{ announcements, screenReaderInstructions: { draggable: t('views.dragHelp') } }}>
      <div className="kanban" data-testid="kanban" aria-busy={moving}>
        {/* member and department names from one lookup for the whole board */}
        <LookupProvider fields={fields}>
          {lanes.map((lane) => (
            <KanbanLane key={lane.id} app={app} form={form} column={lane} filter={filters.get(lane.id)!} sort={sort} fields={fields} canMove={canMove && !moving} onOpen={open} onCreate={onCreate} display={display} />
          ))}
        </LookupProvider>
      </div>
    </DndContext>
  );
}
