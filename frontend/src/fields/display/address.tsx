/**
 * How an address looks: in Chinese, the server's `text`; in English, the regions' English names
 * (from `GET /regions/names`, one request a day per language shared by every address on the
 * page) and the detail line as it was typed. The stored value is the same in both languages.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { registerFieldType } from '../registry';

/** The stored value (engines/form/types/places.py): short codes plus a detail line; `text` is derived by the server. */
export interface AddressValue {
  province?: string | null;
  city?: string | null;
  district?: string | null;
  detail?: string | null;
  text?: string | null;
}

export const LEVELS = ['province', 'city', 'district'] as const;
export type Level = (typeof LEVELS)[number];
export const levelOfCode = (code: string): Level => (code.length <= 2 ? 'province' : code.length <= 4 ? 'city' : 'district');

/** The chosen codes from province down (a municipality's district follows its province directly). */
export const addressPath = (value: AddressValue | null | undefined): string[] =>
  LEVELS.map((level) => value?.[level]).filter((code): code is string => typeof code === 'string' && code !== '');

/**
 * The name tables fetched so far, by language: an address drawn once its language's table is
 * here is plain text (which a list cell also uses as its tooltip), with no query per cell.
 */
const namesByLocale = new Map<string, Record<string, string>>();

/**
 * Every region's name by code in the UI's language. The table changes only with a server
 * upgrade: fetched once per language (the server lets the browser keep it a day), never per cell.
 */
export function useRegionNames({ enabled = true }: { enabled?: boolean } = {}) {
  const { locale } = useI18n();
  return useQuery({
    queryKey: ['regions', 'names', locale],
    queryFn: async ({ signal }) => {
      const answer = await api.get<{ names: Record<string, string> }>('/regions/names', undefined, signal);
      namesByLocale.set(locale, answer.names);
      return answer;
    },
    select: (data) => data.names,
    staleTime: Infinity,
    gcTime: Infinity,
    enabled,
  });
}

/**
 * An address as one line: with `names` (a code -> name table), "Guangdong / Shenzhen / Nanshan
 * District, 1 Keji Road"; without, the server's text (the codes when even that is missing).
 */
export function addressText(address: AddressValue, names?: Record<string, string>): string {
  const path = addressPath(address);
  if (!names || path.length === 0) return address.text ?? path.join(' ');
  const regions = path.map((code) => names[code] ?? code).join(' / ');
  const detail = (address.detail ?? '').trim();
  return detail ? `${regions}, ${detail}` : regions;
}

/** An address by its codes' names: the stored text until they arrive (or if they can't). */
function TranslatedAddress({ address }: { address: AddressValue }) {
  return <>{addressText(address, useRegionNames().data)}</>;
}

registerFieldType({
  type: 'address',
  wide: true,
  sortable: false,
  valueKind: 'none',
  columnWidth: 240,
  // the server derives `text` again; sending the editor's copy would only be stale
  toApi: (value) => {
    const { text: _text, ...rest } = value as AddressValue;
    return addressPath(rest).length || (rest.detail ?? '').trim() ? rest : null;
  },
  display: (value, _field, ctx) => {
    const address = value as AddressValue | null;
    if (!address || typeof address !== 'object') return '';
    // Chinese needs no lookup: the stored text is already the names; codes without a text are
    // looked up too
    if ((ctx?.locale === 'en' || !address.text) && addressPath(address).length) {
      const names = namesByLocale.get(ctx?.locale);
      return names ? addressText(address, names) : <TranslatedAddress address={address} />;
    }
    return addressText(address);
  },
});
