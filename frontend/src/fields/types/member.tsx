import type { ReactNode } from 'react';
import { useUsers } from '../../api/queries';
import { useI18n } from '../../i18n/I18nProvider';
import { OptionSelect } from './choice';
import { idList } from '../files';
import { registerFieldType, type FieldInputProps, type FieldTypeUI } from '../registry';

/**
 * Picks one member (member) or several (members) of the tenant, found by name or e-mail.
 * Disabled members are not offered, but one already chosen stays shown by name.
 */
function MemberInput({ field, ...props }: FieldInputProps<string | string[]>) {
  const { t, text } = useI18n();
  const users = useUsers();
  const chosen = new Set(idList(props.value));
  const options = (users.data ?? [])
    .filter((user) => (user as { is_active?: boolean }).is_active !== false || chosen.has(user.id))
    .map((user) => ({ value: user.id, label: user.name || user.email, hint: user.name ? user.email : undefined, search: `${user.name} ${user.email}` }));
  return (
    <OptionSelect
      {...props}
      multiple={field.type === 'members'}
      loading={users.isPending}
      options={options}
      placeholder={field.default_current ? t('form.defaultsToYou') : text(field.placeholder) || t('form.select')}
    />
  );
}

function MemberNames({ ids }: { ids: string[] }) {
  const users = useUsers().data ?? [];
  const names = ids.map((id) => {
    const user = users.find((u) => u.id === id);
    return user ? user.name || user.email : id.slice(0, 8);
  });
  return <>{names.join(', ')}</>;
}

/**
 * Fields holding ids of the tenant's members or departments: a picker to edit, names to show.
 * Not sortable: the server refuses ordering by an opaque id (engines/form/types/ids.py).
 */
export const idPickerType = (
  type: string,
  Input: FieldTypeUI['Input'],
  Names: (props: { ids: string[] }) => ReactNode,
): FieldTypeUI => ({
  type,
  Input,
  sortable: false,
  valueKind: 'none',
  columnWidth: 150,
  display: (value) => {
    const ids = idList(value);
    return ids.length ? <Names ids={ids} /> : '';
  },
});

registerFieldType(idPickerType('member', MemberInput, MemberNames));
registerFieldType(idPickerType('members', MemberInput, MemberNames));
