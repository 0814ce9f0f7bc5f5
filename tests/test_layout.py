"""The package is laid out as data flows: the core and the studies never draw."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest


def _modules(package: str) -> list[str]:
    found = pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}.")
    return [package, *sorted(m.name for m in found)]


CORE_AND_STUDIES = ["relu_guide", *_modules("relu_guide.core"), *_modules("relu_guide.studies")]


def _imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", CORE_AND_STUDIES)
def test_core_and_studies_do_not_draw(module: str) -> None:
    loaded = _imported_after(module)
    assert not {m for m in loaded if m == "matplotlib" or m.startswith("matplotlib.")}
    assert not {m for m in loaded if m.startswith(("relu_guide.drawing", "relu_guide.faces"))}


def test_core_does_not_depend_on_studies() -> None:
    loaded = _imported_after("relu_guide.core.piecewise; import relu_guide.core.sawtooth")
    assert not {m for m in loaded if m.startswith("relu_guide.studies")}


PACKAGE = Path(__file__).resolve().parents[1] / "relu_guide"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_modules_are_small_or_hold_one_idea(path: Path) -> None:
    """No module over 600 lines; one over 400 says in its docstring which one idea it holds."""
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= 600, f"{path.relative_to(PACKAGE)}: {lines} lines"
    if lines > 400:
        docstring = ast.get_docstring(ast.parse(text)) or ""
        assert "holds one idea" in docstring, f"{path.relative_to(PACKAGE)}: {lines} lines"
