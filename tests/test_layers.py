"""The packages' layers: graph and viz below serving, serving below api and cli; only the
``serve`` command reaches into the web layer; no module keeps a cache keyed by store."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest

from graph import REPO_ROOT

#: What each package may not import (anything under these names).
FORBIDDEN = {
    "graph": ("api", "cli", "serving", "viz"),
    "viz": ("api", "cli", "serving"),
    "serving": ("api", "cli"),
    "api": ("cli",),
    "cli": ("api",),
}
#: The one import of the web layer the command line makes: ``serve`` runs the app.
SERVE_ENTRY = ("cli/main.py", "serve", "api.main")


def modules(package: str) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted((REPO_ROOT / package).rglob("*.py")):
        yield path.relative_to(REPO_ROOT).as_posix(), ast.parse(path.read_text(), str(path))


def imports(tree: ast.Module) -> Iterator[tuple[str, str | None]]:
    """Each module ``tree`` imports, with the function it is imported in (or ``None``)."""

    def visit(node: ast.AST, function: str | None) -> Iterator[tuple[str, str | None]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                yield from ((alias.name, function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                yield child.module, function
            inner = (
                child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else None
            )
            yield from visit(child, inner or function)

    yield from visit(tree, None)


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_a_package_imports_nothing_above_it(package: str) -> None:
    wrong = []
    for name, tree in modules(package):
        for module, function in imports(tree):
            top = module.split(".")[0]
            if top in FORBIDDEN[package] and (name, function, module) != SERVE_ENTRY:
                wrong.append(f"{name}: {module}" + (f" (in {function})" if function else ""))
    assert wrong == []


def test_the_serve_entry_is_the_only_exception() -> None:
    """The exception above is used (else it should go), inside ``serve`` only."""
    path, function, module = SERVE_ENTRY
    tree = ast.parse((REPO_ROOT / path).read_text())
    assert (module, function) in set(imports(tree))
    assert (module, None) not in set(imports(tree))


def _module_caches(tree: ast.Module) -> Iterator[str]:
    """Module-level names bound to a cache keyed by store: a ``WeakKeyDictionary`` or
    anything annotated with ``GraphStore`` keys."""
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            text = ast.unparse(node.annotation) + " " + ast.unparse(node.value or node.annotation)
            if "WeakKeyDictionary" in text or "GraphStore" in ast.unparse(node.annotation):
                yield node.target.id
        elif isinstance(node, ast.Assign) and "WeakKeyDictionary" in ast.unparse(node.value):
            yield from (ast.unparse(target) for target in node.targets)


def test_no_module_keeps_a_cache_keyed_by_store() -> None:
    """What is read from a served store lives in its StoreContext (serving/context.py)."""
    found = [
        f"{name}: {cache}"
        for package in ("graph", "viz", "serving", "api", "cli")
        for name, tree in modules(package)
        for cache in _module_caches(tree)
    ]
    assert found == []


def test_the_cache_check_finds_one() -> None:
    tree = ast.parse(
        "from weakref import WeakKeyDictionary\n"
        "_A: WeakKeyDictionary[GraphStore, int] = WeakKeyDictionary()\n"
        "_B = WeakKeyDictionary()\n"
        "_C: dict[GraphStore, int] = {}\n"
    )
    assert list(_module_caches(tree)) == ["_A", "_B", "_C"]


def test_the_import_check_finds_one_inside_a_function() -> None:
    tree = ast.parse("def f():\n    from api.main import create_app\nimport api.deps\n")
    assert list(imports(tree)) == [("api.main", "f"), ("api.deps", None)]


def test_every_package_is_checked() -> None:
    packages = {p.parent.name for p in REPO_ROOT.glob("*/__init__.py")}
    assert packages - {"tests", "bench", "ontology"} == set(FORBIDDEN)
