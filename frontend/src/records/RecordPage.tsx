import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Skeleton, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/errors';
import { useRecord } from '../api/queries';
import '../fields/display';
import { recordTitle } from '../fields/context';
import { useI18n } from '../i18n/I18nProvider';
import { formatWhen } from '../lib/dates';
import { usePrefetchWhenIdle } from '../lib/whenIdle';
import { paths } from '../lib/paths';
import { useTitle } from '../lib/useTitle';
import { useDesktop } from '../lib/useDesktop';
import { PrintDialog } from '../related/PrintDialog';
import '../related/related.css';
import { RelatedTabs } from '../related/RelatedTabs';
import { can } from '../related/relations';
import { LoadError } from '../shell/LoadError';
import { NotFoundPage } from '../shell/NotFoundPage';
import { PageHeader } from '../shell/PageHeader';
import { useDeleteRecords } from '../shell/appContext';
import { HistoryTimeline } from './HistoryTimeline';
import { RecordDetails } from './RecordDetails';
import { useFormPage } from './useFormPage';

/**
 * The edit page's code (the form and every field editor), fetched once the browser is idle while
 * the person reads the record: the record page itself needs only the field types' display half
 * (fields/display.ts).
 */
const loadEditPage = () => import('./EditRecordPage');

/**
 * One record, the 360° view: its fields, the records that point at it (a tab per form and
 * relation), its history with restore, print. Buttons the caller's permissions would refuse are
 * not shown (the server refuses them anyway).
 */
export default function RecordPage() {
  const { t, text, locale } = useI18n();
  const { app, form, id } = useFormPage();
  const navigate = useNavigate();
  // the details in two columns from a tablet's width up, right on the first render (Grid.useBreakpoint
  // answers {} there: the ~400 cells of a large form were drawn in one column, then again in two)
  const desktop = useDesktop();
  const record = useRecord(app.key, form?.key ?? '', id);
  const deleteRecords = useDeleteRecords();
  usePrefetchWhenIdle(loadEditPage, Boolean(form && record.data && can(app, form.key, 'edit')));
  useTitle(form && record.data ? recordTitle(form, record.data) : undefined, form ? text(form.name) : undefined, text(app.name));
  if (!form) return <NotFoundPage detail={t('notFound.form')} />;
  if (record.isError) {
    if (isApiError(record.error) && record.error.status === 404) return <NotFoundPage detail={t('notFound.record')} />;
    return <LoadError error={record.error} onRetry={() => void record.refetch()} />;
  }
  const list = paths.list(app.key, form.key);
  const here = paths.record(app.key, form.key, id);
  const remove = () => void deleteRecords(form.key, [id], { thenGoTo: list, undoGoesTo: here });
  const may = (action: string) => can(app, form.key, action);

  return (
    <div className="page">
      <PageHeader
        title={record.data ? recordTitle(form, record.data) : text(form.name)}
        subtitle={text(form.name)}
        onBack={() => navigate(list)}
        extra={
          <Space wrap>
            {may('print') && <PrintDialog app={app.key} form={form} id={id} />}
            {may('delete') && (
              <Button danger icon={<DeleteOutlined />} onClick={remove} disabled={!record.data} data-testid="record-delete">
                {t('action.delete')}
              </Button>
            )}
            {may('edit') && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(paths.edit(app.key, form.key, id))} disabled={!record.data} data-testid="record-edit">
                {t('action.edit')}
              </Button>
            )}
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <div className="record-main">
            <Card variant="borderless" title={t('record.details')}>
              {record.isPending ? (
                <Skeleton active />
              ) : (
                <>
                  <RecordDetails form={form} record={record.data} columns={desktop ? 2 : 1} />
                  <Typography.Text type="secondary" className="record-meta">
                    {t('record.created', { when: formatWhen(record.data._created_at, locale) })}
                    {record.data._updated_at && ` · ${t('record.updated', { when: formatWhen(record.data._updated_at, locale) })}`}
                  </Typography.Text>
                </>
              )}
            </Card>
            <RelatedTabs app={app} form={form} id={id} />
          </div>
        </Col>
        <Col xs={24} lg={8}>
          <Card variant="borderless" title={t('record.history')}>
            <HistoryTimeline app={app.key} form={form} id={id} current={record.data?._version} canRestore={may('edit')} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
