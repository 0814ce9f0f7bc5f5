"""The guide's pages, read without running them: the conventions their cells and prose keep.

Each page of ``docs/guide`` is a MyST-NB text notebook whose code cells compute and check every
quantitative claim of its prose; the docs build executes them (a failing cell fails it), so the
test suite does not. These tests check the conventions: front matter, every glued number glued
by a cell with the package's helper, no decimal number typed by hand in the prose, experiments
and studies by their names in the package, gallery figures that exist.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide"
GALLERY = ROOT / "gallery"
PAGES = sorted(GUIDE.glob("0*.md"))

CELL = re.compile(r"^```\{code-cell\} ipython3\n(.*?)^```$", re.S | re.M)
GLUE_REF = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")
#: A glue call's first argument: a string, an f-string (its fields may hold quotes) or a name.
GLUE_CALL = re.compile(
    r"""\bglue\(\s*(f"(?:[^"{}]|\{[^}]*\})*"|f'(?:[^'{}]|\{[^}]*\})*'|"[^"]*"|'[^']*'|\w+)"""
)
STRING = re.compile(r"""["'](\w+)["']""")
#: Study functions the pages must call through their names in relu_guide.studies.specs.
UNNAMED_STUDIES = (
    "width_sweep",
    "dead_relu_census",
    "vanishing_gradient_study",
    "activation_fits",
    "shallow_comparison",
    "trained_deep_runs",
    "depth_table",
    "train_many",
)
GALLERY_FIGURE = re.compile(r"^```\{gallery-figure\} (\S+)\n((?::\w+:.*\n)*)", re.M)


def code_cells(text: str) -> list[tuple[list[str], str]]:
    """(tags, source) of every code cell of a MyST-NB page."""
    cells = []
    for body in CELL.findall(text):
        lines = body.splitlines()
        tags: list[str] = []
        while lines and lines[0].startswith(":"):
            option = lines.pop(0)
            if option.startswith(":tags:"):
                tags = re.findall(r"[\w-]+", option[len(":tags:") :])
        cells.append((tags, "\n".join(lines)))
    return cells


def glue_names(literal: str, cells: str) -> list[re.Pattern[str]]:
    """The names a glue call's first argument can give: an f-string's fields match any word; a
    variable, any word quoted in the cells."""
    if re.fullmatch(r"\w+", literal):
        return [re.compile(re.escape(word)) for word in STRING.findall(cells)]
    body = literal[2:-1] if literal.startswith("f") else literal[1:-1]
    parts = re.split(r"\{[^}]*\}", body)
    return [re.compile(r"\w+".join(re.escape(p) for p in parts))]


def prose(text: str) -> str:
    """The page without front matter, code cells, directives, math, roles and inline code."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"^```.*?^```$", "", text, flags=re.S | re.M)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", "", text)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", "", text)
    return re.sub(r"`[^`]*`", "", text)


def plain_text(value: Any, spec: str) -> str:
    """How MyST-NB's ``{glue:text}`` shows a value: its repr, read back, then formatted."""
    try:
        shown = ast.literal_eval(repr(value))
    except (SyntaxError, ValueError):
        shown = repr(value)
    if not spec:
        return str(shown)
    kind = spec[-1]
    if kind in "bcdoxX":
        shown = int(shown)
    elif kind in "eEfFgGn%":
        shown = float(shown)
    elif kind == "s":
        shown = str(shown)
    return format(shown, spec)


def test_pages_exist() -> None:
    assert [p.name for p in PAGES][:3] == ["01-linear.md", "02-activations.md", "03-why-relus.md"]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_front_matter_makes_an_executable_notebook(page: Path) -> None:
    head = page.read_text().split("---\n")[1]
    assert "file_format: mystnb" in head
    assert re.search(r"kernelspec:\n\s+name: python3", head)


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_glued_number_is_glued_by_a_cell(page: Path) -> None:
    text = page.read_text()
    refs = {name for name, _ in GLUE_REF.findall(text)}
    assert refs, f"{page.name} quotes no computed number"
    cells = "\n".join(source for _, source in code_cells(text))
    names = [n for call in GLUE_CALL.findall(cells) for n in glue_names(call, cells)]
    missing = sorted(ref for ref in refs if not any(n.fullmatch(ref) for n in names))
    assert not missing, f"{page.name}: glue references no cell glues: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_pages_glue_with_the_package_helper(page: Path) -> None:
    cells = "\n".join(source for _, source in code_cells(page.read_text()))
    assert "from relu_guide.faces.notebook import glue" in cells
    assert "myst_nb" not in cells, f"{page.name}: glue with relu_guide.faces.notebook.glue"
    assert "def glue" not in cells


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_pages_train_nothing_unnamed(page: Path) -> None:
    """Experiments and studies come by name from the package, computed once (the cache)."""
    cells = "\n".join(source for _, source in code_cells(page.read_text()))
    assert "Experiment(" not in cells, f"{page.name}: use a named spec of core.experiments"
    assert "from relu_guide import train" not in cells, f"{page.name}: use studies.cache.train"
    for study in UNNAMED_STUDIES:
        assert f"{study}(" not in cells, f"{page.name}: use the named study of studies.specs"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_no_decimal_number_typed_in_prose(page: Path) -> None:
    typed = re.findall(r"(?<![\w.])\d+\.\d+", prose(page.read_text()))
    assert not typed, f"{page.name}: numbers typed by hand, glue them from a cell: {typed}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_setup_cells_are_removed_and_imports_are_not_shown(page: Path) -> None:
    cells = code_cells(page.read_text())
    first_tags, first_source = cells[0]
    assert "remove-cell" in first_tags
    assert "torch.set_num_threads(1)" in first_source


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_gallery_figures_name_existing_examples(page: Path) -> None:
    for example, _ in GALLERY_FIGURE.findall(page.read_text()):
        assert (GALLERY / f"{example}.py").is_file(), f"{page.name}: no gallery example {example}"


def test_toctree_lists_every_chapter() -> None:
    index = (GUIDE / "index.md").read_text()
    block = re.search(r"```\{toctree\}\n((?::\w+:.*\n)*)\n?((?:.+\n)+?)```", index)
    assert block, "docs/guide/index.md has no toctree"
    assert ":numbered:" in block.group(1)
    entries = block.group(2).split()
    pages = sorted(p.stem for p in GUIDE.glob("*.md") if p.stem != "index")
    listed = {p for p in pages for e in entries if fnmatch.fnmatch(p, e)}
    assert listed == set(pages), f"chapters missing from the toctree: {set(pages) - listed}"
