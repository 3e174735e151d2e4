/** How a location looks: its address, its coordinates and a link to a map. */
import { EnvironmentOutlined } from '@ant-design/icons';
import { Space, Typography } from 'antd';
import { useI18n } from '../../i18n/I18nProvider';
import { mapLink } from '../geo';
import { registerFieldType } from '../registry';

/** The stored value (engines/form/types/places.py): a point, GCJ-02 in mainland China, with an optional address. */
export interface LocationValue {
  lng?: number | null;
  lat?: number | null;
  address?: string | null;
}

export const hasPoint = (value: LocationValue | null | undefined): value is { lng: number; lat: number; address?: string | null } =>
  typeof value?.lng === 'number' && typeof value?.lat === 'number';

export function Coordinates({ value }: { value: { lng: number; lat: number; address?: string | null } }) {
  const { t } = useI18n();
  return (
    <Space size={8} wrap>
      <Typography.Text type="secondary" data-testid="location-coordinates">
        {value.lat.toFixed(6)}, {value.lng.toFixed(6)}
      </Typography.Text>
      <Typography.Link href={mapLink(value.lng, value.lat, value.address)} target="_blank" rel="noreferrer noopener">
        <EnvironmentOutlined /> {t('fields.location.openMap')}
      </Typography.Link>
    </Space>
  );
}

registerFieldType({
  type: 'location',
  wide: true,
  sortable: false,
  valueKind: 'none',
  columnWidth: 220,
  toApi: (value) => {
    const point = value as LocationValue;
    const address = (point.address ?? '').trim() || null;
    if (point.lat == null && point.lng == null && !address) return null;
    return { lng: point.lng ?? null, lat: point.lat ?? null, address };
  },
  display: (value, _field, ctx) => {
    const point = value as LocationValue | null;
    if (!hasPoint(point)) return '';
    if (ctx.compact) return point.address || `${point.lat.toFixed(5)}, ${point.lng.toFixed(5)}`;
    return (
      <div>
        {point.address && <div>{point.address}</div>}
        <Coordinates value={point} />
      </div>
    );
  },
});
