"""required_when is checked on a PATCH that leaves the required field out."""

from engines.form import validate_record

FORM = {"key": "deal", "fields": [
    {"key": "stage", "type": "select", "options": [{"value": "open"}, {"value": "lost"}]},
    {"key": "lost_reason", "type": "text",
     "required_when": {"==": [{"var": "stage"}, "lost"]}},
    {"key": "note", "type": "text", "required": True},
]}


def test_patch_that_makes_a_field_required_without_giving_it_fails() -> None:
    existing = {"stage": "open", "lost_reason": None, "note": "x"}
    result = validate_record(FORM, {"stage": "lost"}, existing=existing, partial=True)
    assert [(e.path, e.code) for e in result.errors] == [("lost_reason", "required")]


def test_patch_of_other_fields_does_not_recheck_plain_required() -> None:
    legacy = {"stage": "open", "lost_reason": None, "note": None}  # note became required later
    result = validate_record(FORM, {"stage": "open"}, existing=legacy, partial=True)
    assert result.errors == []


def test_patch_giving_the_reason_passes() -> None:
    existing = {"stage": "open", "lost_reason": None, "note": "x"}
    result = validate_record(FORM, {"stage": "lost", "lost_reason": "price"}, existing=existing,
                             partial=True)
    assert result.errors == []
