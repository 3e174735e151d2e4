import { useRef, useState } from 'react';
import { DownloadOutlined, HistoryOutlined, ImportOutlined, RollbackOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, Empty, Modal, Popconfirm, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { buildUrl, api } from '../api/client';
import { isApiError, type FieldProblem } from '../api/errors';
import { useApps } from '../api/queries';
import type { AppSummary, LocaleText } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { formatWhen } from '../lib/dates';
import { errorMessage } from '../lib/errorMessage';
import { LoadError } from '../shell/LoadError';
import { adminKeys } from './api';
import { KeyedTitle } from './KeyedTitle';
import { invalidateApp, PublishDialog } from './PublishDialog';

/** What one version changed compared with the one before (GET /apps/{app}/versions). */
export interface VersionChanges {
  first?: boolean;
  forms_added?: string[];
  forms_removed?: string[];
  fields_added?: Record<string, string[]>;
  fields_removed?: Record<string, string[]>;
  fields_changed?: Record<string, string[]>;
  sections_changed?: string[];
  settings_changed?: string[];
}

export interface AppVersion {
  version: number;
  semver: string;
  published_at: string;
  published_by: { email: string; name: string } | null;
  current: boolean;
  changes: VersionChanges;
}

export interface VersionList {
  items: AppVersion[];
  has_more: boolean;
  published_version: number | null;
  draft: { exists: boolean; unpublished: boolean; updated_at: string | null; changes: VersionChanges | null };
}

const appPath = (app: string) => `/apps/${encodeURIComponent(app)}`;

/** A version's changes as tags: forms by name, fields as "form: field" keys. */
function Changes({ changes, forms }: { changes: VersionChanges; forms: AppSummary['forms'] }) {
  const { t, text } = useI18n();
  const formName = (key: string) => text(forms.find((f) => f.key === key)?.name) || key;
  const rows: { label: MessageKey; items: string[] }[] = [];
  if (changes.first) rows.push({ label: 'admin.apps.change.first', items: [] });
  for (const kind of ['forms_added', 'forms_removed'] as const) {
    if (changes[kind]?.length) rows.push({ label: `admin.apps.change.${kind}`, items: changes[kind].map(formName) });
  }
  for (const kind of ['fields_added', 'fields_removed', 'fields_changed'] as const) {
    const byForm = changes[kind];
    if (byForm && Object.keys(byForm).length) {
      rows.push({ label: `admin.apps.change.${kind}`, items: Object.entries(byForm).flatMap(([form, fields]) => fields.map((f) => `${formName(form)} · ${f}`)) });
    }
  }
  if (changes.sections_changed?.length) {
    rows.push({ label: 'admin.apps.change.sections_changed', items: changes.sections_changed.map((s) => t(`admin.apps.section.${s}` as MessageKey)) });
  }
  if (changes.settings_changed?.length) rows.push({ label: 'admin.apps.change.settings_changed', items: changes.settings_changed });
  if (rows.length === 0) return <Typography.Text type="secondary">{t('admin.apps.change.none')}</Typography.Text>;
  return (
    <div className="versions__changes">
      {rows.map((row) => (
        <div key={row.label}>
          <Typography.Text type="secondary">{t(row.label)}</Typography.Text>{' '}
          {row.items.map((item) => (
            <Tag key={item}>{item}</Tag>
          ))}
        </div>
      ))}
    </div>
  );
}

/** The versions of one app, newest first, and the draft's state; restore puts a version into the draft. */
function Versions({ app }: { app: AppSummary }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [publishing, setPublishing] = useState(false);
  const versions = useQuery({
    queryKey: adminKeys.versions(app.key),
    queryFn: ({ signal }) => api.get<VersionList>(`${appPath(app.key)}/versions`, undefined, signal),
  });
  const restore = useMutation({
    mutationFn: (version: number) => api.post(`${appPath(app.key)}/versions/${version}/restore-draft`),
    onSuccess: (_, version) => {
      invalidateApp(queryClient, app.key);
      void message.success(t('admin.apps.restored', { version }));
      setPublishing(true);
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  if (versions.isError) return <LoadError error={versions.error} onRetry={() => void versions.refetch()} />;
  if (versions.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  const { draft, items } = versions.data;
  return (
    <div data-testid={`versions-${app.key}`}>
      <Alert
        type={draft.unpublished ? 'warning' : 'success'}
        showIcon
        className="versions__draft admin__alert-wrap"
        data-testid={`draft-${app.key}`}
        title={
          draft.unpublished
            ? versions.data.published_version
              ? t('admin.apps.draftChanged', { when: formatWhen(draft.updated_at, locale) })
              : t('admin.apps.draftOnly')
            : t('admin.apps.draftClean')
        }
        description={draft.unpublished && draft.changes ? <Changes changes={draft.changes} forms={app.forms} /> : undefined}
        action={
          draft.unpublished && versions.data.published_version ? (
            <Button size="small" onClick={() => setPublishing(true)} data-testid={`draft-publish-${app.key}`}>
              {t('admin.perm.reviewPublish')}
            </Button>
          ) : undefined
        }
      />
      {items.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('admin.apps.noVersions')}</Typography.Paragraph>
      ) : (
        <Timeline
          items={items.map((v) => ({
            key: v.version,
            color: v.current ? 'green' : 'gray',
            content: (
              <div className="versions__item" data-testid={`version-${app.key}-${v.version}`}>
                <div className="versions__head">
                  <Typography.Text strong>{t('admin.apps.version', { version: v.version })}</Typography.Text>
                  <Typography.Text type="secondary">{v.semver}</Typography.Text>
                  {v.current && <Tag color="green">{t('admin.apps.current')}</Tag>}
                  <span className="admin__spacer" />
                  {(!v.current || draft.unpublished) && (
                    <Popconfirm
                      title={t('admin.apps.restoreConfirm', { version: v.version })}
                      description={<div className="versions__confirm">{t('admin.apps.restoreBody')}</div>}
                      okText={t('admin.apps.restore')}
                      cancelText={t('action.cancel')}
                      okButtonProps={{ 'data-testid': 'restore-confirm' }}
                      onConfirm={() => restore.mutate(v.version)}
                    >
                      <Button size="small" icon={<RollbackOutlined />} loading={restore.isPending && restore.variables === v.version} data-testid={`restore-${app.key}-${v.version}`}>
                        {t('admin.apps.restore')}
                      </Button>
                    </Popconfirm>
                  )}
                </div>
                <Typography.Text type="secondary" className="versions__when">
                  {formatWhen(v.published_at, locale)}
                  {v.published_by && ` · ${t('admin.apps.by', { name: v.published_by.name || v.published_by.email })}`}
                </Typography.Text>
                <Changes changes={v.changes} forms={app.forms} />
              </div>
            ),
          }))}
        />
      )}
      {versions.data.has_more && <Typography.Text type="secondary">{t('admin.apps.more')}</Typography.Text>}
      {publishing && <PublishDialog app={app.key} otherChanges={false} onClose={() => setPublishing(false)} />}
    </div>
  );
}

/** Reads a definition file and POSTs it; the server's errors come back with JSON paths. */
function ImportModal({ onClose }: { onClose: () => void }) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (definition: unknown) => api.post<{ key: string; name: LocaleText }>('/apps', definition),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: ['apps'] });
      void message.success(t('admin.apps.imported', { name: text(result.name) || result.key }));
      onClose();
    },
    onError: (error) => {
      setProblems(isApiError(error) ? error.errors : []);
      setGeneral(isApiError(error) && error.errors.length ? t('admin.apps.importErrors') : errorMessage(error, t));
    },
  });
  const read = async (file: File) => {
    setFileName(file.name);
    setProblems([]);
    setGeneral(null);
    let definition: unknown;
    try {
      definition = JSON.parse(await file.text()) as unknown;
    } catch {
      setGeneral(t('admin.apps.importBadJson'));
      return;
    }
    upload.mutate(definition);
  };
  return (
    <Modal open title={t('admin.apps.importTitle')} onCancel={onClose} footer={<Button onClick={onClose}>{t('action.cancel')}</Button>}>
      <Typography.Paragraph>{t('admin.apps.importHint')}</Typography.Paragraph>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="app-import-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void read(file);
        }}
      />
      <Space wrap>
        <Button icon={<UploadOutlined />} onClick={() => input.current?.click()} loading={upload.isPending} data-testid="app-import-choose">
          {t('admin.apps.importChoose')}
        </Button>
        {fileName && <Typography.Text type="secondary">{fileName}</Typography.Text>}
      </Space>
      {general && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="app-import-error"
          title={general}
          description={
            problems.length > 0 && (
              <ul className="admin__problems">
                {problems.map((p, i) => (
                  <li key={i}>
                    <Typography.Text code>{p.path || '$'}</Typography.Text> {p.message}
                  </li>
                ))}
              </ul>
            )
          }
        />
      )}
    </Modal>
  );
}

/** Apps and their published versions: export, import, restore an old version into the draft. */
export default function AppsPage() {
  const { t, text } = useI18n();
  const apps = useApps();
  const [importing, setImporting] = useState(false);
  if (apps.isError) return <LoadError error={apps.error} onRetry={() => void apps.refetch()} />;
  if (apps.isPending) return <Skeleton active />;
  const exportUrl = (key: string, draft: boolean) => buildUrl(`${appPath(key)}/export`, draft ? { draft: 'true' } : undefined);
  return (
    <div data-testid="admin-apps">
      <div className="admin__toolbar">
        <Typography.Text type="secondary" className="admin__spacer">
          {t('admin.apps.intro')}
        </Typography.Text>
        <Button type="primary" icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="app-import">
          {t('admin.apps.import')}
        </Button>
      </div>
      {apps.data.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.apps.empty')} />}
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {apps.data.map((app) => (
          <Card
            key={app.key}
            size="small"
            className="admin__card"
            data-testid={`app-${app.key}`}
            title={
              <KeyedTitle name={text(app.name) || app.key} itemKey={app.key}>
                {app.status === 'draft' && <Tag color="gold">{t('admin.apps.draftOnly')}</Tag>}
              </KeyedTitle>
            }
            extra={
              <Space size={4} wrap>
                {app.status === 'published' && (
                  <Button size="small" icon={<DownloadOutlined />} href={exportUrl(app.key, false)} download={`${app.key}.tessera.json`} data-testid={`export-${app.key}`}>
                    {t('admin.apps.export')}
                  </Button>
                )}
                <Button size="small" href={exportUrl(app.key, true)} download={`${app.key}.draft.tessera.json`} data-testid={`export-draft-${app.key}`}>
                  {t('admin.apps.exportDraft')}
                </Button>
              </Space>
            }
          >
            <Collapse
              size="small"
              ghost
              items={[
                {
                  key: 'v',
                  label: (
                    <span data-testid={`versions-toggle-${app.key}`}>
                      <HistoryOutlined /> {t('admin.apps.versions')}
                    </span>
                  ),
                  children: <Versions app={app} />,
                },
              ]}
            />
          </Card>
        ))}
      </Space>
      {importing && <ImportModal onClose={() => setImporting(false)} />}
    </div>
  );
}
