"""Size limits that keep the code readable: no module over 500 lines, no function over 80.

They hold for every package, the Django apps and the planner (its benchmark tools included);
migrations and tests are exempt (see docs/architecture.md). The limits count physical lines,
a function from its first decorator to the last line of its body.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import renfort

MODULE_LINES = 500
FUNCTION_LINES = 80
ROOT = Path(renfort.__file__).parent
EXEMPT_PARTS = {"migrations", "tests"}


def checked_modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if EXEMPT_PARTS & set(rel.parts[:-1]) or rel.name in {"testing.py"}:
            continue
        yield path


def long_functions(path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > FUNCTION_LINES:
                yield node.name, length


def test_no_module_over_the_limit():
    over = {
        str(p.relative_to(ROOT)): n
        for p in checked_modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES
    }
    assert over == {}, f"modules over {MODULE_LINES} lines: {over}"


def test_no_function_over_the_limit():
    over = {
        f"{p.relative_to(ROOT)}:{name}": n
        for p in checked_modules()
        for name, n in long_functions(p)
    }
    assert over == {}, f"functions over {FUNCTION_LINES} lines: {over}"


def test_the_checker_sees_a_long_function(tmp_path: Path):
    body = "\n".join(f"    x{i} = {i}" for i in range(FUNCTION_LINES))
    module = tmp_path / "m.py"
    module.write_text(f"def f():\n{body}\n")
    assert list(long_functions(module)) == [("f", FUNCTION_LINES + 1)]
