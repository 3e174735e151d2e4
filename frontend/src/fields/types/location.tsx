import { useState } from 'react';
import { AimOutlined } from '@ant-design/icons';
import { Button, InputNumber, Space, Typography } from 'antd';
import type { FieldDef } from '../../api/types';
import type { Translate } from '../../i18n/I18nProvider';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages';
import { wgs84ToGcj02 } from '../geo';
import { Coordinates, hasPoint, type LocationValue } from '../display/location';
import { registerFieldEditor, type FieldInputProps } from '../registry';
import { PartInput } from './text';

const GEO_ERRORS: Record<number, MessageKey> = {
  1: 'fields.location.denied',
  2: 'fields.location.unavailable',
  3: 'fields.location.timeout',
};

/** Asks the browser where it is; the answer (or why not) goes to `done`. */
function locate(done: (point: { lng: number; lat: number; accuracy: number } | MessageKey) => void) {
  if (typeof navigator === 'undefined' || !navigator.geolocation || window.isSecureContext === false) {
    done('fields.location.unsupported');
    return;
  }
  navigator.geolocation.getCurrentPosition(
    ({ coords }) => {
      const point = wgs84ToGcj02(coords.longitude, coords.latitude);
      done({ lng: Number(point.lng.toFixed(7)), lat: Number(point.lat.toFixed(7)), accuracy: coords.accuracy });
    },
    (error) => done(GEO_ERRORS[error.code] ?? 'fields.location.unavailable'),
    { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
  );
}

/** "Use my location" or coordinates typed by hand; no map tiles (private deployments are often offline). */
function LocationInput({ field, value, onChange, id, disabled }: FieldInputProps<LocationValue>) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [accuracy, setAccuracy] = useState<number | null>(null);

  const emit = (next: LocationValue) => {
    const empty = next.lat == null && next.lng == null && !(next.address ?? '').trim();
    onChange?.(empty ? null : next);
  };
  const axis = (key: 'lat' | 'lng', limit: number) => (
    <InputNumber<number>
      id={key === 'lat' ? id : undefined}
      aria-label={t(key === 'lat' ? 'fields.location.lat' : 'fields.location.lng')}
      placeholder={t(key === 'lat' ? 'fields.location.lat' : 'fields.location.lng')}
      data-testid={`location-${key}-${field.key}`}
      disabled={disabled}
      min={-limit}
      max={limit}
      step={0.000001}
      inputMode="decimal"
      value={value?.[key] ?? null}
      style={{ width: '100%' }}
      onChange={(number) => {
        setAccuracy(null);
        emit({ ...(value ?? {}), [key]: typeof number === 'number' ? number : null });
      }}
    />
  );

  return (
    <div className="stacked-input location-input">
      <div className="location-input__row">
        <Button
          icon={<AimOutlined />}
          loading={busy}
          disabled={disabled}
          onClick={() => {
            setBusy(true);
            setProblem(null);
            locate((answer) => {
              setBusy(false);
              if (typeof answer === 'string') {
                setProblem(answer);
                return;
              }
              setAccuracy(Math.round(answer.accuracy));
              emit({ ...(value ?? {}), lng: answer.lng, lat: answer.lat });
            });
          }}
        >
          {busy ? t('fields.location.locating') : t('fields.location.locate')}
        </Button>
        {axis('lat', 90)}
        {axis('lng', 180)}
      </div>
      {problem && (
        <Typography.Text type="warning" role="alert">
          {t(problem)}
        </Typography.Text>
      )}
      <PartInput
        label={t('fields.location.address')}
        value={value?.address}
        disabled={disabled}
        testId={`location-address-${field.key}`}
        onChange={(address) => emit({ ...(value ?? {}), address })}
      />
      {hasPoint(value) && (
        <Space size={8} wrap>
          <Coordinates value={value} />
          {accuracy !== null && <Typography.Text type="secondary">{t('fields.location.accuracy', { meters: accuracy })}</Typography.Text>}
        </Space>
      )}
    </div>
  );
}

registerFieldEditor('location', {
  Input: LocationInput,
  rules: (_field: FieldDef, t: Translate) => [
    {
      validator: async (_rule, value: LocationValue | null | undefined) => {
        if (value == null || hasPoint(value)) return;
        if (value.lat == null && value.lng == null && !(value.address ?? '').trim()) return;
        throw new Error(t('fields.location.both'));
      },
    },
  ],
});
