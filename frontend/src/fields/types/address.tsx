import { useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Cascader } from 'antd';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { RegionsPathContext } from '../context';
import { LazyControl } from '../lazy';
import { addressPath, LEVELS, levelOfCode, type AddressValue, type Level } from '../display/address';
import { ariaOf, registerFieldEditor, type FieldInputProps } from '../registry';
import { PartInput } from './text';

/** One division of the region tree as `GET /regions?parent=` lists it. */
export interface Region {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district';
  leaf: boolean;
}

const NO_LEVELS: Record<string, Region[]> = {};

/**
 * Loads one level of the tree on demand, named in the UI's language (the server answers the
 * request's Accept-Language); levels already fetched stay cached for the session, per language.
 */
function useRegionLevels(initialPath: string[]) {
  const path = useContext(RegionsPathContext);
  const { locale } = useI18n();
  const queryClient = useQueryClient();
  const [byLocale, setByLocale] = useState<Record<string, Record<string, Region[]>>>({});
  const [failed, setFailed] = useState(false);

  const load = useCallback(
    async (parent: string) => {
      try {
        const answer = await queryClient.fetchQuery({
          queryKey: ['regions', path, locale, parent],
          queryFn: ({ signal }) => api.get<{ items: Region[] }>(path, { parent }, signal),
          staleTime: Infinity,
        });
        setByLocale((all) => ({ ...all, [locale]: { ...all[locale], [parent]: answer.items } }));
        setFailed(false);
      } catch {
        setFailed(true);
      }
    },
    [path, locale, queryClient],
  );
  const levels = byLocale[locale] ?? NO_LEVELS;

  // the provinces, and every level above the value's last code, so a stored address shows names
  const prefixes = ['', ...initialPath.slice(0, -1)].join('|');
  useEffect(() => {
    for (const parent of prefixes.split('|')) void load(parent);
  }, [load, prefixes]);

  return { levels, load, failed };
}

interface CascaderOption {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: CascaderOption[];
}

/** The names of the chosen regions as far as their levels are loaded (a code until then). */
function regionNames(chosen: string[], levels: Record<string, Region[]>): string[] {
  return chosen.map((code, index) => levels[index === 0 ? '' : chosen[index - 1]]?.find((region) => region.code === code)?.name ?? code);
}

/** Region (a cascader that mounts when first focused or pressed, fields/lazy.tsx) and detail line. */
function AddressInput({ field, value, onChange, id, disabled, ...aria }: FieldInputProps<AddressValue>) {
  const { t } = useI18n();
  const chosen = addressPath(value);
  const { levels, load, failed } = useRegionLevels(chosen);
  const deepest = LEVELS.indexOf((field.level as Level | undefined) ?? 'district');
  const withDetail = field.detail !== false;

  const options = useMemo(() => {
    const build = (parent: string): CascaderOption[] | undefined =>
      levels[parent]?.map((region) => {
        const isLeaf = region.leaf || LEVELS.indexOf(region.level) >= deepest;
        return { value: region.code, label: region.name, isLeaf, children: isLeaf ? undefined : build(region.code) };
      });
    return build('') ?? [];
  }, [levels, deepest]);

  const emit = (next: AddressValue) => {
    const empty = addressPath(next).length === 0 && !(next.detail ?? '').trim();
    onChange?.(empty ? null : next);
  };

  return (
    <div className="stacked-input">
      <LazyControl
        kind="select"
        rootClass="ant-cascader"
        id={id}
        disabled={disabled}
        shown={chosen.length ? [regionNames(chosen, levels).join(' / ')] : []}
        placeholder={t('fields.address.region')}
        aria={{ ...ariaOf(aria), 'aria-label': t('fields.address.region') }}
      >
        {(how) => (
          <Cascader<CascaderOption>
            id={id}
            {...ariaOf(aria)}
            {...how}
            disabled={disabled}
            options={options}
            value={chosen}
            placeholder={t('fields.address.region')}
            aria-label={t('fields.address.region')}
            status={failed ? 'warning' : undefined}
            notFoundContent={failed ? t('fields.address.loadFailed') : undefined}
            loadData={(selected) => void load(selected[selected.length - 1].value)}
            // an address may stop above the required level only where the tree ends; the server checks
            changeOnSelect={false}
            allowClear
            style={{ width: '100%' }}
            onChange={(codes) => {
              const next: AddressValue = { province: null, city: null, district: null, detail: value?.detail ?? null };
              for (const code of (codes ?? []) as string[]) next[levelOfCode(code)] = code;
              emit(next);
            }}
          />
        )}
      </LazyControl>
      {withDetail && (
        <PartInput
          label={t('fields.address.detail')}
          value={value?.detail}
          disabled={disabled}
          testId={`address-detail-${field.key}`}
          onChange={(detail) => emit({ ...(value ?? {}), detail })}
        />
      )}
    </div>
  );
}

registerFieldEditor('address', { Input: AddressInput });
