import { useMemo, type ReactNode } from 'react';
import { useUsers } from '../../api/queries';
import type { FieldDef } from '../../api/types';
import { useDepartmentList } from './department';
import { LookupContext } from './lookupContext';

const MEMBER = new Set(['member', 'members']);
const DEPARTMENT = new Set(['department', 'departments']);

/**
 * One subscription to the members (and departments) for every cell of a list showing `fields`:
 * fetched only when a member (department) field is among them, as the cells did. When the
 * answer arrives only the cells showing names draw again, not the rows.
 */
export function LookupProvider({ fields, children }: { fields: FieldDef[]; children: ReactNode }) {
  const members = fields.some((field) => MEMBER.has(field.type));
  const departments = fields.some((field) => DEPARTMENT.has(field.type));
  const users = useUsers({ enabled: members }).data;
  const units = useDepartmentList({ enabled: departments }).data;
  const value = useMemo(
    () => ({
      users: members ? (users ? new Map(users.map((user) => [user.id, user])) : null) : undefined,
      departments: departments ? (units ? new Map(units.map((unit) => [unit.id, unit])) : null) : undefined,
    }),
    [members, departments, users, units],
  );
  return <LookupContext.Provider value={value}>{children}</LookupContext.Provider>;
}
