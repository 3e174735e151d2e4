/** How a signature looks: the signed image. */
import { useI18n } from '../../i18n/I18nProvider';
import { fileUrl, idList } from '../files';
import { registerFieldType } from '../registry';

/**
 * The form's value while strokes are on the pad but not yet kept: never sent (toApi makes it
 * null) and refused by the field's rule, so a drawn but unconfirmed signature can't vanish silently.
 */
export const PENDING_SIGNATURE = 'pending:signature';

function SignatureImage({ fileId, compact }: { fileId: string; compact?: boolean }) {
  const { t } = useI18n();
  return (
    <img
      className={compact ? 'signature-image signature-image--compact' : 'signature-image'}
      src={fileUrl(fileId)}
      alt={t('fields.signature.image')}
    />
  );
}

registerFieldType({
  type: 'signature',
  sortable: false,
  valueKind: 'none',
  columnWidth: 120,
  toApi: (value) => (value === PENDING_SIGNATURE ? null : value),
  display: (value, _field, ctx) => {
    const [fileId] = idList(value === PENDING_SIGNATURE ? null : value);
    return fileId ? <SignatureImage fileId={fileId} compact={ctx.compact} /> : '';
  },
});
