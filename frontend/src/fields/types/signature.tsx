import { useCallback, useEffect, useRef, useState } from 'react';
import { ClearOutlined, CheckOutlined, EditOutlined, UndoOutlined } from '@ant-design/icons';
import { App, Button, Space, Typography } from 'antd';
import type SignaturePad from 'signature_pad';
import type { FieldDef } from '../../api/types';
import type { Translate } from '../../i18n/I18nProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { errorMessage } from '../../lib/errorMessage';
import { fileUrl } from '../files';
import { useUpload } from '../context';
import { PENDING_SIGNATURE } from '../display/signature';
import { registerFieldEditor, type FieldInputProps } from '../registry';

const PAD_HEIGHT = 180;

/** Sizes the canvas to its box in device pixels (sharp lines on phones), keeping the strokes. */
function fitCanvas(canvas: HTMLCanvasElement, pad: SignaturePad | null) {
  const ratio = Math.max(window.devicePixelRatio || 1, 1);
  const width = canvas.offsetWidth;
  if (!width || canvas.width === Math.round(width * ratio)) return;
  const strokes = pad?.toData() ?? [];
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(PAD_HEIGHT * ratio);
  canvas.getContext('2d')?.scale(ratio, ratio);
  pad?.clear();
  if (strokes.length) pad?.fromData(strokes);
}

const canvasBlob = (canvas: HTMLCanvasElement) =>
  new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('empty canvas'))), 'image/png'),
  );

/** Draw with a mouse, finger or pen; "Use this signature" uploads the PNG and keeps its file id. */
function SignatureInput({ field, value, onChange, id, disabled }: FieldInputProps<string>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const upload = useUpload(field);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const [strokes, setStrokes] = useState(0);
  const [uploading, setUploading] = useState(false);
  const signed = typeof value === 'string' && value !== '' && value !== PENDING_SIGNATURE;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const sync = useCallback(() => {
    const count = padRef.current?.toData().length ?? 0;
    setStrokes(count);
    onChangeRef.current?.(count ? PENDING_SIGNATURE : null);
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (signed || !canvas) return undefined;
    let cancelled = false;
    const resize = () => fitCanvas(canvas, padRef.current);
    // the pad library loads with the first signature field, not with every form
    void import('signature_pad').then(({ default: Pad }) => {
      if (cancelled) return;
      fitCanvas(canvas, null);
      const pad = new Pad(canvas, { backgroundColor: 'rgb(255,255,255)', penColor: '#1f1f1f', minWidth: 0.8, maxWidth: 2.6 });
      pad.addEventListener('endStroke', sync);
      padRef.current = pad;
      setStrokes(0);
    });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(resize);
    observer?.observe(canvas);
    return () => {
      cancelled = true;
      observer?.disconnect();
      padRef.current?.off();
      padRef.current = null;
    };
  }, [signed, sync]);

  useEffect(() => {
    if (disabled) padRef.current?.off();
    else padRef.current?.on();
  }, [disabled]);

  const undo = () => {
    const pad = padRef.current;
    if (!pad) return;
    const data = pad.toData();
    data.pop();
    pad.fromData(data);
    sync();
  };
  const clear = () => {
    padRef.current?.clear();
    sync();
  };
  const keep = async () => {
    const canvas = canvasRef.current;
    if (!canvas || !padRef.current || padRef.current.isEmpty()) return;
    setUploading(true);
    try {
      const body = new FormData();
      body.append('file', new File([await canvasBlob(canvas)], `${field.key}.png`, { type: 'image/png' }));
      const uploaded = await upload(body);
      onChange?.(uploaded.id);
    } catch (error) {
      message.error(errorMessage(error, t));
    } finally {
      setUploading(false);
    }
  };

  if (signed) {
    return (
      <div className="stacked-input signature-input" id={id}>
        <img className="signature-image" src={fileUrl(value)} alt={t('fields.signature.image')} data-testid={`signature-image-${field.key}`} />
        <div>
          <Button icon={<EditOutlined />} disabled={disabled} onClick={() => onChange?.(null)}>
            {t('fields.signature.again')}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="stacked-input signature-input">
      <canvas
        ref={canvasRef}
        id={id}
        className="signature-pad"
        style={{ height: PAD_HEIGHT }}
        role="img"
        aria-label={t('fields.signature.canvas')}
        data-testid={`signature-pad-${field.key}`}
      />
      <Typography.Text type="secondary">{t('fields.signature.hint')}</Typography.Text>
      <Space wrap>
        <Button icon={<UndoOutlined />} disabled={disabled || strokes === 0} onClick={undo}>
          {t('fields.signature.undo')}
        </Button>
        <Button icon={<ClearOutlined />} disabled={disabled || strokes === 0} onClick={clear}>
          {t('fields.signature.clear')}
        </Button>
        <Button
          type="primary"
          ghost
          icon={<CheckOutlined />}
          disabled={disabled || strokes === 0}
          loading={uploading}
          onClick={() => void keep()}
          data-testid={`signature-done-${field.key}`}
        >
          {t('fields.signature.done')}
        </Button>
      </Space>
    </div>
  );
}

registerFieldEditor('signature', {
  Input: SignatureInput,
  rules: (_field: FieldDef, t: Translate) => [
    {
      validator: async (_rule, value: unknown) => {
        if (value === PENDING_SIGNATURE) throw new Error(t('fields.signature.pending'));
      },
    },
  ],
});
