// TEXT(value, format): the Excel format-code subset of engines/rules/expr/textformat.py.
import { parse } from './dates';
import { roundDecimal } from './values';

const NUMBER_FORMAT =
  /^(?<pre>[^#0,.%]*)(?<int>[#0,]*0)(?:\.(?<dec>0+))?(?<pct>%?)(?<post>[^#0,.%]*)$/;
const DATE_TOKEN = /yyyy|yy|mm|m|dd|d|hh|h|ss|s/gi;

export function formatValue(value: unknown, format: unknown): string | null {
  if (typeof format !== 'string' || value === null || value === undefined) return null;
  const numeric = NUMBER_FORMAT.exec(format);
  if (new RegExp(DATE_TOKEN.source, 'i').test(format) && !numeric) return formatDate(value, format);
  if (!numeric?.groups) return null;
  let number = Number(value);
  if (!Number.isFinite(number) || Math.abs(number) >= 1e15) return null;
  const g = numeric.groups;
  if (g.pct) number *= 100;
  const decimals = (g.dec ?? '').length;
  const rounded = roundDecimal(number, decimals, 'half');
  let body = Math.abs(rounded).toFixed(decimals);
  if (g.int.includes(',')) {
    const [whole, fraction] = body.split('.');
    body = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction !== undefined ? `.${fraction}` : '');
  }
  const sign = rounded < 0 ? '-' : '';
  return `${g.pre}${sign}${body}${g.pct}${g.post}`;
}

function formatDate(value: unknown, format: string): string | null {
  const parsed = parse(value);
  if (parsed === null) return null;
  const d = new Date(parsed.ms);
  const tokens = [...format.matchAll(DATE_TOKEN)].map((m) => ({
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
    token: m[0].toLowerCase(),
  }));
  const out: string[] = [];
  let last = 0;
  tokens.forEach(({ start, end, token }, index) => {
    out.push(format.slice(last, start));
    last = end;
    if (token === 'm' || token === 'mm') {
      const previous = index > 0 ? tokens[index - 1].token : '';
      const following = index + 1 < tokens.length ? tokens[index + 1].token : '';
      if (previous.startsWith('h') || following.startsWith('s')) {
        out.push(token === 'mm' ? pad(d.getUTCMinutes()) : String(d.getUTCMinutes()));
        return;
      }
    }
    out.push(datePart(d, token));
  });
  out.push(format.slice(last));
  return out.join('');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function datePart(d: Date, token: string): string {
  const table: Record<string, string> = {
    yyyy: pad(d.getUTCFullYear(), 4),
    yy: pad(d.getUTCFullYear() % 100),
    mm: pad(d.getUTCMonth() + 1),
    m: String(d.getUTCMonth() + 1),
    dd: pad(d.getUTCDate()),
    d: String(d.getUTCDate()),
    hh: pad(d.getUTCHours()),
    h: String(d.getUTCHours()),
    ss: pad(d.getUTCSeconds()),
    s: String(d.getUTCSeconds()),
  };
  return table[token];
}
