"""Rendering user-authored print templates safely.

Two walls:
1. Jinja2's `SandboxedEnvironment` (autoescape on): no attribute starting with `_`, no
   function globals, no unsafe methods — `{{ ''.__class__.__mro__ }}` is a SecurityError.
2. A child process (this file run as a script, importing only Jinja2) with CPU-time and
   memory limits and a wall-clock timeout: the sandbox stops escapes, not a template that
   loops or allocates without end (`namespace` doubling a string, nested `range`s). The
   child gets only the template and a JSON context of display strings — no database, no
   files, no secrets.

The platform's own generated default templates render in-process (they are trusted code).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from jinja2 import TemplateSyntaxError, Undefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_TEMPLATE_CHARS = 100_000
MAX_OUTPUT_CHARS = 5_000_000
CPU_SECONDS = 5
MEMORY_BYTES = 768 * 1024 * 1024


class TemplateProblem(Exception):
    """A template that does not compile or render; `line` when known."""

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "line": self.line}


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, undefined=Undefined, trim_blocks=True,
                               lstrip_blocks=True)
    env.globals.pop("range", None)  # unbounded loops have no place in a print layout

    def bounded_range(*args: int) -> range:
        r = range(*args)
        if len(r) > 1000:
            raise SecurityError("range() is limited to 1000 items in print templates")
        return r

    env.globals["range"] = bounded_range
    return env


def compile_problem(source: str) -> TemplateProblem | None:
    if len(source) > MAX_TEMPLATE_CHARS:
        return TemplateProblem("template_too_large",
                               f"A print template may have at most {MAX_TEMPLATE_CHARS} "
                               "characters.")
    try:
        environment().parse(source)
    except TemplateSyntaxError as exc:
        return TemplateProblem("template_syntax", exc.message or str(exc), exc.lineno)
    return None


def render_here(source: str, context: dict[str, Any]) -> str:
    """Render in this process, in the sandbox; raises TemplateProblem."""
    problem = compile_problem(source)
    if problem:
        raise problem
    try:
        out = environment().from_string(source).render(**context)
    except SecurityError as exc:
        raise TemplateProblem("template_unsafe", str(exc)) from None
    except TemplateSyntaxError as exc:
        raise TemplateProblem("template_syntax", exc.message or str(exc), exc.lineno) from None
    except Exception as exc:  # a template error of any kind: the author's to fix
        raise TemplateProblem("template_error", f"{type(exc).__name__}: {exc}"[:500]) from None
    if len(out) > MAX_OUTPUT_CHARS:
        raise TemplateProblem("template_output_too_large", "The printed page is too large.")
    return out


def _limit_self(cpu_seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def main() -> None:
    """Child entry: {"template", "context"} on stdin -> {"html"} or {"error"} on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    _limit_self(int(request.get("cpu_seconds", CPU_SECONDS)))
    try:
        result: dict[str, Any] = {"html": render_here(request["template"], request["context"])}
    except TemplateProblem as problem:
        result = {"error": problem.as_dict()}
    except MemoryError:
        result = {"error": {"code": "template_too_costly", "line": None,
                            "message": "The template used too much memory."}}
    sys.stdout.write(json.dumps(result))


async def render_isolated(source: str, context: dict[str, Any], timeout: float = 10.0) -> str:
    """Render a user template in a limited child process; raises TemplateProblem."""
    import asyncio

    problem = compile_problem(source)
    if problem:
        raise problem
    proc = await asyncio.create_subprocess_exec(
        # run as a script, not `-m`: the child imports jinja2 only, not the tessera package
        sys.executable, "-I", __file__,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=_child_env())
    payload = json.dumps({"template": source, "context": context,
                          "cpu_seconds": CPU_SECONDS}).encode()
    try:
        out, _ = await asyncio.wait_for(proc.communicate(payload), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise TemplateProblem("template_too_costly",
                              "The template took too long to render.") from None
    if proc.returncode != 0 or not out:
        raise TemplateProblem("template_too_costly",
                              "The template used too much time or memory.")
    result = json.loads(out)
    if "error" in result:
        error = result["error"]
        raise TemplateProblem(error["code"], error["message"], error.get("line"))
    return result["html"]


def _child_env() -> dict[str, str]:
    """No database URL, no secrets: the child gets a bare environment (and `-I` ignores any
    PYTHON* variables); the installed tessera package is found through site-packages."""
    import os

    return {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL")}


if __name__ == "__main__":
    main()
