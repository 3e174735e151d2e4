import { isApiError } from '../api/errors';
import type { Translate } from '../i18n/I18nProvider';

/** A sentence a user can read for any failure, in the current language where we know the case. */
export function errorMessage(error: unknown, t: Translate): string {
  if (!isApiError(error)) return t('error.generic');
  if (error.status === 0) return t('error.network');
  if (error.status === 403) return t('error.forbidden');
  if (error.status >= 500) return t('error.generic');
  return error.problem.detail || error.problem.title || t('error.generic');
}
