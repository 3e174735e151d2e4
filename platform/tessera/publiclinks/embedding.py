"""Which other sites may show a public fill link's form in a frame (嵌入网页).

The app's page forbids framing by any other site (`frame-ancestors 'self'`, against
clickjacking: see `tessera.api.page_security`). A form made to be filled by the public is often
wanted inside the owner's own website, so each link may name the sites allowed to frame it
(`embed_origins`); the page of that link (`/f/<token>`) then lists them in its
`frame-ancestors`, and every other page of the app stays unframeable.

An entry is what a CSP host source may say, kept to the part that identifies a site: a scheme
(`https`, or `http` for a site not served over TLS), a host name (optionally `*.` plus a domain,
for all of its subdomains) and an optional port — no path, query, fragment or user info, which
either mean nothing to `frame-ancestors` or would widen it unexpectedly. Internationalised
names are stored in their ASCII (punycode) form, which is what the browser compares. A bare
`*`, `'self'`-style keywords and `data:`-like schemes are refused: a link that any site may
frame is a link for clickjacking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from tessera.api.errors import FieldProblem, ValidationFailed

#: how many sites one link may name (a form is embedded in a few places, not hundreds)
MAX_ORIGINS = 20
#: one DNS label: letters, digits and inner hyphens, at most 63 characters
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
FIELD = "embed_origins"


class InvalidOrigin(ValueError):
    """Why an entry is not a site that may frame a form (the message the API shows)."""


def normalise_origin(text: str) -> str:
    """`" HTTPS://Shop.Example.com/ "` -> `"https://shop.example.com"`; raises InvalidOrigin."""
    raw = text.strip()
    if not raw:
        raise InvalidOrigin("Enter a site address such as https://www.example.com.")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.netloc:
        raise InvalidOrigin("A site address starts with https:// (or http://).")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise InvalidOrigin("Give the site only (https://www.example.com), without a path.")
    host, _, port = parts.netloc.rpartition(":") if _has_port(parts.netloc) \
        else (parts.netloc, "", "")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise InvalidOrigin("The port must be a number from 1 to 65535.")
    return f"{scheme}://{_host(host)}" + (f":{int(port)}" if port else "")


def _has_port(netloc: str) -> bool:
    return ":" in netloc and not netloc.endswith("]")


def _host(host: str) -> str:
    """The host in lower-case ASCII; `*.` may open it to the subdomains of a real domain."""
    wildcard = host.startswith("*.")
    name = host[2:] if wildcard else host
    try:
        ascii_name = name.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise InvalidOrigin("This is not a valid host name.") from error
    labels = ascii_name.split(".")
    if not all(_LABEL.match(label) for label in labels):
        raise InvalidOrigin("This is not a valid host name.")
    if wildcard and len(labels) < 2:
        raise InvalidOrigin("A wildcard must be followed by a domain: https://*.example.com.")
    return ("*." if wildcard else "") + ascii_name


def normalise_origins(values: Iterable[str]) -> list[str]:
    """The entries of a request, normalised, without repeats, in the order given; 422
    `invalid_origin` naming each bad entry (`embed_origins[2]`), `too_many_origins` past
    MAX_ORIGINS."""
    entries = list(values)
    if len(entries) > MAX_ORIGINS:
        raise ValidationFailed("Too many sites.", errors=[FieldProblem(
            FIELD, "too_many_origins", f"A link may name at most {MAX_ORIGINS} sites.",
            {"max": MAX_ORIGINS})])
    out: list[str] = []
    problems: list[FieldProblem] = []
    for index, entry in enumerate(entries):
        try:
            origin = normalise_origin(entry)
        except InvalidOrigin as error:
            problems.append(FieldProblem(f"{FIELD}[{index}]", "invalid_origin", str(error)))
            continue
        if origin not in out:
            out.append(origin)
    if problems:
        raise ValidationFailed("Some sites are not valid addresses.", errors=problems)
    return out


def stored_origins(settings: dict | None) -> list[str]:
    """A link's sites as stored in its `settings` (none by default)."""
    return list((settings or {}).get(FIELD) or [])
