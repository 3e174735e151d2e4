"""Rules engine and the expression language.

The expression language lives in `engines.rules.expr`; its public names (its `__all__`) are
re-exported here, documented in docs/expressions.md, so other engines write
`from engines.rules import evaluate, check, parse_formula, to_sql, fields_read`.
"""

from .expr import *  # noqa: F403
from .expr import __all__ as __all__
