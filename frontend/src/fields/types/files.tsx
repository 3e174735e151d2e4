import { useEffect, useRef, useState } from 'react';
import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Upload, type UploadFile } from 'antd';
import { useI18n } from '../../i18n/I18nProvider';
import { errorMessage } from '../../lib/errorMessage';
import { fileUrl, idList as fileIds } from '../files';
import { useUpload } from '../context';
import '../display/files';
import { registerFieldEditor, type FieldInputProps } from '../registry';

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

registerFieldEditor('attachment', { Input: FilesInput });
registerFieldEditor('image', { Input: FilesInput });
