import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Modal, Skeleton, Tag, Typography } from 'antd';
import { api } from '../api/client';
import type { AppDefinition } from '../api/types';
import { keys } from '../api/queries';
import { useI18n } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { adminKeys } from './api';
import { planNames, planText, type Worded } from './planText';

interface PlanStep extends Worded {
  op: string;
  table: string;
  cost: string;
  /** the server's English text (for scripts); the dialog words the step from `code` */
  description: string;
  field?: string;
}

export interface Plan {
  summary: string;
  steps?: PlanStep[];
  blockers?: ({ path: string; code: string; message: string } & Worded)[];
}

const appPath = (app: string) => `/apps/${encodeURIComponent(app)}`;

/** Everything the admin area shows about an app's definition: refreshed after a publish. */
export function invalidateApp(queryClient: ReturnType<typeof useQueryClient>, app: string) {
  for (const queryKey of [keys.app(app), keys.apps, adminKeys.draft(app), adminKeys.roles(app), adminKeys.versions(app)]) {
    void queryClient.invalidateQueries({ queryKey });
  }
}

/**
 * The last step of every definition change made here: what publishing the draft would do to
 * the tables (GET /plan), a warning when the draft carries changes made elsewhere, then publish.
 * "Later" keeps the saved draft unpublished.
 */
export function PublishDialog({ app, otherChanges, onClose }: { app: string; otherChanges: boolean; onClose: () => void }) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  // the draft names the forms and fields the plan's steps speak of by key
  const draft = useQuery({
    queryKey: adminKeys.draft(app),
    queryFn: ({ signal }) => api.get<AppDefinition | null>(`${appPath(app)}/draft`, undefined, signal),
  });
  const words = (item: Worded) => planNames(item, draft.data, text, t);
  const plan = useQuery({
    queryKey: ['admin', 'plan', app],
    queryFn: ({ signal }) => api.get<Plan>(`${appPath(app)}/plan`, undefined, signal),
    gcTime: 0,
  });
  const publish = useMutation({
    mutationFn: () => api.post<{ version: number }>(`${appPath(app)}/publish`),
    onSuccess: (result) => {
      invalidateApp(queryClient, app);
      void message.success(t('admin.publish.done', { version: result.version }));
      onClose();
    },
  });
  const blocked = (plan.data?.blockers?.length ?? 0) > 0;
  return (
    <Modal
      open
      title={t('admin.publish.title')}
      onCancel={onClose}
      onOk={() => publish.mutate()}
      okText={t('admin.publish.now')}
      cancelText={t('admin.publish.later')}
      confirmLoading={publish.isPending}
      okButtonProps={{ disabled: !plan.isSuccess || blocked, 'data-testid': 'publish-confirm' }}
      cancelButtonProps={{ 'data-testid': 'publish-later' }}
    >
      <div data-testid="publish-dialog">
        <Typography.Paragraph>{t('admin.publish.saved')}</Typography.Paragraph>
        {otherChanges && <Alert type="warning" showIcon title={t('admin.publish.otherChanges')} style={{ marginBottom: 12 }} data-testid="publish-other-changes" />}
        {plan.isPending && <Skeleton active paragraph={{ rows: 2 }} />}
        {plan.isError && <Alert type="error" showIcon title={errorMessage(plan.error, t)} />}
        {plan.isSuccess &&
          (plan.data.steps?.length ? (
            <section className="publish-steps" data-testid="publish-steps" aria-labelledby="publish-steps-title">
              <Typography.Text strong id="publish-steps-title">
                {t('admin.publish.steps')}
              </Typography.Text>
              <ul>
                {plan.data.steps.map((step, index) => (
                  <li key={`${step.table}:${step.code ?? step.op}:${step.field ?? index}`}>
                    {planText('step', step, step.description, t, words(step))}{' '}
                    {step.cost !== 'instant' && <Tag color={step.cost === 'job' ? 'orange' : 'blue'}>{t(step.cost === 'job' ? 'admin.publish.costJob' : 'admin.publish.costIndex')}</Tag>}
                  </li>
                ))}
              </ul>
            </section>
          ) : (
            <Typography.Paragraph type="secondary" data-testid="publish-no-steps">
              {t('admin.publish.noSteps')}
            </Typography.Paragraph>
          ))}
        {blocked && (
          <Alert
            type="error"
            showIcon
            title={t('admin.publish.blocked')}
            description={
              <ul className="admin__problems">
                {plan.data?.blockers?.map((b) => (
                  <li key={b.path + b.code}>
                    <Typography.Text code>{b.path}</Typography.Text> {planText('blocker', b, b.message, t)}
                  </li>
                ))}
              </ul>
            }
          />
        )}
        {publish.isError && <Alert type="error" showIcon title={errorMessage(publish.error, t)} style={{ marginTop: 12 }} />}
      </div>
    </Modal>
  );
}
