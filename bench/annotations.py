"""Share of public functions that are fully annotated, per package.

A public function is a `def` (module level or in a class) whose name does not start with an
underscore; it is annotated when its return and every parameter but `self`/`cls` carry a
type. Migrations are left out. Run: `.venv/bin/python bench/annotations.py`.
"""

import ast
import sys
from collections import Counter
from pathlib import Path

ROOTS = ("assessments", "clinic")


def package_of(path: Path) -> str:
    parts = path.parts
    if len(parts) > 2:
        return "/".join(parts[:2]) + "/"
    return f"{parts[0]} (modules)"


def is_annotated(node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> bool:
    arguments = node.args
    parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    is_static = any(
        isinstance(decorator, ast.Name) and decorator.id == "staticmethod"
        for decorator in node.decorator_list
    )
    if in_class and not is_static and parameters:
        parameters = parameters[1:]
    parameters += [extra for extra in (arguments.vararg, arguments.kwarg) if extra]
    return node.returns is not None and all(p.annotation is not None for p in parameters)


def public_functions(tree: ast.Module) -> list[tuple[str, bool]]:
    found: list[tuple[str, bool]] = []

    def visit(body: list[ast.stmt], in_class: bool) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                visit(node.body, in_class=True)
            elif isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef
            ) and not node.name.startswith("_"):
                found.append((node.name, is_annotated(node, in_class)))

    visit(tree.body, in_class=False)
    return found


def main(root: Path) -> None:
    total: Counter[str] = Counter()
    annotated: Counter[str] = Counter()
    for top in ROOTS:
        for path in sorted((root / top).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            package = package_of(relative)
            for _name, typed in public_functions(ast.parse(path.read_text())):
                total[package] += 1
                annotated[package] += typed
    width = max(len(package) for package in total)
    for package in sorted(total):
        share = 100 * annotated[package] / total[package]
        print(f"{package:<{width}}  {annotated[package]:4}/{total[package]:<4} {share:5.1f} %")
    done, count = sum(annotated.values()), sum(total.values())
    print(f"{'all':<{width}}  {done:4}/{count:<4} {100 * done / count:5.1f} %")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
