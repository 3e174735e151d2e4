/** How member and department ids look: the people's (or departments') names. */
import { useContext, type ReactNode } from 'react';
import { useUsers } from '../../api/queries';
import type { User } from '../../api/types';
import { LookupContext } from './lookupContext';
import { idList } from '../files';
import { registerFieldType, type FieldTypeUI } from '../registry';

const memberName = (id: string, user: User | undefined) => (user ? user.name || user.email : id.slice(0, 8));

function OwnMemberNames({ ids }: { ids: string[] }) {
  const users = useUsers().data ?? [];
  return <>{ids.map((id) => memberName(id, users.find((u) => u.id === id))).join(', ')}</>;
}

/**
 * The people's names: from the list's one lookup when it provides the members (no query
 * observer per cell), else from a query of its own.
 */
function MemberNames({ ids }: { ids: string[] }) {
  const shared = useContext(LookupContext)?.users;
  if (shared === undefined) return <OwnMemberNames ids={ids} />;
  return <>{ids.map((id) => memberName(id, shared?.get(id))).join(', ')}</>;
}

/**
 * Fields holding ids of the tenant's members or departments: names to show (a picker edits them, types/).
 * Not sortable: the server refuses ordering by an opaque id (engines/form/types/ids.py).
 */
export const idPickerType = (type: string, Names: (props: { ids: string[] }) => ReactNode): FieldTypeUI => ({
  type,
  sortable: false,
  valueKind: 'none',
  columnWidth: 150,
  display: (value) => {
    const ids = idList(value);
    return ids.length ? <Names ids={ids} /> : '';
  },
});

registerFieldType(idPickerType('member', MemberNames));
registerFieldType(idPickerType('members', MemberNames));
