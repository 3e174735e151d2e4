/**
 * `?prefill={"field": value}` on the new-record page (read there by the record pages), where a
 * calendar day sends the user with its date already chosen.
 */
export function prefillUrl(base: string, values: Record<string, unknown>): string {
  return `${base}?prefill=${encodeURIComponent(JSON.stringify(values))}`;
}
