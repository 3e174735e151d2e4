/** How member and department ids look: the people's (or departments') names. */
import type { ReactNode } from 'react';
import { useUsers } from '../../api/queries';
import { idList } from '../files';
import { registerFieldType, type FieldTypeUI } from '../registry';

function MemberNames({ ids }: { ids: string[] }) {
  const users = useUsers().data ?? [];
  const names = ids.map((id) => {
    const user = users.find((u) => u.id === id);
    return user ? user.name || user.email : id.slice(0, 8);
  });
  return <>{names.join(', ')}</>;
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
