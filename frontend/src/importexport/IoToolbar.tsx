import { lazy, Suspense, useState } from 'react';
import { DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Dropdown, Progress, Space } from 'antd';
import { useNavigate } from 'react-router';
import type { FormDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { artifactHref, ioApi, percent, POLL_MS, requestExport, type Artifact, type Job } from './api';
import './io.css';
import { useFeedback } from '../lib/feedback';

const ImportWizard = lazy(() => import('./ImportWizard'));

export const trashPath = (app: string, form: string) =>
  `/apps/${encodeURIComponent(app)}/forms/${encodeURIComponent(form)}/trash`;

interface Props {
  app: string;
  form: FormDef;
  /** the list's current filter (JSON text, '' for none) and sort */
  filter: string;
  sort: string;
  /** a phone: icons only */
  compact?: boolean;
  /** false hides Import / Export / the recycle bin (the caller lacks `import` / `export` /
   * `delete` on the form) */
  canImport?: boolean;
  canExport?: boolean;
  canTrash?: boolean;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The list page's import, export and recycle-bin entries. */
export function IoToolbar({ app, form, filter, sort, compact, canImport = true, canExport = true, canTrash = true }: Props) {
  const { t, locale } = useI18n();
  const { message } = useFeedback();
  const navigate = useNavigate();
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState<number | null>(null);

  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(0);
    try {
      const answer = await requestExport(app, form.key, { format, filter, sort, locale });
      if (answer.kind === 'job') {
        let job: Job<{ file: Artifact }> = await ioApi.job(answer.started.job_id);
        while (job.status === 'queued' || job.status === 'running') {
          setExporting(percent(job));
          await wait(POLL_MS);
          job = await ioApi.job(answer.started.job_id);
        }
        if (job.status !== 'succeeded' || !job.result) throw new Error(job.error?.message ?? 'export failed');
        const file = job.result.file;
        message.success({
          duration: 0,
          key: 'export-ready',
          content: (
            <span>
              {t('io.exportReady')}{' '}
              <a href={artifactHref(file)} download={file.name} data-testid="export-download" onClick={() => message.destroy('export-ready')}>
                {t('io.download')}
              </a>
            </span>
          ),
        });
      }
    } catch (error) {
      message.error(errorMessage(error, t));
    } finally {
      setExporting(null);
    }
  };

  return (
    <Space wrap size={8}>
      {canImport && (
        <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import-open" aria-label={t('io.import')}>
          {!compact && t('io.import')}
        </Button>
      )}
      {canExport && (
        <Dropdown
          trigger={['click']}
          disabled={exporting !== null}
          menu={{
            items: [
              { key: 'xlsx', label: t('io.exportXlsx'), 'data-testid': 'export-xlsx' } as never,
              { key: 'csv', label: t('io.exportCsv'), 'data-testid': 'export-csv' } as never,
            ],
            onClick: ({ key }) => void exportAs(key as 'xlsx' | 'csv'),
          }}
        >
          <Button icon={<DownloadOutlined />} loading={exporting !== null} data-testid="export-open" aria-label={t('io.export')}>
            {!compact && t('io.export')}
          </Button>
        </Dropdown>
      )}
      {exporting !== null && exporting > 0 && (
        <Progress className="io-export-progress" percent={exporting} size="small" aria-label={t('io.exportRunning')} />
      )}
      {canTrash && (
        <Button icon={<DeleteOutlined />} onClick={() => void navigate(trashPath(app, form.key))} data-testid="trash-link" aria-label={t('trash.link')}>
          {!compact && t('trash.link')}
        </Button>
      )}
      {importing && (
        <Suspense fallback={null}>
          <ImportWizard app={app} form={form} open={importing} onClose={() => setImporting(false)} />
        </Suspense>
      )}
    </Space>
  );
}
