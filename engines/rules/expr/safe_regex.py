"""The regular-expression subset of `regex_match`, identical in Python, the browser and SQL.

Patterns are checked and rewritten into one canonical form that RE2 (Python), JavaScript's
RegExp and Postgres's `~` read the same way: `\\d \\w \\s` and `.` become explicit classes
(the three engines disagree on what they mean), and everything whose meaning differs or that can
backtrack badly is refused: back-references, look-around, named groups, flags, `\\b`, POSIX
classes, and a quantifier on a group that itself contains a quantifier (`(a+)+`).
Python runs the pattern with RE2 (linear time), so no pattern can blow up on the server.
"""

from __future__ import annotations

from functools import lru_cache

import re2

from .values import JS_WHITESPACE

MAX_PATTERN = 200
MAX_REPEAT = 1000
_SPACE = "".join(ch for ch in JS_WHITESPACE if ch not in "\n\r")  # escaped separately
_CLASSES = {
    "d": "0-9",
    "w": "0-9A-Za-z_",
    "s": "\\t\\n\\r" + _SPACE.replace("\t", ""),
}
_NOT_LINE = "\\n\\r\u2028\u2029"
_META_ESCAPES = set("\\.^$|?*+()[]{}/-")
_CONTROL_ESCAPES = {"n": "\\n", "t": "\\t", "r": "\\r"}


class UnsafePattern(ValueError):
    pass


@lru_cache(maxsize=512)
def canonical(pattern: str) -> str:
    """The canonical pattern, or UnsafePattern with the reason."""
    if len(pattern) > MAX_PATTERN:
        raise UnsafePattern(f"pattern longer than {MAX_PATTERN} characters")
    out: list[str] = []
    # per open group: [has quantifier inside]
    groups: list[list[bool]] = [[False]]
    i, n = 0, len(pattern)
    can_repeat = False
    last_was_group_with_quantifier = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            token, i = _escape(pattern, i, in_class=False)
            out.append(token)
            can_repeat, last_was_group_with_quantifier = True, False
            continue
        if ch == "[":
            token, i = _char_class(pattern, i)
            out.append(token)
            can_repeat, last_was_group_with_quantifier = True, False
            continue
        if ch == "(":
            if pattern.startswith("(?:", i):
                out.append("(?:")
                i += 3
            elif pattern.startswith("(?", i):
                raise UnsafePattern("look-around, named groups and flags are not supported")
            else:
                out.append("(")
                i += 1
            groups.append([False])
            can_repeat = False
            continue
        if ch == ")":
            if len(groups) == 1:
                raise UnsafePattern("unbalanced ')'")
            inner = groups.pop()
            if inner[0]:
                groups[-1][0] = True
            out.append(")")
            i += 1
            can_repeat, last_was_group_with_quantifier = True, inner[0]
            continue
        if ch in "*+?{":
            if not can_repeat:
                raise UnsafePattern(f"nothing to repeat at {i}")
            if last_was_group_with_quantifier:
                raise UnsafePattern("a repeated group may not contain a repetition: (a+)+")
            token, i = _quantifier(pattern, i)
            out.append(token)
            groups[-1][0] = True
            can_repeat = False
            continue
        if ch == "|":
            out.append("|")
            i += 1
            can_repeat = False
            continue
        if ch in "^$":
            out.append(ch)
            i += 1
            can_repeat = False
            continue
        if ch == ".":
            out.append(f"[^{_NOT_LINE}]")
        elif ch in "]}":
            out.append("\\" + ch)
        else:
            out.append(ch)
        i += 1
        can_repeat, last_was_group_with_quantifier = True, False
    if len(groups) != 1:
        raise UnsafePattern("unbalanced '('")
    return "".join(out)


def _escape(pattern: str, i: int, *, in_class: bool) -> tuple[str, int]:
    if i + 1 >= len(pattern):
        raise UnsafePattern("pattern ends with '\\'")
    ch = pattern[i + 1]
    if ch.lower() in _CLASSES:
        body = _CLASSES[ch.lower()]
        if ch.isupper():
            if in_class:
                raise UnsafePattern(f"\\{ch} inside [...] is not supported")
            return f"[^{body}]", i + 2
        return (body if in_class else f"[{body}]"), i + 2
    if ch in _CONTROL_ESCAPES:
        return _CONTROL_ESCAPES[ch], i + 2
    if ch in _META_ESCAPES:
        return "\\" + ch, i + 2
    raise UnsafePattern(f"unsupported escape \\{ch}")


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    out = ["["]
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        out.append("^")
        i += 1
    first = True
    while i < len(pattern):
        ch = pattern[i]
        if ch == "]" and not first:
            out.append("]")
            return "".join(out), i + 1
        if ch == "\\":
            token, i = _escape(pattern, i, in_class=True)
            out.append(token)
        elif ch == "[":
            raise UnsafePattern("'[' inside [...] must be escaped")
        elif ch == "]":
            out.append("\\]")
            i += 1
        else:
            out.append(ch)
            i += 1
        first = False
    raise UnsafePattern("unterminated [...]")


def _quantifier(pattern: str, i: int) -> tuple[str, int]:
    ch = pattern[i]
    if ch == "{":
        end = pattern.find("}", i)
        body = pattern[i + 1 : end] if end > 0 else ""
        low, _, high = body.partition(",")
        if end < 0 or not low.isdigit() or (high and not high.isdigit()):
            raise UnsafePattern("malformed {m,n}")
        if int(low) > MAX_REPEAT or (high and int(high) > MAX_REPEAT):
            raise UnsafePattern(f"repeat counts above {MAX_REPEAT} are not supported")
        if high and int(high) < int(low):
            raise UnsafePattern("{m,n} with n < m")
        token, i = "{" + body + "}", end + 1
    else:
        token, i = ch, i + 1
    if i < len(pattern) and pattern[i] == "?":
        token += "?"
        i += 1
    return token, i


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re2._Regexp:
    return re2.compile(canonical(pattern))


def search(pattern: str, text: str) -> bool | None:
    """True/False, or None when the pattern is outside the subset."""
    try:
        regex = _compiled(pattern)
    except (UnsafePattern, re2.error):
        return None
    return regex.search(text) is not None
