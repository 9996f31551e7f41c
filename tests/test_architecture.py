"""The floor plan of docs/architecture.md, checked by reading every import of the portal's code.

Layers, lowest first: ``common`` → ``members`` → the domain apps → ``reports`` → ``committees``
→ ``demo`` and ``bench`` → the project package. A module may import its own app and the apps of
lower layers only; domain apps never import each other. Tests and migrations are left out.
Module-level circles (two modules importing each other, however lazily) fail too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS = {
    "common": 0,
    "members": 1,
    "activities": 2,
    "pledges": 2,
    "honors": 2,
    "mechanisms": 2,
    "obligations": 2,
    "dues": 2,
    "evaluation": 2,
    "recruitment": 2,
    "reports": 3,
    "committees": 4,
    "demo": 5,
    "bench": 5,
    "branch_portal": 6,
}


def _modules() -> dict[str, Path]:
    found = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            name = ".".join(parts).removesuffix(".__init__")
            found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The portal modules ``name`` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    wanted: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from x import y": y is a module of x (then x's own code is not what is used) or
            # a name defined in x.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in LAYERS:
                # A name inside a module of the portal: keep the longest module.
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    wanted.add(target)
    return wanted


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _app(module: str) -> str:
    return module.split(".")[0]


def test_the_layer_table_names_every_app_of_the_portal():
    from django.conf import settings

    portal_apps = {app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()}
    assert portal_apps <= set(LAYERS), (
        f"add to LAYERS and docs/architecture.md: {portal_apps - set(LAYERS)}"
    )


def test_no_module_imports_an_app_of_a_higher_or_the_same_layer():
    upward = sorted(
        f"{module} → {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _app(target) != _app(module) and LAYERS[_app(target)] >= LAYERS[_app(module)]
    )
    assert upward == [], "imports against the floor plan (docs/architecture.md):\n" + "\n".join(
        upward
    )


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of ``graph``, or ``None`` (depth-first search with colours)."""
    colour: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if colour.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in colour and (found := visit(target)):
                return found
        stack.pop()
        colour[node] = 2
        return None

    for node in sorted(graph):
        if node not in colour and (found := visit(node)):
            return found
    return None


def test_no_app_level_import_cycle():
    apps: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        apps.setdefault(_app(module), set()).update(
            _app(target) for target in targets if _app(target) != _app(module)
        )
    assert _cycle(apps) is None, " → ".join(_cycle(apps) or [])


def test_no_module_level_import_cycle():
    found = _cycle(GRAPH)
    assert found is None, " → ".join(found or [])


@pytest.mark.parametrize(
    ("graph", "has_cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True),
        ({"a": {"a"}}, True),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, has_cycle):
    assert (_cycle(graph) is not None) is has_cycle


def test_the_import_reader_sees_relative_and_lazy_imports(tmp_path):
    source = tmp_path / "fake.py"
    source.write_text(
        "from .figures import Figures\n"
        "from .writers import docx\n"
        "def later():\n"
        "    from members.models import Branch\n"
        "    import django.db\n",
        encoding="utf-8",
    )
    assert _imports("reports.fake", source) == {
        "reports.figures",
        "reports.writers.docx",  # the submodule, not the package's own code
        "members.models",
    }
