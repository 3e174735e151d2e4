/**
 * The tenant's members and departments by id, looked up once for a whole list (LookupProvider)
 * instead of by a query observer and a linear search in every member or department cell. Its own
 * module: member.tsx and department.tsx read it, and the provider imports their queries.
 */
import { createContext } from 'react';
import type { User } from '../../api/types';
import type { DepartmentItem } from './department';

export interface Lookups {
  /** undefined: not provided (the cell asks itself); null: not loaded yet */
  users?: Map<string, User> | null;
  departments?: Map<string, DepartmentItem> | null;
}

export const LookupContext = createContext<Lookups | null>(null);
