import { useRef, useState } from 'react';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Space, Typography, Upload, type UploadFile } from 'antd';
import { api, API_BASE } from '../../api/client';
import type { FieldDef } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { errorMessage } from '../../lib/errorMessage';
import { registerFieldType, type FieldInputProps, type FieldTypeUI } from '../registry';

const fileIds = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).filter((id): id is string => typeof id === 'string');
const fileUrl = (id: string) => `${API_BASE}/files/${encodeURIComponent(id)}`;

interface Uploaded {
  id: string;
  name: string;
}

/** Uploads to /files as soon as a file is picked; the field keeps the ids. */
function FilesInput({ field, value, onChange, id, disabled }: FieldInputProps<string[]>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [names, setNames] = useState<Record<string, string>>({});
  const [uploading, setUploading] = useState(0);
  const ids = fileIds(value);
  // several uploads may finish in any order: each appends to the latest list, not its own copy
  const latest = useRef(ids);
  latest.current = ids;
  const image = field.type === 'image';
  const max = typeof field.max_files === 'number' ? field.max_files : undefined;
  const accept = image ? 'image/*' : Array.isArray(field.accept) ? field.accept.join(',') : undefined;
  const fileList: UploadFile[] = ids.map((fileId, index) => ({
    uid: fileId,
    name: names[fileId] ?? t('form.file', { n: index + 1 }),
    status: 'done',
    url: fileUrl(fileId),
    thumbUrl: image ? fileUrl(fileId) : undefined,
  }));

  return (
    <Upload
      id={id}
      multiple
      disabled={disabled}
      accept={accept}
      listType={image ? 'picture' : 'text'}
      fileList={fileList}
      onRemove={(file) => onChange?.(latest.current.filter((fileId) => fileId !== file.uid))}
      customRequest={async ({ file, onSuccess, onError }) => {
        const body = new FormData();
        body.append('file', file as Blob);
        setUploading((n) => n + 1);
        try {
          const uploaded = await api.upload<Uploaded>('/files', body);
          setNames((all) => ({ ...all, [uploaded.id]: uploaded.name }));
          latest.current = [...latest.current, uploaded.id];
          onChange?.(latest.current);
          onSuccess?.(uploaded);
        } catch (error) {
          message.error(errorMessage(error, t));
          onError?.(error as Error);
        } finally {
          setUploading((n) => n - 1);
        }
      }}
    >
      {(max === undefined || ids.length < max) && (
        <Button icon={<UploadOutlined />} loading={uploading > 0} disabled={disabled}>
          {t('form.upload')}
        </Button>
      )}
    </Upload>
  );
}

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

/** Files hold ids of uploaded files (attachment and image: a list; signature: one). */
const files = (type: string, editable: boolean): FieldTypeUI => ({
  type,
  Input: editable ? FilesInput : undefined,
  sortable: false,
  valueKind: 'none',
  columnWidth: 120,
  blank: editable ? [] : undefined,
  readOnlyHint: 'form.notEditable',
  display: (value: unknown, _field: FieldDef) => {
    const ids = fileIds(value);
    return ids.length ? <FileLinks ids={ids} /> : '';
  },
});

registerFieldType(files('attachment', true));
registerFieldType(files('image', true));
// drawing a signature needs a canvas pad: shown, not yet signed here
registerFieldType(files('signature', false));
