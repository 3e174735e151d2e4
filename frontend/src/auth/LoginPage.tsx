import { useEffect, useState } from 'react';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../api/errors';
import { authApi, keys } from '../api/queries';
import { useI18n, type Translate } from '../i18n/I18nProvider';
import { errorMessage } from '../lib/errorMessage';
import { safeNext } from '../lib/paths';
import { useTitle } from '../lib/useTitle';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { Logo } from '../shell/Logo';
import type { LoginState } from './RequireAuth';

interface Credentials {
  email: string;
  password: string;
}

function loginErrorMessage(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    if (error.status === 429 || error.code === 'too_many_attempts') return t('login.throttled');
    if (error.status === 401 || error.status === 400 || error.status === 422) return t('login.badCredentials');
  }
  return errorMessage(error, t);
}

export default function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const state = (useLocation().state ?? {}) as LoginState;
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState(state);
  useTitle(t('login.submit'));

  // Whoever signs in next must not see the previous session's data. Done here, once the
  // signed-in pages have unmounted, so none of them refetches and redirects over this page.
  useEffect(() => {
    queryClient.clear();
  }, [queryClient]);

  const login = useMutation({
    mutationFn: ({ email, password }: Credentials) => authApi.login(email.trim(), password),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.me });
      navigate(safeNext(search.get('next')), { replace: true });
    },
  });

  const submit = (values: Credentials) => {
    setNotice({});
    login.mutate(values);
  };

  const banner = login.isError
    ? { type: 'error' as const, text: loginErrorMessage(login.error, t) }
    : notice.expired
      ? { type: 'warning' as const, text: t('login.sessionExpired') }
      : notice.signedOut
        ? { type: 'success' as const, text: t('login.signedOut') }
        : null;

  return (
    <main className="login-page">
      <div className="login-page__lang">
        <LanguageSwitch />
      </div>
      <Card className="login-card" variant="borderless">
        <div className="login-card__brand">
          <Logo size={40} />
          <Typography.Title level={1} className="heading-as-h3" style={{ margin: '16px 0 4px' }}>
            {t('login.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
        </div>
        {banner && (
          <Alert type={banner.type} title={banner.text} showIcon role="alert" style={{ marginBottom: 16 }} />
        )}
        <Form<Credentials> layout="vertical" requiredMark={false} onFinish={submit} disabled={login.isPending}>
          <Form.Item
            name="email"
            label={t('login.email')}
            rules={[
              { required: true, whitespace: true, message: t('login.emailRequired') },
              { type: 'email', message: t('login.emailInvalid') },
            ]}
          >
            <Input prefix={<MailOutlined />} type="email" autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
