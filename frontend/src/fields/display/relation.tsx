/** How a relation looks: a link to the related record, named by its title. */
import { useQuery } from '@tanstack/react-query';
import { Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { recordQuery, useApp } from '../../api/queries';
import { paths } from '../../lib/paths';
import { recordTitle } from '../context';
import { registerFieldType } from '../registry';

/**
 * The related record's title: the one the API sent in `_titles` when it did, else read from the
 * related record itself (one cached request per record).
 */
export function useRelationTitle(app: string | undefined, target: string | undefined, id: string | undefined, known: string | undefined) {
  const definition = useApp(app ?? '').data?.definition;
  const targetForm = definition?.forms.find((form) => form.key === target);
  const related = useQuery({
    ...recordQuery(app ?? '', target ?? '', id ?? ''),
    enabled: Boolean(app && target && id && !known),
    staleTime: 60_000,
  });
  if (known) return known;
  return related.data && targetForm ? recordTitle(targetForm, related.data) : undefined;
}

/** A link to the related record; the app is the one in the URL. */
function RelationLink({ target, id, title }: { target?: string; id: string; title?: string }) {
  const app = useParams().app;
  const shown = useRelationTitle(app, target, id, title) ?? id.slice(0, 8);
  if (!target || !app) return <>{shown}</>;
  return <Link to={paths.record(app, target, id)}>{shown}</Link>;
}

registerFieldType({
  type: 'relation',
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
