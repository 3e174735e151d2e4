import { useEffect, useRef, useState } from 'react';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Image, Space, Typography, Upload, type UploadFile } from 'antd';
import type { FieldDef } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { errorMessage } from '../../lib/errorMessage';
import { fileUrl, idList as fileIds } from '../files';
import { useUpload } from '../context';
import { registerFieldType, type FieldInputProps, type FieldTypeUI } from '../registry';


/** Uploads to /files as soon as a file is picked; the field keeps the ids. */
function FilesInput({ field, value, onChange, id, disabled }: FieldInputProps<string[]>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const upload = useUpload(field);
  const [names, setNames] = useState<Record<string, string>>({});
  const [uploading, setUploading] = useState(0);
  // a picture just picked is shown from the browser's copy: a public fill page has no download
  const [previews, setPreviews] = useState<Record<string, string>>({});
  const made = useRef<string[]>([]);
  useEffect(() => () => made.current.forEach((url) => URL.revokeObjectURL(url)), []);
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
    thumbUrl: image ? (previews[fileId] ?? fileUrl(fileId)) : undefined,
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
          const uploaded = await upload(body);
          setNames((all) => ({ ...all, [uploaded.id]: uploaded.name }));
          if (image && typeof URL.createObjectURL === 'function') {
            const preview = URL.createObjectURL(file as Blob);
            made.current.push(preview);
            setPreviews((all) => ({ ...all, [uploaded.id]: preview }));
          }
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
  Input: FilesInput,
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
