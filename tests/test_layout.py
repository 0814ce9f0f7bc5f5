"""The package is laid out as data flows: the core and the studies never draw."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

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
