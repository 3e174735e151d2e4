import { useUsers } from '../../api/queries';
import { useI18n } from '../../i18n/I18nProvider';
import { useOptionSelect } from './choice';
import { idList } from '../files';
import '../display/member';
import { registerFieldEditor, type FieldInputProps } from '../registry';

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
  return useOptionSelect({
    ...props,
    multiple: field.type === 'members',
    loading: users.isPending,
    options,
    placeholder: field.default_current ? t('form.defaultsToYou') : text(field.placeholder) || t('form.select'),
  });
}

registerFieldEditor('member', { Input: MemberInput, fills: true });
registerFieldEditor('members', { Input: MemberInput, fills: true });
