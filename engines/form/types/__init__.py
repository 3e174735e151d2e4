"""The field-type registry and the registration of every built-in type.

Adding a type is one module under ``engines/form/types/`` and one line below.
"""

from __future__ import annotations

from engines.form.registry import Registry
from engines.form.types.base import FieldType
from engines.form.types.choice import Checkbox, MultiSelect, Select
from engines.form.types.computed import Formula, Serial
from engines.form.types.ids import (
    Attachment,
    Department,
    Departments,
    Image,
    Member,
    Members,
    Signature,
)
from engines.form.types.number import Money, Number, Percent, Rating
from engines.form.types.patterns import Email, IdCard, Phone, Url
from engines.form.types.places import Address, Location
from engines.form.types.relation import Lookup, Relation, Rollup
from engines.form.types.richtext import RichText
from engines.form.types.subform import SubForm
from engines.form.types.temporal import Date, DateTime, Time
from engines.form.types.text import Text, Textarea

field_types: Registry[FieldType] = Registry("field")

for _type in (
    Text(), Textarea(), RichText(),
    Number(), Money(), Percent(), Rating(),
    Date(), DateTime(), Time(),
    Select(), MultiSelect(), Checkbox(),
    Phone(), Email(), Url(), IdCard(),
    Address(), Location(),
    Member(), Members(), Department(), Departments(),
    Attachment(), Image(), Signature(),
    SubForm(), Relation(), Lookup(), Rollup(),
    Formula(), Serial(),
):
    field_types.register(_type)

__all__ = ["FieldType", "field_types"]
