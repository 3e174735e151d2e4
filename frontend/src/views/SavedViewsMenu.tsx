import { lazy, Suspense, useId, useState } from 'react';
import { DownOutlined, SaveOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Dropdown, Select, Space, Tag, Tooltip } from 'antd';
import useSelectStyle from 'antd/es/select/style';
import { selectLookalike, type Activation } from '../fields/lookalike';
import { useI18n } from '../i18n/I18nProvider';
import { classNames, useAntdClasses } from '../lib/antdClasses';
import { errorMessage } from '../lib/errorMessage';
import { showUndo } from '../lib/undoMessage';
import { useViews, viewsApi, viewsKey, type ViewItem, type ViewSettings } from './api';
import { useFeedback } from '../lib/feedback';

// the name dialog (Modal, Form, Input, Checkbox) loads when it is first opened, not with the list
const SaveViewDialog = lazy(() => import('./SaveViewDialog').then((module) => ({ default: module.SaveViewDialog })));

interface Props {
  app: string;
  form: string;
  /** the id of the view the list was opened from ('' for none) */
  current: string;
  /** the list's settings now, as a view would save them */
  settings: ViewSettings;
  /** opens a view (null: the plain list) */
  onPick: (view: ViewItem | null) => void;
  /** tells the list which view it now shows without changing its settings */
  onSaved: (view: ViewItem) => void;
}

/** Do the list's settings still say what the view says? (columns only when the view has some) */
export function sameSettings(view: ViewSettings, list: ViewSettings): boolean {
  const norm = (v: ViewSettings, columns: boolean) =>
    JSON.stringify([v.type ?? 'table', v.filter ?? null, v.sort || '', v.group_by || '', v.date_field || '', columns ? (v.columns ?? []) : []]);
  const columns = Boolean(view.columns?.length);
  return norm(view, columns) === norm(list, columns);
}

/** The settings of a view as they are saved (no empty ones). */
function settingsOf(view: ViewSettings): ViewSettings {
  const { type, columns, filter, sort, group_by, date_field, end_field } = view;
  return { type, columns, filter, sort, group_by, date_field, end_field };
}

/**
 * The view picker before anyone uses it: antd Select's closed markup and classes (the first item
 * of the Space.Compact, drawn by fields/lookalike as the record form's look-alikes are), with the
 * Select's style hook for its CSS variables, but none of its ~10 components (selector, trigger,
 * resize observer, motion…) on the list's first render. A press opens the real Select in its
 * place, open; reaching it by keyboard gives the real one the focus.
 */
function SleepingSelect({ label, ariaLabel, onWake }: { label: string; ariaLabel: string; onWake: (how: Activation) => void }) {
  const { prefix, hashId, cssVarCls, rootCls } = useAntdClasses('select', useSelectStyle, true);
  const id = useId();
  return selectLookalike({
    look: classNames(prefix, `${prefix}-outlined`, cssVarCls, rootCls, hashId),
    extra: `${prefix}-compact-item ${prefix}-compact-first-item views-select`,
    multiple: false,
    fill: false,
    testId: 'view-select',
    id,
    disabled: false,
    error: false,
    shown: [label],
    aria: { 'aria-label': ariaLabel },
    onActivate: onWake,
  });
}

/**
 * The list's views: the app's own, the member's saved ones and those shared with everyone, to
 * pick from; "Save view" (the open saved view), "Save as new view" and "Delete view" (with undo).
 */
export function SavedViewsMenu({ app, form, current, settings, onPick, onSaved }: Props) {
  const { t, text } = useI18n();
  const { message } = useFeedback();
  const queryClient = useQueryClient();
  const views = useViews(app, form);
  /** the name dialog: saving as a new view, or renaming (and sharing) the open one */
  const [naming, setNaming] = useState<'new' | 'rename' | null>(null);
  const [busy, setBusy] = useState(false);
  // the real Select from the first use on (or at once while the views load: it shows a spinner)
  const [awake, setAwake] = useState<Activation | null>(() => (views.isPending ? { autoFocus: false, defaultOpen: false } : null));
  const items = views.data?.items ?? [];
  const selected = items.find((view) => view.id === current);
  const refresh = () => queryClient.invalidateQueries({ queryKey: viewsKey(app, form) });
  const nameOf = (view: ViewItem) => text(view.name);

  const group = (label: string, list: ViewItem[]) =>
    list.length ? [{ label, options: list.map((view) => ({ value: view.id, label: nameOf(view) })) }] : [];
  const options = [
    { value: '', label: t('views.all') },
    ...group(t('views.appViews'), items.filter((v) => v.source === 'definition')),
    ...group(t('views.myViews'), items.filter((v) => v.source === 'saved' && v.mine)),
    ...group(t('views.sharedViews'), items.filter((v) => v.source === 'saved' && !v.mine)),
  ];

  const save = async () => {
    if (!selected) return;
    setBusy(true);
    try {
      const saved = await viewsApi.update(app, form, selected.id, { ...settingsOf(settings) });
      await refresh();
      onSaved(saved);
      message.success(t('views.saved', { name: nameOf(saved) }));
    } catch (error) {
      message.error(errorMessage(error, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!selected) return;
    const gone = selected;
    try {
      await viewsApi.remove(app, form, gone.id);
    } catch (error) {
      message.error(errorMessage(error, t));
      return;
    }
    await refresh();
    onPick(null);
    showUndo(message, {
      key: `view-deleted-${gone.id}`,
      text: t('views.deleted', { name: nameOf(gone) }),
      undoLabel: t('action.undo'),
      testId: 'undo-view-delete',
      onUndo: async () => {
        try {
          const back = await viewsApi.create(app, form, { ...settingsOf(gone), name: nameOf(gone), shared: gone.shared });
          await refresh();
          onPick(back);
          message.success(t('views.restored', { name: nameOf(back) }));
        } catch (error) {
          message.error(errorMessage(error, t));
        }
      },
    });
  };

  const canSave = Boolean(selected?.editable);
  const modified = selected !== undefined && !sameSettings(selected, settings);
  return (
    <Space.Compact>
      {awake ? (
        <Select
          value={selected ? current : ''}
          onChange={(id: string) => onPick(items.find((view) => view.id === id) ?? null)}
          options={options}
          loading={views.isPending}
          aria-label={t('views.current')}
          popupMatchSelectWidth={false}
          className="views-select"
          data-testid="view-select"
          defaultOpen={awake.defaultOpen}
          autoFocus={awake.autoFocus}
        />
      ) : (
        <SleepingSelect label={selected ? nameOf(selected) : t('views.all')} ariaLabel={t('views.current')} onWake={setAwake} />
      )}
      {modified && (
        <Tooltip title={selected?.readonly ? t('views.readonlyHint') : undefined}>
          <Tag className="views-modified" color="gold" data-testid="view-modified">
            {t('views.modified')}
          </Tag>
        </Tooltip>
      )}
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            {
              key: 'save',
              label: selected?.readonly ? <Tooltip title={t('views.readonlyHint')}>{t('views.save')}</Tooltip> : t('views.save'),
              disabled: !canSave,
              'data-testid': 'view-save',
            } as never,
            { key: 'saveAs', label: t('views.saveAs'), 'data-testid': 'view-save-as' } as never,
            { key: 'rename', label: t('views.rename'), disabled: !canSave, 'data-testid': 'view-rename' } as never,
            { key: 'delete', label: t('views.delete'), danger: true, disabled: !canSave, 'data-testid': 'view-delete' } as never,
          ],
          onClick: ({ key }) => {
            if (key === 'save') void save();
            if (key === 'saveAs' || key === 'rename') setNaming(key === 'saveAs' ? 'new' : 'rename');
            if (key === 'delete') void remove();
          },
        }}
      >
        <Button icon={<SaveOutlined />} loading={busy} aria-label={t('views.save')} data-testid="view-menu">
          <DownOutlined />
        </Button>
      </Dropdown>
      {naming && (
        <Suspense fallback={null}>
          <SaveViewDialog
            app={app}
            form={form}
            naming={naming}
            selected={selected}
            settings={settingsOf(settings)}
            canShare={Boolean(views.data?.can_share)}
            refresh={refresh}
            onSaved={onSaved}
            onClose={() => setNaming(null)}
          />
        </Suspense>
      )}
    </Space.Compact>
  );
}
