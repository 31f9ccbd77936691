"""The figures of README's development section, reproducible: `python tools/measure.py`.

Application Python is `openraa/` without migrations. A function counts as annotated when its return
and every parameter but self/cls carry a type. Imports of project modules inside a function are
counted because they usually hide a cycle (tests/project/test_layering.py forbids the cycles)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LONG = 300


def application_files() -> list[Path]:
    return sorted(p for p in (ROOT / "openraa").rglob("*.py") if "migrations" not in p.parts)


def annotated(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
    if arguments and arguments[0].arg in {"self", "cls"}:
        arguments = arguments[1:]
    extras = [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
    return node.returns is not None and all(a.annotation is not None for a in [*arguments, *extras])


def imports_in_functions(tree: ast.AST) -> int:
    def of_project(node: ast.AST) -> bool:
        if isinstance(node, ast.ImportFrom):
            return (node.module or "").startswith("openraa")
        return isinstance(node, ast.Import) and any(a.name.startswith("openraa") for a in node.names)

    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return len({id(node) for function in functions for node in ast.walk(function) if of_project(node)})


def main() -> None:
    files = application_files()
    lines = {p: len(p.read_text().splitlines()) for p in files}
    functions = done = inner = 0
    for path in files:
        tree = ast.parse(path.read_text(), str(path))
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        functions += len(nodes)
        done += sum(annotated(n) for n in nodes)
        inner += imports_in_functions(tree)
    long_files = sorted((n, p) for p, n in lines.items() if n > LONG)
    tests = sorted((ROOT / "tests").rglob("test_*.py"))
    out = sys.stdout
    out.write(f"{sum(lines.values()):,} lines of application Python in {len(files)} files\n")
    out.write(f"{len(long_files)} files over {LONG} lines; longest: ")
    out.write(", ".join(f"{p.relative_to(ROOT / 'openraa')} {n}" for n, p in reversed(long_files[-3:])) + "\n")
    out.write(f"{done / functions:.1%} of {functions:,} functions fully annotated\n")
    out.write(f"{inner} imports of project modules inside functions\n")
    out.write(f"{len(tests)} test files in {len({t.parent for t in tests})} folders\n")


if __name__ == "__main__":
    main()
