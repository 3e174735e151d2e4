import { useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ExportOutlined, FilePdfOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Grid, Modal, Select, Skeleton, Space, Typography } from 'antd';
import { api, buildUrl } from '../api/client';
import { ApiError, type Problem } from '../api/errors';
import { recordPath } from '../api/queries';
import type { FormDef, LocaleText } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { LoadError } from '../shell/LoadError';

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The print rendering is HTML, not JSON: read it as text, failures still as problem+json. */
async function fetchHtml(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html, application/problem+json' }, signal });
  const body = await response.text();
  if (response.ok) return body;
  let problem: Problem = { status: response.status, title: response.statusText };
  try {
    problem = JSON.parse(body) as Problem;
  } catch {
    // not JSON: keep the status line
  }
  throw new ApiError(response.status, problem);
}

interface PrintDialogProps {
  app: string;
  form: FormDef;
  id: string;
}

/**
 * "Print": the record through one of its form's print templates, previewed in a sandboxed frame
 * (no scripts run in it), then the browser's own print dialog — where "Save as PDF" is one of the
 * printers — or the server's PDF, or the page on its own in a new tab.
 */
export function PrintDialog({ app, form, id }: PrintDialogProps) {
  const { t, text, locale } = useI18n();
  const phone = !Grid.useBreakpoint().md;
  const [open, setOpen] = useState(false);
  const [template, setTemplate] = useState('default');
  const frame = useRef<HTMLIFrameElement>(null);
  const templates = useQuery({
    queryKey: ['print-templates', app, form.key],
    enabled: open,
    staleTime: 60_000,
    queryFn: ({ signal }) =>
      api.get<{ items: { key: string; name: LocaleText | string }[] }>(
        `/apps/${encodeURIComponent(app)}/forms/${encodeURIComponent(form.key)}/print-templates`,
        undefined,
        signal,
      ),
  });
  const printUrl = (format: 'html' | 'pdf') => buildUrl(`${recordPath(app, form.key, id)}/print`, { template, format, locale, timezone: timeZone });
  const html = useQuery({
    queryKey: ['print', app, form.key, id, template, locale],
    enabled: open,
    gcTime: 0,
    queryFn: ({ signal }) => fetchHtml(printUrl('html'), signal),
  });
  const choices = templates.data?.items ?? [];

  return (
    <>
      <Button icon={<PrinterOutlined />} onClick={() => setOpen(true)} data-testid="record-print">
        {t('print.action')}
      </Button>
      <Modal
        open={open}
        onCancel={() => setOpen(false)}
        title={t('print.title')}
        width={phone ? '100%' : 900}
        centered={!phone}
        destroyOnHidden
        footer={
          <Space wrap className="print-actions">
            <Button icon={<ExportOutlined />} href={printUrl('html')} target="_blank" rel="noopener" data-testid="print-open">
              {t('print.newTab')}
            </Button>
            <Button icon={<FilePdfOutlined />} href={printUrl('pdf')} target="_blank" rel="noopener" data-testid="print-pdf">
              {t('print.pdf')}
            </Button>
            <Button
              type="primary"
              icon={<PrinterOutlined />}
              disabled={!html.data}
              onClick={() => frame.current?.contentWindow?.print()}
              data-testid="print-now"
            >
              {t('print.print')}
            </Button>
          </Space>
        }
      >
        {choices.length > 1 && (
          <div className="print-template">
            <Typography.Text type="secondary">{t('print.template')}</Typography.Text>
            <Select
              value={template}
              onChange={setTemplate}
              options={choices.map((c) => ({ value: c.key, label: text(c.name) }))}
              style={{ minWidth: 200 }}
              aria-label={t('print.template')}
              data-testid="print-template"
            />
          </div>
        )}
        {html.isError ? (
          <LoadError error={html.error} onRetry={() => void html.refetch()} />
        ) : html.isPending ? (
          <Skeleton active />
        ) : (
          // allow-same-origin lets this page call print() on the frame; without allow-scripts
          // nothing in the template can run
          <iframe
            ref={frame}
            title={t('print.preview')}
            srcDoc={html.data}
            sandbox="allow-same-origin allow-modals"
            className="print-frame"
            data-testid="print-frame"
          />
        )}
        <Typography.Paragraph type="secondary" className="print-hint">
          {t('print.hint')}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
