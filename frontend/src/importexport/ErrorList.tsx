import { useI18n } from '../i18n/I18nProvider';
import type { CellError } from './api';

/** The first problems as "Row 4 · 明细.数量: …", readable without pointing at a cell. */
export default function ErrorList({ errors, testId = 'import-errors' }: { errors: CellError[]; testId?: string }) {
  const { t } = useI18n();
  if (errors.length === 0) return null;
  return (
    <ul className="io-errors" data-testid={testId}>
      {errors.slice(0, 10).map((e, i) => (
        <li key={i}>
          {t('io.row')} {e.row}
          {e.column ? ` · ${e.column}` : ''}: {e.message}
        </li>
      ))}
    </ul>
  );
}
