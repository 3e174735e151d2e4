/** How a relation looks: a link to the related record, named by its title. */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { recordQuery, useApp } from '../../api/queries';
import { paths } from '../../lib/paths';
import { recordTitle } from '../context';
import { registerFieldType } from '../registry';
import { kitOf, type CellLinks } from './kit';

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
function LinkTo({ target, id, shown }: { target?: string; id: string; shown: string }) {
  const app = useParams().app;
  if (!target || !app) return <>{shown}</>;
  return <Link to={paths.record(app, target, id)}>{shown}</Link>;
}

/** A related record whose title the API did not send: read once from the record itself. */
function LookedUpLink({ target, id }: { target?: string; id: string }) {
  const app = useParams().app;
  const shown = useRelationTitle(app, target, id, undefined) ?? id.slice(0, 8);
  return <LinkTo target={target} id={id} shown={shown} />;
}

/**
 * A list cell usually knows the title (`_titles`): then no query observer and no app lookup
 * per cell — a list page mounts fifty of these at once.
 */
function RelationLink({ target, id, title }: { target?: string; id: string; title?: string }) {
  return title ? <LinkTo target={target} id={id} shown={title} /> : <LookedUpLink target={target} id={id} />;
}

/**
 * What react-router's Link draws and does, from a function: an anchor to the path; a plain
 * click (main button, no modifier, not prevented) navigates in the app, replacing the entry when
 * it is the page already shown; any other click is the browser's (a new tab…).
 */
function plainLink(links: CellLinks, target: string, id: string, shown: string) {
  const to = paths.record(links.app, target, id);
  return (
    <a
      href={to}
      data-discover="true"
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        const { pathname, search, hash } = window.location;
        void links.navigate(to, { replace: pathname + search + hash === to });
      }}
    >
      {shown}
    </a>
  );
}

registerFieldType({
  type: 'relation',
  // several records: a link table (engines/form/types/relation.py in_child_table)
  inChildTable: (field) => Boolean(field.multiple),
  sortable: false,
  valueKind: 'none',
  columnWidth: 180,
  display: (value, field, ctx) => {
    if (typeof value !== 'string' || !value) return '';
    // a list that passed its app and navigate: a known title is a plain link, no component
    const links = kitOf(ctx)?.links;
    return (
      // Typography.Text's markup: its component mounts an ellipsis measurer with a resize
      // observer even with no ellipsis, once per cell of a list
      <span className="ant-typography">
        {links && field.target && ctx.title ? (
          plainLink(links, field.target, value, ctx.title)
        ) : (
          <RelationLink target={field.target} id={value} title={ctx.title} />
        )}
      </span>
    );
  },
});
