"""The build's templates (`frontend/dist/first-paint/templates.json`, docs/first-paint.md §1),
read once per build and compiled once per template.

The file is written by `npm run build` from the app's own React components, so a rebuild while
the server runs is picked up (`api/build_file.BuildFile`). A missing or unreadable file, or one
of another format, means no first paint at all: `load` answers None and the page is served as
before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import structlog

from tessera.api.build_file import BuildFile

log = structlog.get_logger("tessera.firstpaint")

FORMAT = 1
#: where the build writes the file, under the served `dist` folder
RELATIVE_PATH = Path("first-paint") / "templates.json"


class CannotDraw(Exception):
    """This page cannot be drawn on the server (a type without a template, a value of a shape
    not expected, a message missing): the caller sends `index.html` unchanged."""


@dataclass
class LocaleTemplates:
    """One language's templates, compiled on first use."""

    env: jinja2.Environment
    pages: dict[str, str]
    field_sources: dict[str, str]
    messages: dict[str, str]
    _compiled: dict[str, jinja2.Template] = field(default_factory=dict)

    def has_field(self, type_key: str) -> bool:
        return type_key in self.field_sources

    def _template(self, name: str, source: str) -> jinja2.Template:
        template = self._compiled.get(name)
        if template is None:
            template = self._compiled[name] = self.env.from_string(source)
        return template

    def field(self, type_key: str) -> jinja2.Template:
        source = self.field_sources.get(type_key)
        if source is None:
            raise CannotDraw(f"no template for the field type {type_key!r}")
        return self._template("field:" + type_key, source)

    def page(self, kind: str) -> jinja2.Template:
        source = self.pages.get(kind)
        if source is None:
            raise CannotDraw(f"no page template {kind!r}")
        return self._template("page:" + kind, source)

    def message(self, key: str, **params: str) -> str:
        """A UI message with its `{name}` placeholders filled (the build writes them ICU-free)."""
        text = self.messages.get(key)
        if text is None:
            raise CannotDraw(f"no message {key!r}")
        for name, value in params.items():
            text = text.replace("{" + name + "}", value)
        return text


@dataclass
class TemplateSet:
    """The whole file: per language, its templates."""

    breakpoint: int
    locales: dict[str, LocaleTemplates]

    def of(self, locale: str) -> LocaleTemplates:
        found = self.locales.get(locale)
        if found is None:
            raise CannotDraw(f"no templates in {locale!r}")
        return found


def _environment() -> jinja2.Environment:
    # autoescape on: every value filled in is text from a record or a definition
    return jinja2.Environment(autoescape=True, keep_trailing_newline=False)


def parse(document: Any) -> TemplateSet:
    """The file's JSON as a `TemplateSet`; CannotDraw when it is not the format this server
    reads (a build newer or older than the server)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CannotDraw("templates file of another format")
    env = _environment()
    locales = {}
    for locale, body in (document.get("locales") or {}).items():
        if not isinstance(body, dict):
            raise CannotDraw(f"templates of {locale!r} are not an object")
        locales[locale] = LocaleTemplates(env=env, pages=dict(body.get("page") or {}),
                                          field_sources=dict(body.get("fields") or {}),
                                          messages=dict(body.get("messages") or {}))
    return TemplateSet(breakpoint=int(document.get("breakpoint") or 768), locales=locales)


class TemplateFile:
    """The templates of one `dist` folder, re-read when the file changes."""

    def __init__(self, dist: Path) -> None:
        self._file = BuildFile(dist / RELATIVE_PATH, self._parse)

    def _parse(self, text: str) -> TemplateSet | None:
        try:
            return parse(json.loads(text))
        except (ValueError, CannotDraw, jinja2.TemplateError) as problem:
            log.warning("first_paint.templates_unreadable", path=str(self._file.path),
                        problem=str(problem))
            return None

    def load(self) -> TemplateSet | None:
        """The current templates, or None when there are none to draw with."""
        try:
            return self._file.get()
        except OSError:
            return None
