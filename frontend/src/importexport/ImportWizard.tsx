import { useState } from 'react';
import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Grid, Modal, Progress, Radio, Result, Select, Space, Statistic, Steps, Typography, Upload } from 'antd';
import { isApiError } from '../api/errors';
import { keys } from '../api/queries';
import type { FormDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { artifactHref, ioApi, percent, useJob, type ImportMode, type ImportSummary, type Preview } from './api';
import ErrorList from './ErrorList';
import MappingTable from './MappingTable';
import PreviewTable from './PreviewTable';

interface Props {
  app: string;
  form: FormDef;
  open: boolean;
  onClose: () => void;
}

type Mapping = Record<string, string | null>;

/** A 422 `invalid_mapping`'s problems by column header (paths `mapping.<header>`). */
function mappingProblems(error: unknown): Record<string, string> | null {
  if (!isApiError(error) || error.code !== 'invalid_mapping') return null;
  const out: Record<string, string> = {};
  for (const e of error.errors) if (e.path.startsWith('mapping.')) out[e.path.slice('mapping.'.length)] = e.message;
  return Object.keys(out).length ? out : null;
}

function ReportLink({ summary }: { summary: Partial<ImportSummary> | undefined }) {
  const { t } = useI18n();
  const report = summary?.error_report;
  if (!report) return null;
  return (
    <Button href={artifactHref(report)} download={report.name} data-testid="import-report">
      {t('io.report')}
    </Button>
  );
}

function RunStep({ jobId }: { jobId: string }) {
  const { t } = useI18n();
  const { job, error } = useJob<ImportSummary>(jobId);
  if (error) return <Alert type="error" showIcon title={errorMessage(error, t)} />;
  if (!job || job.status === 'queued' || job.status === 'running') {
    return (
      <div className="io-run" data-testid="import-running">
        <Typography.Paragraph>{t('io.running')}</Typography.Paragraph>
        <Progress percent={percent(job)} status="active" />
      </div>
    );
  }
  if (job.status === 'succeeded' && job.result) {
    const r = job.result;
    return (
      <div data-testid="import-done">
        <Result status={r.failed_rows ? 'warning' : 'success'} title={t('io.done')} />
        <Space size="large" wrap className="io-counts">
          <Statistic title={t('io.inserted')} value={r.inserted} data-testid="import-inserted" />
          <Statistic title={t('io.updated')} value={r.updated} data-testid="import-updated" />
          <Statistic title={t('io.failed')} value={r.failed_rows} data-testid="import-failed" />
        </Space>
        <ErrorList errors={r.errors} />
        <ReportLink summary={r} />
      </div>
    );
  }
  const details = job.error?.details;
  return (
    <div data-testid="import-failed-job">
      <Alert
        type="error"
        showIcon
        title={details?.code === 'import_rejected' ? t('io.rejected', { count: details.failed_rows ?? 0 }) : t('io.jobFailed')}
        description={details?.code === 'import_rejected' ? undefined : job.error?.message}
      />
      <ErrorList errors={details?.errors ?? []} />
      <ReportLink summary={details} />
    </div>
  );
}

/** The import wizard: upload, mapping, preview with per-cell errors, run with progress. */
export default function ImportWizard({ app, form, open, onClose }: Props) {
  const { t, text, locale } = useI18n();
  const queryClient = useQueryClient();
  const phone = !Grid.useBreakpoint().sm;
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [mode, setMode] = useState<ImportMode>('insert');
  const [keyField, setKeyField] = useState<string | undefined>();
  const [atomic, setAtomic] = useState(true);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [mappingErrors, setMappingErrors] = useState<Record<string, string>>({});
  const [jobId, setJobId] = useState<string | null>(null);

  /** A field's name; a sub-form's field as "明细 › 数量". */
  const label = (key: string): string => {
    const field = form.fields.find((f) => f.key === key);
    if (field) return text(field.label);
    const info = preview?.fields.find((f) => f.key === key);
    if (info?.subform) {
      const sub = form.fields.find((f) => f.key === info.subform);
      const child = sub?.fields?.find((f) => `${info.subform}.${f.key}` === key);
      if (sub && child) return `${text(sub.label)} › ${text(child.label)}`;
      const joined = info.label ? text(info.label) : key;
      const dot = joined.indexOf('.');
      return dot > 0 ? `${joined.slice(0, dot)} › ${joined.slice(dot + 1)}` : joined;
    }
    return info?.label ? text(info.label) : key;
  };

  const reset = () => {
    setStep(0);
    setFile(null);
    setPreview(null);
    setMapping({});
    setMode('insert');
    setKeyField(undefined);
    setAtomic(true);
    setProblem(null);
    setMappingErrors({});
    setJobId(null);
  };
  const close = () => {
    if (jobId) void queryClient.invalidateQueries({ queryKey: keys.records(app, form.key) });
    reset();
    onClose();
  };

  /** A refusal: on the columns' controls when it is about the mapping, else above the step. */
  const refuse = (error: unknown) => {
    const byColumn = mappingProblems(error);
    if (byColumn && preview) {
      setMappingErrors(byColumn);
      setProblem(t('io.mappingRefused'));
      setStep(1);
    } else {
      setProblem(errorMessage(error, t));
    }
  };

  const runPreview = async (chosen: File, map: Mapping, next: number) => {
    setBusy(true);
    setProblem(null);
    setMappingErrors({});
    try {
      const result = await ioApi.preview(app, form.key, { file: chosen, mapping: map, mode, keyField, locale });
      setPreview(result);
      setMapping(Object.fromEntries(result.columns.map((c) => [c.header, c.field])));
      setStep(next);
    } catch (error) {
      refuse(error);
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const started = await ioApi.start(app, form.key, { file, mapping, mode, keyField, locale }, atomic);
      setJobId(started.job_id);
      setStep(3);
    } catch (error) {
      refuse(error);
    } finally {
      setBusy(false);
    }
  };

  const uniqueFields = form.fields.filter((f) => f.unique && Object.values(mapping).includes(f.key));
  const badRows = preview?.rows.filter((r) => r.errors.length > 0).length ?? 0;

  return (
    <Modal
      open={open}
      title={t('io.title')}
      onCancel={close}
      width={920}
      footer={null}
      destroyOnHidden
      className="io-wizard"
    >
      <Steps
        current={step}
        size="small"
        responsive={false}
        className="io-steps"
        items={[t('io.stepUpload'), t('io.stepMapping'), t('io.stepPreview'), t('io.stepRun')].map((title, i) => ({
          // a phone has room for the current step's name only
          title: phone && i !== step ? '' : title,
        }))}
      />
      {problem && <Alert type="error" showIcon title={problem} className="io-problem" data-testid="import-problem" />}

      {step === 0 && (
        <div data-testid="import-upload">
        <Upload.Dragger
          accept=".xlsx,.xls,.csv"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(chosen) => {
            setFile(chosen);
            void runPreview(chosen, {}, 1);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('io.dropHint')}</p>
          <p className="ant-upload-hint">{busy ? '…' : t('io.dropSub')}</p>
        </Upload.Dragger>
        </div>
      )}

      {step === 1 && preview && (
        <div data-testid="import-mapping">
          <Typography.Paragraph type="secondary">
            {file?.name} · {t('io.detected', { format: preview.format, rows: preview.estimated_rows ?? '?' })}
          </Typography.Paragraph>
          <MappingTable
            preview={preview}
            form={form}
            mapping={mapping}
            errors={mappingErrors}
            label={label}
            onChange={(header, field) => {
              setMapping({ ...mapping, [header]: field });
              setMappingErrors((errors) => Object.fromEntries(Object.entries(errors).filter(([h]) => h !== header)));
            }}
          />
          <Space orientation="vertical" className="io-options">
            <span>
              {/* the colon is the language's own (a full-width ： in Chinese) */}
              {t('io.mode')}{' '}
              <Radio.Group
                value={mode}
                onChange={(e) => setMode(e.target.value as ImportMode)}
                options={[
                  { value: 'insert', label: t('io.modeInsert') },
                  { value: 'upsert', label: t('io.modeUpsert') },
                  { value: 'update', label: t('io.modeUpdate') },
                ]}
              />
            </span>
            {mode !== 'insert' && (
              <span>
                {t('io.keyField')}{' '}
                <Select
                  className="io-map-select"
                  value={keyField}
                  onChange={setKeyField}
                  options={uniqueFields.map((f) => ({ value: f.key, label: text(f.label) }))}
                  data-testid="import-key-field"
                />
              </span>
            )}
            {preview.missing_required.filter((k) => !Object.values(mapping).includes(k)).length > 0 && (
              <Alert
                type="warning"
                showIcon
                title={t('io.missingRequired', {
                  fields: preview.missing_required.filter((k) => !Object.values(mapping).includes(k)).map(label).join(', '),
                })}
              />
            )}
          </Space>
          <div className="io-footer">
            <Button onClick={reset}>{t('io.back')}</Button>
            <Button type="primary" loading={busy} onClick={() => file && void runPreview(file, mapping, 2)} data-testid="import-next">
              {t('io.next')}
            </Button>
          </div>
        </div>
      )}

      {step === 2 && preview && (
        <div data-testid="import-preview">
          <Typography.Paragraph type="secondary">{t('io.previewNote', { count: preview.rows.length })}</Typography.Paragraph>
          <Alert
            type={badRows ? 'warning' : 'success'}
            showIcon
            title={badRows ? t('io.previewErrors', { count: badRows }) : t('io.previewClean')}
            className="io-problem"
          />
          <PreviewTable preview={preview} mapping={mapping} form={form} label={label} />
          <Radio.Group
            className="io-options"
            value={atomic ? 'atomic' : 'good'}
            onChange={(e) => setAtomic(e.target.value === 'atomic')}
            options={[
              { value: 'atomic', label: t('io.atomic') },
              { value: 'good', label: t('io.goodRows') },
            ]}
            data-testid="import-atomic"
          />
          <div className="io-footer">
            <Button onClick={() => setStep(1)}>{t('io.back')}</Button>
            <Button type="primary" loading={busy} onClick={() => void start()} data-testid="import-start">
              {t('io.start')}
            </Button>
          </div>
        </div>
      )}

      {step === 3 && jobId && (
        <>
          <RunStep jobId={jobId} />
          <div className="io-footer">
            <Button type="primary" onClick={close} data-testid="import-close">
              {t('io.close')}
            </Button>
          </div>
        </>
      )}
    </Modal>
  );
}
