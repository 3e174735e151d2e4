/** How files look: links to attachments, thumbnails of images (opening full size). */
import { PaperClipOutlined } from '@ant-design/icons';
import { Image, Space, Typography } from 'antd';
import type { FieldDef } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { fileUrl, idList as fileIds } from '../files';
import { registerFieldType, type FieldTypeUI } from '../registry';

function FileLinks({ ids }: { ids: string[] }) {
  const { t } = useI18n();
  return (
    <Space size={8} wrap>
      {ids.map((fileId, index) => (
        <Typography.Link key={fileId} href={fileUrl(fileId)} target="_blank" rel="noreferrer">
          <PaperClipOutlined /> {t('form.file', { n: index + 1 })}
        </Typography.Link>
      ))}
    </Space>
  );
}

/** Images as thumbnails that open full size (antd's preview), the server making each thumbnail once. */
function Thumbnails({ ids, compact }: { ids: string[]; compact?: boolean }) {
  const { t } = useI18n();
  const size = compact ? 28 : 96;
  return (
    <Image.PreviewGroup>
      <Space size={compact ? 4 : 8} wrap>
        {ids.map((fileId, index) => (
          <Image
            key={fileId}
            width={size}
            height={size}
            style={{ objectFit: 'cover', borderRadius: 4 }}
            src={`${fileUrl(fileId)}/thumbnail?size=${compact ? 64 : 256}`}
            preview={{ src: fileUrl(fileId) }}
            alt={t('form.file', { n: index + 1 })}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** Files hold ids of uploaded files (attachment and image: a list; the signature pad: signature.tsx). */
const files = (type: string): FieldTypeUI => ({
  type,
  sortable: false,
  valueKind: 'none',
  columnWidth: 120,
  blank: [],
  display: (value: unknown, _field: FieldDef, ctx) => {
    const ids = fileIds(value);
    if (!ids.length) return '';
    return type === 'image' ? <Thumbnails ids={ids} compact={ctx.compact} /> : <FileLinks ids={ids} />;
  },
});

registerFieldType(files('attachment'));
registerFieldType(files('image'));
