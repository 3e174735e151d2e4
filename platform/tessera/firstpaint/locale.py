"""The language a first paint is drawn in: the one the browser app will pick on this load, so
the take-over does not swap every label (frontend/src/i18n/locale.ts)."""

from __future__ import annotations

#: The cookie the browser app writes when a language is picked (docs/first-paint.md §2).
LOCALE_COOKIE = "tessera_locale"
LOCALES = ("zh-CN", "en")


def page_locale(cookie: str | None, accept_language: str | None) -> str:
    """The picked language (cookie) if it is one the app speaks, else the browser's own as
    `browserLocale` reads it: Chinese when its first language is any Chinese, else English.
    Only the first tag counts (the browser lists `navigator.languages` in order), not the
    quality values an API caller's header is weighed by (`problem_text.preferred_language`)."""
    if cookie in LOCALES:
        return cookie
    first = (accept_language or "").split(",")[0].split(";")[0].strip().lower()
    return "zh-CN" if first.startswith("zh") else "en"
