import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fieldType } from '../registry';
import { fieldBox, l, renderFields, saveAndRead } from './fieldTestKit';
import { I18nProvider } from '../../i18n/I18nProvider';

const LOCATION = { key: 'spot', type: 'location', label: l('Spot', '位置') };

function stubGeolocation(answer: { coords: { latitude: number; longitude: number; accuracy: number } } | { code: number }) {
  const getCurrentPosition = vi.fn((ok: PositionCallback, fail: PositionErrorCallback) =>
    'coords' in answer ? ok(answer as GeolocationPosition) : fail(answer as GeolocationPositionError),
  );
  vi.stubGlobal('navigator', { ...navigator, geolocation: { getCurrentPosition } });
  return getCurrentPosition;
}

afterEach(() => vi.unstubAllGlobals());

describe('location field', () => {
  it('takes coordinates and an address typed by hand', async () => {
    const { onSubmit } = renderFields([LOCATION]);
    fireEvent.change(screen.getByTestId('location-lat-spot'), { target: { value: '22.5431' } });
    fireEvent.change(screen.getByTestId('location-lng-spot'), { target: { value: '113.9345' } });
    await userEvent.type(screen.getByTestId('location-address-spot'), 'Shenzhen Bay');
    expect(screen.getByTestId('location-coordinates')).toHaveTextContent('22.543100, 113.934500');
    expect(within(fieldBox('spot')).getByRole('link', { name: /Open in a map/ })).toHaveAttribute(
      'href',
      expect.stringContaining('uri.amap.com/marker?position=113.9345,22.5431'),
    );
    expect(await saveAndRead(onSubmit)).toEqual({ spot: { lng: 113.9345, lat: 22.5431, address: 'Shenzhen Bay' } });
  });

  it('refuses half a point', async () => {
    const { onSubmit } = renderFields([LOCATION]);
    fireEvent.change(screen.getByTestId('location-lat-spot'), { target: { value: '22.5' } });
    await userEvent.click(screen.getByTestId('form-save'));
    expect(await screen.findByText('Enter both latitude and longitude')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("fills the browser's position, moved to the datum of Chinese maps", async () => {
    stubGeolocation({ coords: { latitude: 39.90923, longitude: 116.397428, accuracy: 12.4 } });
    const { onSubmit } = renderFields([LOCATION]);
    await userEvent.click(screen.getByRole('button', { name: /Use my location/ }));
    expect(await screen.findByText('accurate to about 12 m')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('form-save'));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    const sent = onSubmit.mock.calls[0][0].spot as { lng: number; lat: number; address: null };
    expect(sent.address).toBeNull();
    expect(sent.lng).toBeCloseTo(116.4036, 3);
    expect(sent.lat).toBeCloseTo(39.9106, 3);
  });

  it('says clearly when the position is refused or unavailable', async () => {
    stubGeolocation({ code: 1 });
    renderFields([LOCATION]);
    await userEvent.click(screen.getByRole('button', { name: /Use my location/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Location access was denied');
  });

  it('says so when the browser has no geolocation at all', async () => {
    vi.stubGlobal('navigator', { ...navigator, geolocation: undefined });
    renderFields([LOCATION], { locale: 'zh-CN' });
    await userEvent.click(screen.getByRole('button', { name: /使用我的位置/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('手动输入经纬度');
  });

  it('displays the address, the coordinates and a link out, or one line in a list', () => {
    const value = { lng: 113.9345, lat: 22.5431, address: 'Shenzhen Bay' };
    const display = fieldType('location').display;
    expect(display(value, LOCATION, { compact: true } as never)).toBe('Shenzhen Bay');
    render(<I18nProvider locale="en">{display(value, LOCATION, {} as never)}</I18nProvider>);
    expect(screen.getByText('Shenzhen Bay')).toBeInTheDocument();
    expect(screen.getByText('22.543100, 113.934500')).toBeInTheDocument();
  });
});
