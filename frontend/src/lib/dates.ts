import dayjs from 'dayjs';
import type { Locale } from '../i18n/locale';

/** A timestamp as people read it in the current language. */
export function formatWhen(iso: string | undefined | null, locale: Locale): string {
  if (!iso) return '';
  const moment = dayjs(iso);
  if (!moment.isValid()) return iso;
  return moment.format(locale === 'zh-CN' ? 'YYYY年M月D日 HH:mm' : 'MMM D, YYYY HH:mm');
}
