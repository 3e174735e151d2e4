"""Random expressions over random records, with the Python evaluator's results.

    .venv/bin/python -m engines.rules.conformance.random_cases   # rewrites random_cases.json

The curated cases (cases.json) say what the language means; these say that Python and the
browser module agree beyond them: the vitest suite replays every one. Regenerate after an
intended change of semantics (and say so in the commit).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

FILE = Path(__file__).with_name("random_cases.json")
CLOCK = "2026-11-24T10:30:00Z"
LITERALS: list[Any] = [
    None, True, False, 0, 1, -1, 2.5, -0.5, 0.1, 1e21, 1e-7, 100, 3, "", "0", "1", "abc",
    "A b", " 12 ", "0x1f", "1e3", "2026-02-28", "2026-11-24T10:00:00Z", "2024-02-29",
    "2026-13-01", "d", "days", "m", "months", "y", "week", "^a", "a.b", "(a+)+", "\\d+",
    "0.00", "#,##0", "yyyy-mm-dd", "合同", "amount", "items", "current", [], [1, 2], ["a", None],
]  # fmt: skip
VARS = ["a", "b", "n", "t", "d", "items", "a.b", "", "items.0.amount", "current", "accumulator",
        "current.amount", "amount"]  # fmt: skip


def _tree(rnd: random.Random, names: list[str], depth: int) -> Any:
    from engines.rules import OPERATORS

    if depth <= 0 or rnd.random() < 0.3:
        return {"var": rnd.choice(VARS)} if rnd.random() < 0.4 else rnd.choice(LITERALS)
    name = rnd.choice(names)
    op = OPERATORS.get(name)
    high = op.max_args if op.max_args is not None else op.min_args + 3
    return {name: [_tree(rnd, names, depth - 1) for _ in range(rnd.randint(op.min_args, high))]}


def _record(rnd: random.Random) -> dict[str, Any]:
    return {
        "a": rnd.choice(LITERALS),
        "b": rnd.choice(LITERALS),
        "n": rnd.choice([None, 0, 1, 2.5, -3, "4"]),
        "t": rnd.choice([None, "", "abc", "Abc", "12", "a.b"]),
        "d": rnd.choice([None, "2026-11-24", "2026-01-31", "2026-11-24T23:59:59+08:00", "bad"]),
        "items": rnd.choice([None, [], [{"amount": 1.5}, {"amount": None}, {"amount": "x"}]]),
        "amount": rnd.choice([None, 5, 0.2]),
    }


def generate(count: int = 1500, seed: int = 20261124) -> dict[str, Any]:
    from engines.rules import OPERATORS, evaluate

    rnd = random.Random(seed)
    names = sorted(OPERATORS.types())
    clock = dt.datetime.fromisoformat(CLOCK)
    cases = []
    for _ in range(count):
        expr, data = _tree(rnd, names, rnd.randint(1, 4)), _record(rnd)
        cases.append({"expr": expr, "data": data, "expected": evaluate(expr, data, clock=clock)})
    return {"clock": CLOCK, "seed": seed, "cases": cases}


def load() -> dict[str, Any]:
    return json.loads(FILE.read_text(encoding="utf-8"))


if __name__ == "__main__":
    document = generate()
    lines = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in document["cases"]]
    header = json.dumps({k: v for k, v in document.items() if k != "cases"})[:-1]
    FILE.write_text(header + ', "cases": [\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    print(f"wrote {len(lines)} cases to {FILE}")
