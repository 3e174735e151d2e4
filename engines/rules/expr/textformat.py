"""TEXT(value, format): the small, documented subset of Excel's format codes.

- numbers: `0`, `0.00`, `#,##0`, `#,##0.00`, `0%`, `0.0%`, with literal text around
  (`¥#,##0.00`, `0.0 kg`): decimals = digits after the point, `,` groups thousands, `%`
  multiplies by 100; rounding is half away from zero (Excel's).
- dates: `yyyy yy m mm d dd h hh mm ss` (`mm` after `h` or before `s` is minutes), other
  characters are kept (`yyyy年m月d日`).
Any other format, or a value that does not fit it, gives null.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import dates
from .values import to_number

_NUMBER_FORMAT = re.compile(
    r"(?P<pre>[^#0,.%]*)(?P<int>[#0,]*0)(?:\.(?P<dec>0+))?(?P<pct>%?)(?P<post>[^#0,.%]*)\Z"
)
_DATE_TOKEN = re.compile(r"yyyy|yy|mm|m|dd|d|hh|h|ss|s", re.IGNORECASE)


def format_value(value: Any, fmt: Any) -> str | None:
    if not isinstance(fmt, str) or value is None:
        return None
    if _DATE_TOKEN.search(fmt) and not _NUMBER_FORMAT.match(fmt):
        return _format_date(value, fmt)
    match = _NUMBER_FORMAT.match(fmt)
    if not match:
        return None
    number = to_number(value)
    if math.isnan(number) or math.isinf(number) or abs(number) >= 1e15:
        return None
    if match.group("pct"):
        number *= 100
    decimals = len(match.group("dec") or "")
    exact = Decimal(repr(number)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    grouped = "," in match.group("int")
    body = f"{abs(exact):,.{decimals}f}" if grouped else f"{abs(exact):.{decimals}f}"
    sign = "-" if exact < 0 else ""
    return f"{match.group('pre')}{sign}{body}{match.group('pct')}{match.group('post')}"


def _format_date(value: Any, fmt: str) -> str | None:
    parsed = dates.parse(value)
    if parsed is None:
        return None
    moment = parsed if isinstance(parsed, dt.datetime) else dt.datetime.combine(parsed, dt.time())
    tokens = [(m.start(), m.end(), m.group(0).lower()) for m in _DATE_TOKEN.finditer(fmt)]
    out, last = [], 0
    for index, (start, end, token) in enumerate(tokens):
        out.append(fmt[last:start])
        last = end
        if token in ("m", "mm"):
            previous = tokens[index - 1][2] if index else ""
            following = tokens[index + 1][2] if index + 1 < len(tokens) else ""
            if previous.startswith("h") or following.startswith("s"):
                out.append(f"{moment.minute:02d}" if token == "mm" else str(moment.minute))
                continue
        out.append(_date_part(moment, token))
    out.append(fmt[last:])
    return "".join(out)


def _date_part(moment: dt.datetime, token: str) -> str:
    table = {
        "yyyy": f"{moment.year:04d}",
        "yy": f"{moment.year % 100:02d}",
        "mm": f"{moment.month:02d}",
        "m": str(moment.month),
        "dd": f"{moment.day:02d}",
        "d": str(moment.day),
        "hh": f"{moment.hour:02d}",
        "h": str(moment.hour),
        "ss": f"{moment.second:02d}",
        "s": str(moment.second),
    }
    return table[token]
