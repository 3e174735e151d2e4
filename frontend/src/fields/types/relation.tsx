import { useContext, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { recordsApi } from '../../api/queries';
import { useI18n } from '../../i18n/I18nProvider';
import { useDebounced } from '../../lib/useDebounced';
import { recordTitle, TitlesContext, titleFieldOf, useAppDefinition } from '../context';
import { LazyControl, type Activation } from '../lazy';
import { useRelationTitle } from '../display/relation';
import { ariaOf, registerFieldEditor, type FieldInputProps } from '../registry';

const SEARCH_LIMIT = 20;

interface RelationPickerProps extends FieldInputProps<string> {
  how: Activation;
  /** the current value's title, when known */
  currentTitle?: string;
}

/** The search: a Select over the target form's records, found by their title field through the list API. */
function RelationPicker({ field, value, onChange, id, disabled, how, currentTitle, ...aria }: RelationPickerProps) {
  const { t, text } = useI18n();
  const app = useAppDefinition();
  const target = app.definition.forms.find((form) => form.key === field.target);
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Record<string, string>>({});
  const query = useDebounced(search.trim());
  const titleField = target ? titleFieldOf(target) : undefined;

  const results = useQuery({
    queryKey: ['relation-options', app.key, field.target, query],
    enabled: Boolean(target),
    queryFn: ({ signal }) =>
      recordsApi.list(
        app.key,
        target!.key,
        {
          filter: query && titleField ? JSON.stringify({ contains: [{ var: titleField }, query] }) : undefined,
          limit: SEARCH_LIMIT,
        },
        signal,
      ),
  });

  const options = useMemo(() => {
    const found = (results.data?.items ?? []).map((record) => ({
      value: record._id,
      label: target ? recordTitle(target, record) : record._id,
    }));
    if (value && !found.some((option) => option.value === value)) {
      found.unshift({ value, label: picked[value] ?? currentTitle ?? value });
    }
    return found;
  }, [results.data, target, value, picked, currentTitle]);

  return (
    <Select
      id={id}
      {...ariaOf(aria)}
      {...how}
      value={value ?? undefined}
      disabled={disabled || !target}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      loading={results.isFetching}
      placeholder={text(field.placeholder) || t('form.search')}
      notFoundContent={results.isFetching ? undefined : t('list.noMatch')}
      options={options}
      style={{ width: '100%' }}
      onChange={(next, option) => {
        if (next && option && !Array.isArray(option)) setPicked((all) => ({ ...all, [next]: String(option.label) }));
        setSearch('');
        onChange?.(next ?? null);
      }}
    />
  );
}

/**
 * Picks a record of the target form. In a record form the search (and its list request) starts
 * only when the field is first focused or pressed; until then its look-alike shows the title.
 */
function RelationSelect(props: FieldInputProps<string>) {
  const { field, value, id, disabled } = props;
  const { t, text } = useI18n();
  const app = useAppDefinition();
  const titles = useContext(TitlesContext);
  const target = app.definition.forms.find((form) => form.key === field.target);
  const currentTitle = useRelationTitle(app.key, field.target, value ?? undefined, titles[field.key]);
  return (
    <LazyControl
      kind="select"
      id={id}
      disabled={disabled || !target}
      shown={value ? [currentTitle ?? value] : []}
      placeholder={text(field.placeholder) || t('form.search')}
      aria={ariaOf(props)}
    >
      {(how) => <RelationPicker {...props} how={how} currentTitle={currentTitle} />}
    </LazyControl>
  );
}

registerFieldEditor('relation', { Input: RelationSelect, fills: true });
