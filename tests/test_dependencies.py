"""Every module the package imports is the standard library's, the package's own, or provided by a
distribution ``pyproject.toml`` declares: a module that only happens to be installed (the machine's
own Python carried PyYAML, so a fresh environment could not build) fails here, naming it."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"


def imported_modules(folder: Path) -> dict[str, str]:
    """Top-level name of every absolute import in the folder's Python files -> one file importing it."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalized(re.match(r"[A-Za-z0-9_.-]+", spec).group()) for spec in project["dependencies"]}


def undeclared(modules: dict[str, str], declared: set[str]) -> list[str]:
    providers = packages_distributions()
    problems = []
    for module, where in sorted(modules.items()):
        if module in sys.stdlib_module_names or module == PACKAGE.name:
            continue
        if not {normalized(d) for d in providers.get(module, ())} & declared:
            problems.append(f"{where}: imports {module!r}, which no declared dependency provides")
    return problems


def test_every_third_party_import_of_the_package_is_a_declared_dependency():
    assert undeclared(imported_modules(PACKAGE), declared_distributions()) == []


def test_an_import_no_declared_distribution_provides_is_named():
    modules = {"yaml": "generator/ingest/markdown_doc.py", "jinja2": "generator/render/theme.py", "json": "x.py"}
    assert undeclared(modules, declared_distributions() - {"pyyaml"}) == [
        "generator/ingest/markdown_doc.py: imports 'yaml', which no declared dependency provides"]
