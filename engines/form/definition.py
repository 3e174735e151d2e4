"""Form definitions: ``check_form`` (every error at an exact path) and ``table_spec``."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from engines.form import expr
from engines.form.model import DefinitionError, ReadPlan, RecordContext, TableSpec
from engines.form.types import field_types
from engines.form.types.base import CheckScope, FieldType, Invalid, RowErrors

CONDITIONS = ("visible_when", "editable_when", "required_when")


@lru_cache(maxsize=1)
def base_schema() -> dict[str, Any]:
    """``schema/form.schema.json`` as shipped."""
    text = resources.files("engines.form").joinpath("schema/form.schema.json").read_text("utf-8")
    return json.loads(text)


def field_schema(type_key: str) -> dict[str, Any]:
    """The full JSON Schema of one field of a registered type: common plus its own properties,
    no others (a misspelt property is an error)."""
    ft = field_types.get(type_key)
    base = base_schema()
    common = base["$defs"]["field"]
    return {
        "$defs": base["$defs"],
        "type": "object",
        "required": sorted({"key", "type", *ft.required_props}),
        "properties": {**common["properties"], **ft.props, "type": {"const": ft.type}},
        "additionalProperties": False,
    }


def form_schema() -> dict[str, Any]:
    """The form schema with the registry's types filled in (for the designer and OpenAPI)."""
    schema = copy.deepcopy(base_schema())
    schema["$defs"]["field"]["properties"]["type"] = {"enum": field_types.types()}
    schema["$defs"]["field"]["allOf"] = [
        {
            "if": {"properties": {"type": {"const": key}}},
            "then": {
                "required": list(field_types.get(key).required_props),
                "properties": field_types.get(key).props,
            },
        }
        for key in field_types.types()
    ]
    return schema


@lru_cache(maxsize=1)
def _form_validator() -> Draft202012Validator:
    schema = copy.deepcopy(base_schema())
    schema["properties"]["fields"]["items"] = {"type": "object"}  # fields: checked one by one
    return Draft202012Validator(schema)


@lru_cache(maxsize=128)
def _field_validator(type_key: str | None) -> Draft202012Validator:
    if type_key is None:
        base = base_schema()
        return Draft202012Validator({"$defs": base["$defs"], **base["$defs"]["field"]})
    return Draft202012Validator(field_schema(type_key))


def join_path(base: str, parts: Iterable[Any]) -> str:
    out = base
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _schema_errors(
    validator: Draft202012Validator, instance: Any, path: str
) -> list[DefinitionError]:
    errors: list[DefinitionError] = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path))):
        errors.extend(_explain(err, path))
    return errors


def _explain(err: ValidationError, path: str) -> list[DefinitionError]:
    where = join_path(path, err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, Mapping):
        allowed = err.schema.get("properties", {})
        return [
            DefinitionError(join_path(where, [k]), "unknown_property", f"unknown property {k!r}")
            for k in err.instance
            if k not in allowed
        ]
    if err.validator == "required":
        return [DefinitionError(where, "missing_property", err.message)]
    if err.validator == "pattern" and err.absolute_path and err.absolute_path[-1] == "key":
        return [DefinitionError(where, "invalid_key",
                                f"{err.instance!r} is not a valid key (^[a-z][a-z0-9_]{{0,62}}$)")]
    return [DefinitionError(where, "invalid", err.message)]


def check_form(
    form: Mapping[str, Any], *, path: str, forms: Mapping[str, Mapping[str, Any]]
) -> list[DefinitionError]:
    """Every problem of one form definition, each at its exact path under ``path``.

    ``forms`` are all forms of the app by key (relations, lookups and linkages point at them).
    """
    if not isinstance(form, Mapping):
        return [DefinitionError(path, "invalid", "a form must be an object")]
    errors = _schema_errors(_form_validator(), form, path)
    fields = form.get("fields")
    if not isinstance(fields, list):
        return errors
    by_key = fields_by_key(fields)
    scope = CheckScope(form=form, forms=forms, fields=by_key, form_fields=by_key)
    errors += check_fields(fields, f"{path}.fields", scope)
    title = form.get("title_field")
    if isinstance(title, str) and title not in by_key:
        errors.append(DefinitionError(f"{path}.title_field", "unknown_field",
                                      f"unknown field {title!r}"))
    elif isinstance(title, str) and field_types.has(by_key[title].get("type")):
        ft = field_types.get(by_key[title]["type"])
        if not ft.stored or ft.in_child_table(by_key[title]):
            errors.append(DefinitionError(f"{path}.title_field", "invalid_title_field",
                                          f"a {ft.type} field cannot be the title"))
    for i, rule in enumerate(form.get("validations") or []):
        if isinstance(rule, Mapping) and "expr" in rule:
            errors += check_expression(rule["expr"], f"{path}.validations[{i}].expr", by_key)
            target = rule.get("path")
            if isinstance(target, str) and target not in by_key:
                errors.append(DefinitionError(f"{path}.validations[{i}].path", "unknown_field",
                                              f"unknown field {target!r}"))
    return errors


def fields_by_key(fields: list[Any]) -> dict[str, Mapping[str, Any]]:
    return {
        f["key"]: f for f in fields if isinstance(f, Mapping) and isinstance(f.get("key"), str)
    }


def check_fields(fields: list[Any], path: str, scope: CheckScope) -> list[DefinitionError]:
    """The fields of a form or of a sub-form (``scope.in_subform``)."""
    errors: list[DefinitionError] = []
    seen: set[str] = set()
    for i, field in enumerate(fields):
        fpath = f"{path}[{i}]"
        if not isinstance(field, Mapping):
            errors.append(DefinitionError(fpath, "invalid", "a field must be an object"))
            continue
        key, type_key = field.get("key"), field.get("type")
        if isinstance(key, str):
            if key in seen:
                errors.append(DefinitionError(f"{fpath}.key", "duplicate_key",
                                              f"field key {key!r} is used twice"))
            seen.add(key)
        if not field_types.has(type_key):
            errors += _schema_errors(_field_validator(None), field, fpath)
            if isinstance(type_key, str):
                errors.append(DefinitionError(f"{fpath}.type", "unknown_type",
                                              f"unknown type {type_key!r}"))
            continue
        errors += check_field(field_types.get(type_key), field, fpath, scope)
    return errors


def check_field(
    ft: FieldType, field: Mapping[str, Any], path: str, scope: CheckScope
) -> list[DefinitionError]:
    errors = _schema_errors(_field_validator(ft.type), field, path)
    if errors:  # type hooks may assume a well-formed field
        return errors
    if scope.in_subform and not ft.allowed_in_subform:
        return [DefinitionError(f"{path}.type", "not_allowed_in_subform",
                                f"a {ft.type} field cannot be inside a sub-form")]
    if field.get("unique") and not ft.unique_allowed:
        errors.append(DefinitionError(f"{path}.unique", "unique_not_supported",
                                      f"a {ft.type} field cannot be unique"))
    if field.get("unique_ci") and not (field.get("unique") and ft.unique_ci_allowed):
        errors.append(DefinitionError(f"{path}.unique_ci", "unique_ci_not_supported",
                                      f"unique_ci needs unique and a text-like type, "
                                      f"not {ft.type}"))
    errors += _check_defaults(ft, field, path, scope)
    for cond in CONDITIONS:
        if cond in field:
            errors += check_expression(field[cond], f"{path}.{cond}", scope.readable)
    errors += ft.check(field, path, scope)
    return errors


def _check_defaults(
    ft: FieldType, field: Mapping[str, Any], path: str, scope: CheckScope
) -> list[DefinitionError]:
    given = [p for p in ("default", "default_formula", "default_linkage") if p in field]
    if not given:
        return []
    if not ft.default_allowed or ft.read_only:
        return [DefinitionError(f"{path}.{given[0]}", "default_not_allowed",
                                f"a {ft.type} field takes no default")]
    errors: list[DefinitionError] = []
    if len(given) > 1:
        errors.append(DefinitionError(f"{path}.{given[1]}", "conflicting_defaults",
                                      f"give one of {', '.join(given)}"))
    if "default" in field:
        try:
            ft.normalise(field, field["default"], RecordContext())
        except (Invalid, RowErrors) as exc:
            code = exc.code if isinstance(exc, Invalid) else "invalid_rows"
            errors.append(DefinitionError(f"{path}.default", "invalid_default",
                                          f"the default is not a valid {ft.type} ({code})"))
    if "default_formula" in field:
        errors += check_expression(field["default_formula"], f"{path}.default_formula",
                                   scope.readable)
    link = field.get("default_linkage")
    if isinstance(link, Mapping) and scope.in_subform:
        errors.append(DefinitionError(f"{path}.default_linkage", "not_allowed_in_subform",
                                      "data-linkage defaults apply to the form's own fields"))
    elif isinstance(link, Mapping):
        errors += _check_linkage(link, f"{path}.default_linkage", scope)
    return errors


def _check_linkage(
    link: Mapping[str, Any], path: str, scope: CheckScope
) -> list[DefinitionError]:
    target = scope.forms.get(link["form"])
    if target is None:
        return [DefinitionError(f"{path}.form", "unknown_form", f"unknown form {link['form']!r}")]
    target_fields = fields_by_key(target.get("fields") or [])
    errors = []
    for their, ours in link["match"].items():
        # `_id` matches a relation: "when the customer changes, take the customer's phone"
        if their not in target_fields and their != "_id":
            errors.append(DefinitionError(f"{path}.match.{their}", "unknown_field",
                                          f"form {link['form']!r} has no field {their!r}"))
        if ours not in scope.fields:
            errors.append(DefinitionError(f"{path}.match.{their}", "unknown_field",
                                          f"unknown field {ours!r}"))
    if link["take"] not in target_fields:
        errors.append(DefinitionError(f"{path}.take", "unknown_field",
                                      f"form {link['form']!r} has no field {link['take']!r}"))
    return errors


def check_expression(
    expression: Any, path: str, fields: Mapping[str, Any]
) -> list[DefinitionError]:
    """Parse an expression or formula and check it against the fields it may read."""
    if not expr.available():
        return []
    try:
        problems = expr.check(expression, fields)
    except Exception as exc:  # the rules engine's ExpressionError and its kin
        return [DefinitionError(path, "invalid_expression", str(exc))]
    return [DefinitionError(path, "invalid_expression", p) for p in problems]


def table_spec(form: Mapping[str, Any]) -> TableSpec:
    """The user columns of a (checked) form, and its child tables."""
    columns, children = [], []
    for field in form.get("fields") or []:
        ft = field_types.get(field["type"])
        columns += ft.columns(field)
        children += ft.child_tables(field)
    return TableSpec(key=form["key"], columns=columns, children=children, kind="form")


def value_schema(form: Mapping[str, Any]) -> dict[str, Any]:
    """JSON Schema of a record's data (``{field key: value}``), for the app's OpenAPI."""
    props: dict[str, Any] = {}
    for field in form.get("fields") or []:
        ft = field_types.get(field["type"])
        schema = ft.value_schema(field)
        if ft.read_only:
            schema = {**schema, "readOnly": True}
        props[field["key"]] = schema
    return {"type": "object", "properties": props, "additionalProperties": False}


def read_plans(
    form: Mapping[str, Any], forms: Mapping[str, Mapping[str, Any]]
) -> list[ReadPlan]:
    """How to read each field of a (checked) form that is shown from other records."""
    plans = []
    for field in form.get("fields") or []:
        plan = field_types.get(field["type"]).read_plan(field, form, forms)
        if plan is not None:
            plans.append(plan)
    return plans
