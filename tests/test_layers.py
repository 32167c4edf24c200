"""The package's layers, read from its source (ast, no import run).

Dependencies point one way: `patterns/` (regex handling) and `document/` (the article
model) are below the rule kinds (`checks/`) and the commands, so a change to a kind never
reaches into the parser.  Every import counts, also one inside a function (deferred for
start-up time, it is still a dependency); only imports for annotations (`if TYPE_CHECKING:`)
do not.  No module may reach into `re`'s internals
(`re._parser`, `sre_parse`, `sre_compile`): a new CPython may change them without notice.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "linter"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST):
    """Every node of `tree` but those under `if TYPE_CHECKING:` (annotations only: never run)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                stack.extend(child.orelse)
            else:
                stack.append(child)


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """(linter module imported, line) for every import the file runs, at any depth (inside
    functions too); not those under `if TYPE_CHECKING:`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from . import x` and `from .pkg import mod` import modules too
            targets = [module] + [f"{module}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            if t in known and t != name:
                out.append((t, node.lineno))
    return out


def _graph() -> dict[str, list[tuple[str, int]]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out = []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w, _ in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_among_linter_modules():
    graph = _graph()
    # a sub-module's import of its own package's __init__ is the package loading: every
    # `from . import x` in a package would otherwise be a cycle with that package
    for name, edges in graph.items():
        graph[name] = [(t, line) for t, line in edges if not name.startswith(t + ".")]
    assert _cycles(graph) == []


def test_the_article_model_and_patterns_do_not_import_the_layers_above():
    graph = _graph()
    above = {
        "linter.document": ("linter.checks", "linter.commands", "linter.ruleset", "linter.engine", "linter.cli",
                            "linter.report", "linter.reporters", "linter.service", "linter.lsp", "linter.profile"),
        "linter.patterns": ("linter.checks", "linter.commands", "linter.document", "linter.ruleset", "linter.engine",
                            "linter.cli", "linter.report", "linter.reporters", "linter.config", "linter.profile",
                            "linter.entities"),
    }
    wrong = []
    for name, edges in graph.items():
        for layer, forbidden in above.items():
            if name == layer or name.startswith(layer + "."):
                wrong += [f"{name}:{line} imports {t}" for t, line in edges if t.startswith(forbidden)]
    assert wrong == []


def test_no_module_uses_re_internals():
    wrong = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                hits = [a.name for a in node.names if a.name in ("sre_parse", "sre_compile", "sre_constants") or a.name.startswith("re._")]
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                hits = [module] if module in ("sre_parse", "sre_compile", "sre_constants") or module.startswith("re._") else []
                if module == "re":
                    hits += [a.name for a in node.names if a.name.startswith("_")]
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
                hits = [f"re.{node.attr}"] if node.attr.startswith("_") else []
            else:
                continue
            wrong += [f"{name}:{node.lineno}: {h}" for h in hits]
    assert wrong == []


def test_the_checks_find_what_they_look_for(tmp_path, monkeypatch):
    """The checks above are not vacuous: a planted cycle, an upward import and a use of
    `re._parser` are each found."""
    pkg = tmp_path / "linter"
    (pkg / "document").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "document" / "__init__.py").write_text("")
    (pkg / "document" / "a.py").write_text("def f():\n    from ..b import x\n")
    (pkg / "b.py").write_text("from .document.a import f\nfrom .checks import KINDS\n")
    (pkg / "checks.py").write_text("import re\nP = re._parser\n")
    (pkg / "document" / "c.py").write_text("from ..checks import KINDS\nif TYPE_CHECKING:\n    from ..b import f\n")
    monkeypatch.setitem(globals(), "PACKAGE", pkg)
    graph = _graph()
    assert _cycles(graph) == [["linter.b", "linter.document.a"]]
    assert graph["linter.document.c"] == [("linter.checks", 1)]  # the annotation-only import left out
    try:
        test_no_module_uses_re_internals()
    except AssertionError as exc:
        assert "linter.checks:2: re._parser" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("re._parser not found")
