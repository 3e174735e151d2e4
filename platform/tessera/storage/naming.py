"""Stable, readable table names of at most 63 bytes (Postgres's identifier limit)."""

from __future__ import annotations

import hashlib

MAX_IDENTIFIER_BYTES = 63


def table_name(app_key: str, form_key: str, *child_keys: str) -> str:
    """`<app>__<form>[__<subform>]`, shortened with a hash suffix when too long.

    The hash covers the full name, so two long names that share a prefix never collide.
    """
    full = "__".join((app_key, form_key, *child_keys))
    if len(full.encode()) <= MAX_IDENTIFIER_BYTES:
        return full
    digest = hashlib.sha1(full.encode()).hexdigest()[:8]
    return full.encode()[: MAX_IDENTIFIER_BYTES - 9].decode(errors="ignore") + "_" + digest


def quote(identifier: str) -> str:
    """Quote an identifier for DDL. Callers pass only validated keys; quoting doubles quotes
    anyway so a slip can never become injection."""
    return '"' + identifier.replace('"', '""') + '"'
