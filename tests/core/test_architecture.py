"""The core is a pure Python package with a small public surface.

The web project imports the engine, never the reverse: nothing under ``parindex.core`` may
import Django. Public names are listed in ``__all__`` (like encode/httpx
``tests/test_exported_members.py``).
"""

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
import types
from pathlib import Path

import parindex.core

CORE = Path(parindex.core.__file__).parent


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_django():
    offenders = {
        str(path.relative_to(CORE)): sorted(
            n for n in imported_names(path) if n.split(".")[0] == "django"
        )
        for path in core_modules()
    }

    assert len(offenders) >= 10  # the walk found the modules
    assert {path: names for path, names in offenders.items() if names} == {}


def test_no_core_module_imports_the_web_project():
    for path in core_modules():
        assert not any(n.startswith("parindex.web") for n in imported_names(path)), path


def test_importing_the_core_does_not_load_django():
    code = (
        "import sys, parindex.core; print(sorted(m for m in sys.modules if m.startswith('django')))"
    )

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "[]"


def test_all_names_exist_and_are_unique():
    names = parindex.core.__all__

    assert len(names) == len(set(names))
    missing = [name for name in names if not hasattr(parindex.core, name)]
    assert missing == []


def test_every_public_member_is_exported():
    public = {
        name
        for name, value in vars(parindex.core).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }

    assert public == set(parindex.core.__all__)


def test_exported_classes_and_functions_come_from_the_core():
    for name in parindex.core.__all__:
        value = getattr(parindex.core, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith("parindex.core."), name


def test_every_module_all_lists_names_it_has():
    names = ["parindex.core"] + [
        info.name for info in pkgutil.walk_packages(parindex.core.__path__, "parindex.core.")
    ]
    listed = 0
    for module_name in names:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            assert hasattr(module, name), f"{module_name}.{name}"
            listed += 1

    assert listed > len(parindex.core.__all__)  # the sub-packages have their own lists
