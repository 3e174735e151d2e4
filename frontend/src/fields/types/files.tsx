import { PaperClipOutlined } from '@ant-design/icons';
import { Space, Typography } from 'antd';
import { API_BASE } from '../../api/client';
import { registerFieldType, type FieldTypeUI } from '../registry';

const fileIds = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).filter((id): id is string => typeof id === 'string');

/**
 * Files (attachment, image, signature) hold ids of uploaded files: shown as links to them.
 * Uploading from the form is not built yet, so the form shows them read-only.
 */
const files = (type: string): FieldTypeUI => ({
  type,
  sortable: false,
  valueKind: 'none',
  columnWidth: 120,
  readOnlyHint: 'form.notEditable',
  display: (value, _field, { t }) => {
    const ids = fileIds(value);
    if (ids.length === 0) return '';
    return (
      <Space size={8} wrap>
        {ids.map((id, index) => (
          <Typography.Link key={id} href={`${API_BASE}/files/${encodeURIComponent(id)}`} target="_blank" rel="noreferrer">
            <PaperClipOutlined /> {t('form.file', { n: index + 1 })}
          </Typography.Link>
        ))}
      </Space>
    );
  },
});

registerFieldType(files('attachment'));
registerFieldType(files('image'));
registerFieldType(files('signature'));
