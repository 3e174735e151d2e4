import { useCallback, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { CheckCircleFilled, LockOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Result, Typography } from 'antd';
import { useParams } from 'react-router';
import { ApiError, isApiError } from '../api/errors';
import type { AppDetail, FormDef, LocaleText, RecordData } from '../api/types';
import '../fields';
import { RegionsPathContext, UploadTargetContext, type UploadTarget } from '../fields/context';
import { RecordForm } from '../form/RecordForm';
import { useI18n, type Translate } from '../i18n/I18nProvider';
import { formatWhen } from '../lib/dates';
import { useTitle } from '../lib/useTitle';
import { FullPageSpinner } from '../shell/FullPageSpinner';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { Logo } from '../shell/Logo';
import { publicApi, type PublicForm } from './api';
import './public.css';

/** Why a link cannot be filled, by the API's stable codes; null: not a link problem. */
export function linkProblem(error: unknown): 'notFound' | 'disabled' | 'expired' | 'closed' | 'tooMany' | null {
  if (!isApiError(error)) return null;
  switch (error.code) {
    case 'link_not_found':
      return 'notFound';
    case 'link_disabled':
      return 'disabled';
    case 'link_expired':
      return 'expired';
    case 'link_owner_inactive':
    case 'link_owner_not_allowed':
      return 'closed';
    case 'too_many_submissions':
      return 'tooMany';
    default:
      return error.status === 404 ? 'notFound' : error.status === 410 ? 'disabled' : null;
  }
}

const needsPassword = (error: unknown) => isApiError(error) && (error.code === 'password_required' || error.code === 'wrong_password');

/** The same error with a sentence in the visitor's language, for RecordForm to show. */
function translated(error: ApiError, t: Translate): ApiError {
  const key = error.code === 'too_many_submissions' ? 'public.tooManyBody' : needsPassword(error) ? 'public.passwordChanged' : null;
  return key ? new ApiError(error.status, { ...error.problem, detail: t(key) }) : error;
}

/** RecordForm works inside an app; a public link brings just one form of it. */
function appOf(data: PublicForm): AppDetail {
  return {
    key: data.app.key,
    name: data.app.name,
    version: '',
    status: 'published',
    published_at: null,
    has_draft: false,
    formula_trees: data.formula_trees,
    definition: { format: 'tessera.app/1', key: data.app.key, name: data.app.name, version: '', forms: [data.form] },
  };
}

function PasswordPrompt({ wrong, checking, onSubmit }: { wrong: boolean; checking: boolean; onSubmit: (password: string) => void }) {
  const { t } = useI18n();
  return (
    <Card variant="borderless" className="public-card public-card--narrow" data-testid="public-password">
      <Result
        icon={<LockOutlined />}
        title={t('public.passwordTitle')}
        subTitle={t('public.passwordBody')}
        extra={
          <Form layout="vertical" onFinish={({ password }: { password: string }) => onSubmit(password)} className="public-password">
            <Form.Item
              name="password"
              label={t('public.password')}
              rules={[{ required: true, message: t('public.passwordRequired') }]}
              validateStatus={wrong ? 'error' : undefined}
              help={wrong ? t('public.wrongPassword') : undefined}
            >
              <Input.Password autoFocus autoComplete="off" data-testid="public-password-input" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={checking} data-testid="public-password-submit">
              {t('public.open')}
            </Button>
          </Form>
        }
      />
    </Card>
  );
}

function Problem({ kind, onRetry }: { kind: NonNullable<ReturnType<typeof linkProblem>>; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <Card variant="borderless" className="public-card public-card--narrow" data-testid={`public-${kind}`}>
      <Result
        status={kind === 'notFound' ? '404' : kind === 'tooMany' ? 'warning' : 'info'}
        title={t(`public.${kind}Title`)}
        subTitle={t(`public.${kind}Body`)}
        extra={kind === 'tooMany' ? <Button onClick={onRetry}>{t('action.retry')}</Button> : undefined}
      />
    </Card>
  );
}

/**
 * A public fill link (外链填写), for anyone holding its URL: the form without the shell and
 * without signing in, the password first when the link has one, a thank-you once sent, and a
 * clear page when the link no longer works.
 */
export default function PublicFormPage() {
  const { t, text, locale } = useI18n();
  const token = useParams().token ?? '';
  const [password, setPassword] = useState<string>();
  const [sent, setSent] = useState(0); // submissions made on this visit; > 0 shows the thank-you
  const [thanks, setThanks] = useState(false);
  const [gone, setGone] = useState<unknown>(null);
  const link = useQuery({
    queryKey: ['public-link', token, password ?? ''],
    queryFn: ({ signal }) => publicApi.get(token, password, signal),
    retry: false,
    staleTime: Infinity,
  });
  const app = useMemo(() => (link.data ? appOf(link.data) : undefined), [link.data]);
  useTitle(link.data ? text(link.data.form.name) : t('public.title'), link.data ? text(link.data.app.name) : undefined);

  // the file editors upload through the link (a visitor has no session for POST /files)
  const upload = useCallback<UploadTarget>((body, field) => publicApi.upload(token, field, body, password), [token, password]);

  const submit = async (data: Record<string, unknown>): Promise<RecordData> => {
    try {
      const made = await publicApi.submit(token, data, password);
      return { _id: made._id, _version: 1 };
    } catch (error) {
      if (isApiError(error) && linkProblem(error) && linkProblem(error) !== 'tooMany') setGone(error);
      throw isApiError(error) ? translated(error, t) : error;
    }
  };

  let body;
  const failure = gone ?? link.error;
  const retry = () => {
    setGone(null);
    setPassword(undefined);
    void link.refetch();
  };
  if (link.isPending && password === undefined) {
    body = <FullPageSpinner />;
  } else if (needsPassword(link.error) || link.isPending) {
    const wrong = isApiError(link.error) && link.error.code === 'wrong_password';
    body = <PasswordPrompt wrong={wrong} checking={link.isFetching} onSubmit={setPassword} />;
  } else if (linkProblem(failure)) {
    body = <Problem kind={linkProblem(failure)!} onRetry={retry} />;
  } else if (link.isError) {
    body = (
      <Card variant="borderless" className="public-card public-card--narrow">
        <Result status="warning" title={t('error.loadFailed')} subTitle={t('error.network')} extra={<Button onClick={() => void link.refetch()}>{t('action.retry')}</Button>} />
      </Card>
    );
  } else if (thanks) {
    body = (
      <Card variant="borderless" className="public-card public-card--narrow" data-testid="public-thanks">
        <Result
          icon={<CheckCircleFilled className="public-thanks__icon" />}
          title={t('public.thanksTitle')}
          subTitle={t('public.thanksBody')}
          extra={
            <Button type="primary" onClick={() => setThanks(false)} data-testid="public-again">
              {t('public.again')}
            </Button>
          }
        />
      </Card>
    );
  } else {
    const description = text((link.data.form as FormDef & { description?: LocaleText }).description);
    body = (
      <Card variant="borderless" className="public-card">
        <Typography.Title level={1} className="public-card__title heading-as-h3">
          {text(link.data.form.name)}
        </Typography.Title>
        {description && <Typography.Paragraph type="secondary">{description}</Typography.Paragraph>}
        {link.data.expires_at && (
          <Typography.Paragraph type="secondary" className="public-card__expiry">
            {t('public.openUntil', { when: formatWhen(link.data.expires_at, locale) })}
          </Typography.Paragraph>
        )}
        <UploadTargetContext.Provider value={upload}>
          {/* the members' /regions needs a session; the link has its own door to the same tree */}
          <RegionsPathContext.Provider value={`/public/${token}/regions`}>
            <RecordForm
              key={sent}
              app={app!}
              form={link.data.form}
              onSubmit={submit}
              submitLabel="action.submit"
              onSaved={() => {
                setSent((n) => n + 1);
                setThanks(true);
              }}
            />
          </RegionsPathContext.Provider>
        </UploadTargetContext.Provider>
      </Card>
    );
  }

  return (
    <div className="public-page" data-testid="public-page">
      <header className="public-page__bar">
        <Typography.Text strong ellipsis className="public-page__app">
          {link.data ? text(link.data.app.name) : t('public.title')}
        </Typography.Text>
        <LanguageSwitch />
      </header>
      <main className="public-page__main">{body}</main>
      <footer className="public-page__footer">
        <Logo size={16} /> {t('public.poweredBy')}
      </footer>
    </div>
  );
}
