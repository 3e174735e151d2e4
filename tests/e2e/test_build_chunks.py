"""What the production build makes a full page load fetch: the boot script in index.html
preloads each route's chunks (frontend/vite.config.ts), and a list must not drag in the record
form. A small module shared by the list and the form once landed in the form's chunk through
the build's merging of small groups, and every list load then fetched and ran RecordForm and
all field editors (23 files, 210 KB gz, instead of 14 and 105 KB) without any test noticing.
Likewise antd's form engine must stay out of the shell's one file, which every page runs
before anything shows: an import line reaching it from the shell's code once kept it there.
And the shell carries no language: each language's messages are a chunk of their own that the
boot script preloads for the user's language, and neither holds the other's strings (a module
is the bundler's unit: only the build's per-language copies of the messages modules keep them
apart). antd's message, notification and modal load on their first use (lib/feedback.tsx), not
with the shell or the list. Nor does a list load fetch the expression engine (src/expr and
json-logic), which only forms run: the field registry, which the list reads, once shared its
chunk."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import DIST_INDEX

LIST_ROUTE = "^/apps/[^/]+/forms/[^/]+/?$"
NEW_ROUTE = "^/apps/[^/]+/forms/[^/]+/new/?$"
# a class name only RecordForm writes, so it marks the chunk that holds the form
FORM_MARKER = "record-form__grid"
# one of async-validator's default messages: marks the chunk of antd's form engine
FORM_ENGINE_MARKER = "%s is not a valid %s"


@pytest.fixture(scope="module")
def preloads() -> dict[str, list[str]]:
    if not DIST_INDEX.exists():
        pytest.skip("the front end is not built: run `make frontend`")
    html = DIST_INDEX.read_text()
    found = re.search(r"\)\(window, (\[.*?\]), \d+, ", html)
    assert found, "index.html has no boot script with its route preloads"
    return {route["pattern"]: route["js"] for route in json.loads(found.group(1))}


@pytest.fixture(scope="module")
def language_preloads(preloads: dict[str, list[str]]) -> dict[str, list[str]]:
    found = re.search(r"\)\(window, \[.*?\], \d+, (\{.*?\})\);", DIST_INDEX.read_text())
    assert found, "index.html's boot script preloads no language chunks"
    return json.loads(found.group(1))


def _shell_files() -> list[str]:
    shell = re.findall(r'<script type="module"[^>]* src="([^"]+)"', DIST_INDEX.read_text())
    assert shell, "index.html loads no module script"
    return shell


def _holding(marker: str, files: list[str]) -> list[str]:
    assets = DIST_INDEX.parent
    return [f for f in files if marker in (assets / f.lstrip("/")).read_text()]


def _holding_the_form(files: list[str]) -> list[str]:
    return _holding(FORM_MARKER, files)


def test_a_list_load_does_not_fetch_the_record_form(preloads: dict[str, list[str]]) -> None:
    assert _holding_the_form(preloads[LIST_ROUTE]) == []


def test_the_new_record_page_does_preload_the_form(preloads: dict[str, list[str]]) -> None:
    # the marker still finds the form's chunk: otherwise the test above would pass for nothing
    assert _holding_the_form(preloads[NEW_ROUTE])


def test_the_shell_does_not_carry_the_form_engine(preloads: dict[str, list[str]]) -> None:
    shell = _shell_files()
    assert _holding(FORM_ENGINE_MARKER, shell) == []
    # the marker still finds the engine where a form needs it
    assert _holding(FORM_ENGINE_MARKER, preloads[NEW_ROUTE])


# one string of messages.ts and one of an area's module (messages.admin.ts), in each language;
# plus antd's own Chinese texts (its zh_CN locale), which travel with the Chinese messages
LANGUAGE_MARKERS = {
    "en": [
        "Build the business apps your team needs",
        "Only platform administrators can open the admin area.",
    ],
    "zh-CN": ["零代码搭建团队需要的业务应用", "只有平台管理员可以进入管理后台", "反选当页"],
}


def test_the_shell_carries_no_language(language_preloads: dict[str, list[str]]) -> None:
    assert sorted(language_preloads) == ["en", "zh-CN"]
    for markers in LANGUAGE_MARKERS.values():
        for marker in markers:
            assert _holding(marker, _shell_files()) == [], marker


def test_each_language_chunk_holds_its_own_strings_only(
    language_preloads: dict[str, list[str]],
) -> None:
    for language, files in language_preloads.items():
        for other, markers in LANGUAGE_MARKERS.items():
            for marker in markers:
                held = _holding(marker, files)
                assert bool(held) == (other == language), (language, marker, held)


# options only antd's confirm dialog and its notices read: mark the code of antd's App pieces
FEEDBACK_MARKERS = ["autoFocusButton", "pauseOnHover"]


def test_antds_notices_and_modals_load_on_first_use(preloads: dict[str, list[str]]) -> None:
    for marker in FEEDBACK_MARKERS:
        assert _holding(marker, _shell_files()) == [], marker
        assert _holding(marker, preloads[LIST_ROUTE]) == [], marker
        # the marker still finds antd's code, in a chunk of its own
        assets = DIST_INDEX.parent / "assets"
        assert [f for f in assets.glob("*.js") if marker in f.read_text()], marker


# one of json-logic's own error messages: marks the chunk of the expression engine
EXPRESSION_ENGINE_MARKER = "Unrecognized operation"


def test_a_list_load_does_not_fetch_the_expression_engine(preloads: dict[str, list[str]]) -> None:
    assert _holding(EXPRESSION_ENGINE_MARKER, preloads[LIST_ROUTE]) == []
    # the marker still finds the engine where a form needs it
    assert _holding(EXPRESSION_ENGINE_MARKER, preloads[NEW_ROUTE])


# a test id only the public link's edit dialog writes, and a prop only antd's Table reads
LINK_DIALOG_MARKER = "link-edit-save"
TABLE_MARKER = "sortDirections"
EDIT_ROUTE = "^/apps/[^/]+/forms/[^/]+/records/[^/]+/edit/?$"


def test_a_record_form_does_not_fetch_the_link_managers_dialogs(
        preloads: dict[str, list[str]]) -> None:
    """The links page's dialogs once shared a chunk with public/api.ts (the public form's
    uploads, which every record form imports) through the merging of small groups: each form
    page then fetched and ran them and antd's Table with them (32 files, 811 KB for the edit
    page; 26 and 686 KB without)."""
    for route in (NEW_ROUTE, EDIT_ROUTE):
        assert _holding(LINK_DIALOG_MARKER, preloads[route]) == [], route
        assert _holding(TABLE_MARKER, preloads[route]) == [], route
    assets = DIST_INDEX.parent / "assets"
    assert [f for f in assets.glob("*.js") if LINK_DIALOG_MARKER in f.read_text()]


# the title of antd's 403 illustration
UNAUTHORIZED_MARKER = "Unauthorized"


def test_a_record_form_does_not_fetch_antds_result_pictures(
        preloads: dict[str, list[str]]) -> None:
    """The edit page's 403 is drawn by lib/ResultView, which fetches its picture when shown;
    antd's Result there made every form load fetch and compile its three pictures."""
    for route in (NEW_ROUTE, EDIT_ROUTE):
        assert _holding(UNAUTHORIZED_MARKER, preloads[route]) == [], route
    assets = DIST_INDEX.parent / "assets"
    assert [f for f in assets.glob("*.js") if UNAUTHORIZED_MARKER in f.read_text()]
