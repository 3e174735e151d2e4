import { useUsers } from '../../api/queries';
import { useI18n } from '../../i18n/I18nProvider';
import { OptionSelect } from './choice';
import { registerFieldType, type FieldInputProps, type FieldTypeUI } from '../registry';

/** Picks one member (member) or several (members) of the tenant. */
function MemberInput({ field, ...props }: FieldInputProps<string | string[]>) {
  const { t, text } = useI18n();
  const users = useUsers();
  return (
    <OptionSelect
      {...props}
      multiple={field.type === 'members'}
      loading={users.isPending}
      options={(users.data ?? []).map((user) => ({ value: user.id, label: user.name || user.email }))}
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

const member = (type: string): FieldTypeUI => ({
  type,
  Input: MemberInput,
  sortable: type === 'member',
  valueKind: 'none',
  columnWidth: 140,
  display: (value) => {
    const ids = (Array.isArray(value) ? value : value ? [value] : []).filter((id): id is string => typeof id === 'string');
    return ids.length ? <MemberNames ids={ids} /> : '';
  },
});

registerFieldType(member('member'));
registerFieldType(member('members'));
