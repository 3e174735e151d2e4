"""`record_ids`: the ids an import gives its records, many at once, are UUIDv7 like
`tessera.db.ids.uuid7` makes them — version 7, RFC variant, ordered, distinct, and the
milliseconds of now — also across batches and past a spent counter."""

from __future__ import annotations

import time

from tessera.imports.importer import record_ids


def test_ids_are_uuid7_in_order_and_distinct_across_batches() -> None:
    before = time.time_ns() // 1_000_000
    ids = record_ids(10_000) + record_ids(3) + record_ids(5_000)  # > 4096: borrows ms
    assert all(i.version == 7 and i.variant == "specified in RFC 4122" for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    first_ms = ids[0].int >> 80
    assert before <= first_ms <= time.time_ns() // 1_000_000 + 10


def test_none_asked_none_given() -> None:
    assert record_ids(0) == []
