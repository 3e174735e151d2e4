import { Form, Select, Typography, type FormInstance } from 'antd';
import { isApiError } from '../api/errors';
import { problemPath } from '../form/serverErrors';
import type { Translate } from '../i18n/I18nProvider';
import { useI18n } from '../i18n/I18nProvider';

/**
 * The sites a public link lets frame its form (`embed_origins`, see
 * platform/tessera/publiclinks/embedding.py): typed as tags, one site each, checked by the
 * server, which stores them as origins and names each bad entry by its place.
 */
export function EmbedOriginsItem({ testId }: { testId: string }) {
  const { t } = useI18n();
  return (
    <Form.Item name="embed_origins" label={t('links.embedLabel')} extra={t('links.embedHelp')}>
      <Select
        mode="tags"
        open={false}
        suffixIcon={null}
        tokenSeparators={[',', ' ', '\n']}
        placeholder={t('links.embedPlaceholder')}
        aria-label={t('links.embedLabel')}
        data-testid={testId}
      />
    </Form.Item>
  );
}

/**
 * Puts the server's refusals of sites on the field, in the user's language: the server says
 * which entry (`embed_origins[2]`) and why (`invalid_origin`, `too_many_origins`). Returns
 * whether the error was only about the sites.
 */
export function showEmbedErrors(form: FormInstance, error: unknown, sites: string[], t: Translate): boolean {
  if (!isApiError(error) || error.errors.length === 0) return false;
  const messages: string[] = [];
  for (const problem of error.errors) {
    const [head, index] = problemPath(problem.path ?? '');
    if (head !== 'embed_origins') return false;
    messages.push(
      problem.code === 'too_many_origins'
        ? t('links.embedTooMany')
        : t('links.embedInvalid', { site: typeof index === 'number' ? (sites[index] ?? '') : '' }),
    );
  }
  form.setFields([{ name: 'embed_origins', errors: messages }]);
  return true;
}

/** The HTML a site's page needs to show the form: an iframe of the link's address. */
export function embedCode(url: string, title: string): string {
  const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${attribute(url)}" title="${attribute(title)}" width="100%" height="900" style="border:0" loading="lazy"></iframe>`;
}

/** The embed code of a just-made link, to copy (its address is shown only this once). */
export function EmbedCode({ url, title }: { url: string; title: string }) {
  const { t } = useI18n();
  const code = embedCode(url, title);
  return (
    <div className="links-embed" data-testid="link-embed-code">
      <Typography.Text strong>{t('links.embedCode')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
        {t('links.embedCodeHelp')}
      </Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: code, tooltips: [t('links.embedCopy'), t('links.copied')] }} code className="links-created">
        {code}
      </Typography.Paragraph>
    </div>
  );
}
