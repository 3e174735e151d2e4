import { memo, startTransition, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import { flushSync } from 'react-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Space, Typography, type FormInstance } from 'antd';
import { DisabledContextProvider } from 'antd/es/config-provider/DisabledContext';
import { isApiError } from '../api/errors';
import { keys } from '../api/queries';
import type { AppDetail, FieldDef, FormDef, Me, RecordData } from '../api/types';
import { AppDefinitionContext, TitlesContext } from '../fields/context';
import { fieldType, isEditable } from '../fields';
import type { MessageKey } from '../i18n/messages';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { useDesktop } from '../lib/useDesktop';
import { useFirstPaintTakeover } from '../firstPaint/takeover/takeOver';
import { LazyLookContext, useLazyLook } from '../fields/lazy';
import { FieldItem, FrameClassContext, useFrameClass } from './FieldItem';
import { formKeyHandler } from './keyboard';
import { placeErrors, type NamePath } from './serverErrors';
import { draftKey, useDraftAutosave, type Draft } from './useDraftAutosave';
import { useUnsavedGuard } from './useUnsavedGuard';
import { changedData, defaultValues, recordToValues, valuesForExpressions, valuesToData, withoutBlanks } from './values';
import { StoreWatch } from './StoreWatch';
import { computesHere, useLiveFormulas, withFirstFormulas, withTrees } from './formulas';
import { isLocked, isVisible, keysConditionsRead, recordView, RecordViewContext, useEvaluator, withRequired, type Evaluate } from './visibility';
import './form.css';

type Values = Record<string, unknown>;

export interface RecordFormProps {
  app: AppDetail;
  form: FormDef;
  /** the record being edited; omitted when creating */
  record?: RecordData;
  /** sends the data (all fields when creating, the changed ones when editing) */
  onSubmit: (data: Values) => Promise<RecordData>;
  onSaved: (record: RecordData) => void;
  /** omitted where there is nowhere to go back to (a public fill link): no Cancel button */
  onCancel?: () => void;
  /** reloads the record after a version conflict */
  onReload?: () => void;
  /**
   * Keep unsaved values as a draft in this browser (default on). Drafts need a signed-in user,
   * so a public fill page has none either way.
   */
  autosave?: boolean;
  /** the submit button's words: "Save" in the app, "Submit" on a public fill link */
  submitLabel?: MessageKey;
}

/** Does `name` point at an editor the form is showing? (for placing the server's errors) */
function rendersField(fields: FieldDef[], values: Values, name: NamePath): boolean {
  const field = fields.find((f) => f.key === name[0]);
  if (!field) return false;
  if (name.length === 1) return true;
  const [, index, subKey] = name;
  const rows = values[field.key];
  return (
    name.length === 3 &&
    Array.isArray(rows) &&
    typeof index === 'number' &&
    index < rows.length &&
    Boolean(field.fields?.some((sub) => sub.key === subKey))
  );
}

function labelOf(fields: FieldDef[], path: NamePath, text: (v: FieldDef['label']) => string): string {
  const field = fields.find((f) => f.key === path[0]);
  return field ? text(field.label) : '';
}

/** The offer to take back a draft left by an earlier visit to this form. */
function DraftOffer({ draft, record, onRestore, onDiscard }: { draft: Draft; record?: RecordData; onRestore: () => void; onDiscard: () => void }) {
  const { t, locale } = useI18n();
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(draft.savedAt));
  const changed = record !== undefined && draft.version !== undefined && draft.version !== record._version;
  return (
    <Alert
      type="info"
      showIcon
      data-testid="draft-offer"
      title={t(changed ? 'draft.foundChanged' : 'draft.found', { when })}
      // the buttons under the sentence, not beside it: a phone has no room for both on one line
      description={
        <Space wrap style={{ marginTop: 4 }}>
          <Button size="small" type="primary" onClick={onRestore} data-testid="draft-restore">
            {t('draft.restore')}
          </Button>
          <Button size="small" onClick={onDiscard} data-testid="draft-discard">
            {t('draft.discard')}
          </Button>
        </Space>
      }
      style={{ marginBottom: 16 }}
    />
  );
}

/** What the form shows for these values: the data its conditions read and the visible fields. */
function visibleFieldsOf(fields: FieldDef[], values: Values, record: RecordData | undefined, evaluate: Evaluate | null) {
  const data = valuesForExpressions(fields, values, record);
  // A new record has nothing computed yet: its read-only fields would only be noise, except
  // the formulas this browser computes as the user types.
  const visible = fields.filter((field) => isVisible(field, data, evaluate) && (record !== undefined || isEditable(field) || computesHere(field)));
  return { data, visible };
}

/**
 * Fields mounted in the first pass. Since fields became light (a plain frame, heavy controls
 * mounted on first use), 200 of them mount in ~250 ms, and every extra pass costs a style and
 * layout of the whole page: on a quiet machine one pass made the 200-field form interactive
 * 50-65 ms sooner than a screenful first and the rest in chunks (docs/performance.md). Larger
 * forms still follow in chunks of FIELD_CHUNK, each a transition that input interrupts.
 */
const FIRST_FIELDS = 200;
const FIELD_CHUNK = 48;

/** The grid's handle: mounts every remaining field at once (before validating a save), sets a draft's values back. */
interface GridHandle {
  revealAll: () => void;
  restore: (values: Values) => void;
}

interface FieldGridProps {
  form: FormInstance<Values>;
  formDef: FormDef;
  record?: RecordData;
  initialValues: Values;
  saving: boolean;
  onCancel?: () => void;
  submitLabel: MessageKey;
  handle: Ref<GridHandle>;
  /** a person changed a value (not setFieldsValue) */
  onEdit: () => void;
  /** the fields this caller may see but not change (their role's field permissions): drawn disabled */
  readonly: ReadonlySet<string>;
}

/** Save / Cancel, with the shortcut hint on a desktop (only this follows the breakpoint). */
function FormActions({ saving, canSave, onCancel, label }: { saving: boolean; canSave: boolean; onCancel?: () => void; label: MessageKey }) {
  const { t } = useI18n();
  // right on the first render, unlike Grid.useBreakpoint ({} at first, so a second render)
  const desktop = useDesktop();
  return (
    <div className="record-form__actions">
      {desktop && <Typography.Text type="secondary" className="record-form__hint">{t('form.shortcut')}</Typography.Text>}
      <Space>
        {onCancel && <Button onClick={onCancel} disabled={saving}>{t('action.cancel')}</Button>}
        <Button type="primary" htmlType="submit" loading={saving} data-testid="form-save" disabled={!canSave}>
          {t(label)}
        </Button>
      </Space>
    </div>
  );
}

/**
 * The fields, inside antd's <Form>: this, not the Form, follows the values (conditions read
 * them), so a keystroke re-renders the grid of memoised FieldItems and the one Form.Item whose
 * value changed, not antd's Form and with it all 200 Form.Items (its context value is new on
 * every render). A plain CSS grid, not Row/Col: no responsive observer per column.
 */
function FieldGrid({ form, formDef, record, initialValues, saving, onCancel, submitLabel, handle, onEdit, readonly }: FieldGridProps) {
  const evaluate = useEvaluator();
  const { follow: formulas, restore } = useLiveFormulas(form, formDef.fields, record, evaluate);
  // only the values the conditions read: a keystroke elsewhere re-renders nothing here
  const keys = useMemo(() => keysConditionsRead(formDef.fields), [formDef]);
  // the form's values as of the last change to one the conditions read (the store starts as initialValues)
  const [current, setCurrent] = useState(initialValues);
  const follow = useCallback(
    (next: Values, previous: Values, byUser: boolean) => {
      if (byUser) onEdit();
      formulas(next, previous);
      if (keys === null || keys.some((key) => next[key] !== previous[key])) setCurrent(next);
    },
    [keys, onEdit, formulas],
  );
  const { data, visible } = useMemo(() => visibleFieldsOf(formDef.fields, current, record, evaluate), [formDef, current, record, evaluate]);
  // sub-form rows read only the record's outer-readable fields, as on the server
  const around = useMemo(() => recordView(formDef.fields, data), [formDef, data]);
  const [shown, setShown] = useState(FIRST_FIELDS);
  useImperativeHandle(handle, () => ({ revealAll: () => flushSync(() => setShown(Number.MAX_SAFE_INTEGER)), restore }), [restore]);
  const pending = shown < visible.length;
  useEffect(() => {
    if (!pending) return undefined;
    // after the browser has painted (and handled any key): the next chunk, interruptible
    const timer = setTimeout(() => startTransition(() => setShown((n) => n + FIELD_CHUNK)), 0);
    return () => clearTimeout(timer);
  }, [pending, shown]);
  return (
    <RecordViewContext.Provider value={around}>
      <StoreWatch onChange={follow} />
      <div className="record-form__grid">
        {visible.slice(0, shown).map((field) => {
          // required_when marks it required while true; editable_when locks a saved record's field
          const item = <FieldItem key={field.key} field={withRequired(field, data, evaluate, !record)} className={fieldType(field.type).wide ? 'record-form__cell record-form__cell--wide' : 'record-form__cell'} />;
          const locked = readonly.has(field.key) || (record && isLocked(field, data, evaluate));
          return locked ? <DisabledContextProvider key={field.key} disabled>{item}</DisabledContextProvider> : item;
        })}
      </div>
      <FormActions saving={saving} canSave={visible.some((field) => isEditable(field) && !readonly.has(field.key))} onCancel={onCancel} label={submitLabel} />
    </RecordViewContext.Provider>
  );
}

const SCROLL_TO_ERROR = { block: 'center' } as const;

interface FormBodyProps extends FieldGridProps {
  onFinish: () => void;
}

/**
 * antd's <Form> with props that stay the same while the user types: rendered once per load. It
 * registers the form, select and picker styles once and hands their classes to the fields'
 * light frames and look-alike controls (FieldItem, fields/lazy.tsx).
 */
const FormBody = memo(function FormBody({ onFinish, ...grid }: FormBodyProps) {
  const frame = useFrameClass();
  const look = useLazyLook();
  return (
    <FrameClassContext.Provider value={frame}>
      <LazyLookContext.Provider value={look}>
        <Form<Values>
          form={grid.form}
          layout="vertical"
          initialValues={grid.initialValues}
          onFinish={onFinish}
          scrollToFirstError={SCROLL_TO_ERROR}
          disabled={grid.saving}
        >
          <FieldGrid {...grid} />
        </Form>
      </LazyLookContext.Provider>
    </FrameClassContext.Provider>
  );
});

/** Generates the editor of a form from its definition: fields, validation, saving, errors. */
export function RecordForm({ app, form: given, record, onSubmit, onSaved, onCancel, onReload, autosave = true, submitLabel = 'action.save' }: RecordFormProps) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const evaluate = useEvaluator();
  const [form] = Form.useForm<Values>();
  // expressions written as formula text evaluate through the server's parse of them
  const formDef = useMemo(() => {
    const fields = withTrees(given.fields, app.formula_trees);
    return fields === given.fields ? given : { ...given, fields };
  }, [given, app.formula_trees]);
  const initialValues = useMemo(
    () => (record ? recordToValues(formDef.fields, record) : withFirstFormulas(formDef.fields, defaultValues(formDef.fields, evaluate), evaluate)),
    [formDef, record, evaluate],
  );
  const readonly = useMemo(() => new Set(app.access?.[formDef.key]?.readonly ?? []), [app, formDef.key]);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [general, setGeneral] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const grid = useRef<GridHandle>(null);
  // drafts belong to the signed-in user (their `me` is cached by the shell; a public page has none)
  const user = useQueryClient().getQueryData<Me>(keys.me)?.id;
  const draft = useDraftAutosave({
    key: autosave && user ? draftKey({ user, app: app.key, form: formDef.key, record: record?._id }) : null,
    baseline: useMemo(() => valuesToData(formDef.fields, initialValues), [formDef, initialValues]),
    version: record?._version,
  });
  const guard = useUnsavedGuard(dirty && !saving, draft.clear);
  const restoreDraft = () => {
    if (!draft.offer) return;
    // its rows come back as kept: a new row's defaults are not filled in again
    grid.current?.restore(recordToValues(formDef.fields, draft.offer.data));
    setDirty(true);
    draft.accept();
    message.success(t('draft.restored'));
  };

  const save = async () => {
    setGeneral([]);
    setConflict(false);
    // every field's rules must run: mount the ones still waiting for their chunk
    grid.current?.revealAll();
    try {
      await form.validateFields();
    } catch {
      message.error(t('form.fixErrors'));
      return;
    }
    const values = form.getFieldsValue(true) as Values;
    const { visible } = visibleFieldsOf(formDef.fields, values, record, evaluate);
    // a read-only field keeps its default or stored value: the server refuses it in a payload
    const full = valuesToData(visible.filter((field) => !readonly.has(field.key)), values);
    const payload = record ? changedData(visible, full, record) : withoutBlanks(full);
    if (record && Object.keys(payload).length === 0) {
      guard.release();
      draft.clear();
      onSaved(record);
      return;
    }
    setSaving(true);
    try {
      const saved = await onSubmit(payload);
      guard.release();
      draft.clear();
      setDirty(false);
      message.success(record ? t('form.saved') : t('form.created'));
      onSaved(saved);
    } catch (error) {
      if (isApiError(error) && error.code === 'version_conflict') {
        setConflict(true);
      } else if (isApiError(error) && error.errors.length > 0) {
        const placed = placeErrors(error.errors, (name) => rendersField(visible, values, name));
        form.setFields(placed.fields);
        setGeneral(
          placed.general.map(({ path, message: msg }) => {
            const label = labelOf(formDef.fields, path, text);
            return label ? `${label}: ${msg}` : msg;
          }),
        );
        if (placed.fields.length > 0) form.scrollToField(placed.fields[0].name, { block: 'center' });
        message.error(t('form.fixErrors'));
      } else {
        setGeneral([errorMessage(error, t)]);
      }
    } finally {
      setSaving(false);
    }
  };
  // the Form's handlers stay the same objects (so it is not re-rendered) and call the latest save
  const saveRef = useRef(save);
  saveRef.current = save;
  const scheduleRef = useRef(draft.schedule);
  scheduleRef.current = draft.schedule;
  const onEdit = useCallback(() => {
    setDirty(true);
    scheduleRef.current(() => valuesToData(formDef.fields, form.getFieldsValue(true) as Values));
  }, [form, formDef]);
  // a full page load's server-drawn form (ADR 0009): what was typed there becomes this form's
  useFirstPaintTakeover(form, formDef.fields, onEdit);
  const onFinish = useCallback(() => void saveRef.current(), []);
  const cancelRef = useRef(onCancel);
  cancelRef.current = onCancel;
  const cancel = useCallback(() => cancelRef.current?.(), []);

  return (
    <AppDefinitionContext.Provider value={app}>
      <TitlesContext.Provider value={record?._titles ?? EMPTY_TITLES}>
        <div onKeyDown={formKeyHandler(() => void save())} className="record-form">
          {draft.offer && <DraftOffer draft={draft.offer} record={record} onRestore={restoreDraft} onDiscard={draft.clear} />}
          {conflict && (
            <Alert
              type="warning"
              showIcon
              role="alert"
              title={t('form.versionConflict')}
              action={onReload && <Button size="small" onClick={onReload}>{t('form.reload')}</Button>}
              style={{ marginBottom: 16 }}
            />
          )}
          {general.length > 0 && (
            <Alert
              type="error"
              showIcon
              role="alert"
              title={general.length === 1 ? general[0] : t('form.fixErrors')}
              description={general.length > 1 ? <ul className="plain-list">{general.map((g) => <li key={g}>{g}</li>)}</ul> : undefined}
              style={{ marginBottom: 16 }}
              data-testid="form-errors"
            />
          )}
          <FormBody
            form={form}
            formDef={formDef}
            record={record}
            initialValues={initialValues}
            saving={saving}
            onCancel={onCancel ? cancel : undefined}
            submitLabel={submitLabel}
            handle={grid}
            readonly={readonly}
            onEdit={onEdit}
            onFinish={onFinish}
          />
        </div>
      </TitlesContext.Provider>
    </AppDefinitionContext.Provider>
  );
}

const EMPTY_TITLES: Record<string, string> = {};
