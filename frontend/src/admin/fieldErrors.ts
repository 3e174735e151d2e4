import type { FormInstance } from 'antd';
import { isApiError } from '../api/errors';
import { problemPath } from '../form/serverErrors';

/**
 * Puts a failed request's field errors on the form's fields (`names` are the fields on screen).
 * Returns false when some error had no field to go to, so the caller shows it as a message.
 */
export function showFieldErrors(form: FormInstance, error: unknown, names: string[]): boolean {
  if (!isApiError(error) || error.errors.length === 0) return false;
  const placed = new Map<string, string[]>();
  let unplaced = false;
  for (const problem of error.errors) {
    const head = problemPath(problem.path ?? '')[0];
    if (typeof head === 'string' && names.includes(head)) {
      placed.set(head, [...(placed.get(head) ?? []), problem.message]);
    } else {
      unplaced = true;
    }
  }
  form.setFields([...placed].map(([name, errors]) => ({ name, errors })));
  return !unplaced;
}
