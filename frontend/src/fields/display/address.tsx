/** How an address looks: the server's text, or the chosen region codes. */
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
  display: (value) => {
    const address = value as AddressValue | null;
    if (!address || typeof address !== 'object') return '';
    return address.text ?? addressPath(address).join(' ');
  },
});
