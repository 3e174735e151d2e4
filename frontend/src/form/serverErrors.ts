import type { FieldProblem } from '../api/errors';

export type NamePath = (string | number)[];

/** "data.items[2].qty" -> ["items", 2, "qty"]; the leading "data" is the request's envelope. */
export function problemPath(path: string): NamePath {
  const parts: NamePath = [];
  for (const token of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(token);
    if (!match) return [path];
    if (match[1]) parts.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts[0] === 'data' ? parts.slice(1) : parts;
}

export interface PlacedErrors {
  /** errors that name an editor on screen, ready for antd's form.setFields */
  fields: { name: NamePath; errors: string[] }[];
  /** the rest (a whole row, an unknown or hidden field, the record itself) */
  general: { path: NamePath; message: string }[];
}

/**
 * Splits the server's field errors into those an editor can show and the rest.
 * `hasField` answers whether a name path is an editor currently rendered.
 */
export function placeErrors(problems: FieldProblem[], hasField: (name: NamePath) => boolean): PlacedErrors {
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const general: PlacedErrors['general'] = [];
  for (const problem of problems) {
    const name = problemPath(problem.path ?? '');
    if (name.length > 0 && hasField(name)) {
      const key = JSON.stringify(name);
      const entry = byField.get(key) ?? { name, errors: [] };
      entry.errors.push(problem.message);
      byField.set(key, entry);
    } else {
      general.push({ path: name, message: problem.message });
    }
  }
  return { fields: [...byField.values()], general };
}
