"""The field-type registry and the registration of every built-in type.

Adding a type is one module under ``engines/form/types/`` and one line below.
"""

from __future__ import annotations

from engines.form.registry import Registry
from engines.form.types.base import FieldType
from engines.form.types.choice import Checkbox, MultiSelect, Select
from engines.form.types.number import Money, Number, Percent, Rating
from engines.form.types.temporal import Date, DateTime, Time
from engines.form.types.text import Text, Textarea

field_types: Registry[FieldType] = Registry("field")

for _type in (
    Text(), Textarea(),
    Number(), Money(), Percent(), Rating(),
    Date(), DateTime(), Time(),
    Select(), MultiSelect(), Checkbox(),
):
    field_types.register(_type)

__all__ = ["FieldType", "field_types"]
