import { describe, expect, it } from 'vitest';
import { mapLink, outOfChina, wgs84ToGcj02 } from './geo';

/** Metres between two nearby points (equirectangular approximation: plenty at this scale). */
function metres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

describe('WGS-84 to GCJ-02', () => {
  it('shifts a point in mainland China by the usual few hundred metres', () => {
    const gps = { lng: 116.397428, lat: 39.90923 }; // Tiananmen
    const shifted = wgs84ToGcj02(gps.lng, gps.lat);
    const offset = metres(gps, shifted);
    expect(offset).toBeGreaterThan(100);
    expect(offset).toBeLessThan(1000);
    // the shift is north-east around Beijing
    expect(shifted.lng).toBeGreaterThan(gps.lng);
    expect(shifted.lat).toBeGreaterThan(gps.lat);
  });

  it('leaves points outside China as they are', () => {
    expect(outOfChina(13.405, 52.52)).toBe(true);
    expect(wgs84ToGcj02(13.405, 52.52)).toEqual({ lng: 13.405, lat: 52.52 });
  });

  it('links to a map that reads the same datum', () => {
    expect(mapLink(116.4, 39.9, '天安门')).toBe('https://uri.amap.com/marker?position=116.4,39.9&name=%E5%A4%A9%E5%AE%89%E9%97%A8&coordinate=gaode');
    expect(mapLink(13.405, 52.52)).toContain('openstreetmap.org/?mlat=52.52&mlon=13.405');
  });
});
