import { useContext, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { recordsApi } from '../../api/queries';
import { useI18n } from '../../i18n/I18nProvider';
import { paths } from '../../lib/paths';
import { useDebounced } from '../../lib/useDebounced';
import { recordTitle, TitlesContext, titleFieldOf, useAppDefinition } from '../context';
import { registerFieldType, type FieldInputProps } from '../registry';

const SEARCH_LIMIT = 20;

/** Picks a record of the target form, searching its title field through the list API. */
function RelationSelect({ field, value, onChange, id, disabled }: FieldInputProps<string>) {
  const { t, text } = useI18n();
  const app = useAppDefinition();
  const titles = useContext(TitlesContext);
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
      found.unshift({ value, label: picked[value] ?? titles[field.key] ?? value });
    }
    return found;
  }, [results.data, target, value, picked, titles, field.key]);

  return (
    <Select
      id={id}
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

/** A link to the related record; the app is the one in the URL. */
function RelationLink({ target, id, title }: { target?: string; id: string; title?: string }) {
  const app = useParams().app;
  if (!target || !app) return <>{title ?? id}</>;
  return <Link to={paths.record(app, target, id)}>{title ?? id}</Link>;
}

registerFieldType({
  type: 'relation',
  Input: RelationSelect,
  sortable: false,
  valueKind: 'none',
  columnWidth: 180,
  display: (value, field, ctx) =>
    typeof value === 'string' && value ? (
      <Typography.Text>
        <RelationLink target={field.target} id={value} title={ctx.title} />
      </Typography.Text>
    ) : (
      ''
    ),
});
