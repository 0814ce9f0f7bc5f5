"""The guide's pages, checked without Sphinx: their cells run, every glued number exists.

Each page of ``docs/guide`` is a MyST-NB text notebook whose code cells compute and assert every
quantitative claim of its prose. The Sphinx build runs them too; these tests give the same
verdict in seconds, and check the page conventions: front matter, glued numbers only (no decimal
number typed by hand in the prose), gallery figures that exist.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide"
GALLERY = ROOT / "gallery"
PAGES = sorted(GUIDE.glob("0*.md"))

CELL = re.compile(r"^```\{code-cell\} ipython3\n(.*?)^```$", re.S | re.M)
GLUE_REF = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")
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


@pytest.fixture(scope="module", params=PAGES, ids=[p.stem for p in PAGES])
def executed(request: pytest.FixtureRequest) -> tuple[Path, dict[str, Any]]:
    """Run a page's cells in order, as the notebook kernel would; return what they glued."""
    page: Path = request.param
    glued: dict[str, Any] = {}

    def glue(name: str, value: Any, display: bool = True) -> None:
        glued[name] = value

    fake = types.ModuleType("myst_nb")
    fake.glue = glue  # type: ignore[attr-defined]
    saved = sys.modules.get("myst_nb")
    sys.modules["myst_nb"] = fake
    try:
        namespace: dict[str, Any] = {"__name__": f"guide_{page.stem.replace('-', '_')}"}
        for number, (_, source) in enumerate(code_cells(page.read_text())):
            exec(compile(source, f"{page.name}[cell {number}]", "exec"), namespace)
    finally:
        if saved is None:
            del sys.modules["myst_nb"]
        else:
            sys.modules["myst_nb"] = saved
    return page, glued


def test_pages_exist() -> None:
    assert [p.name for p in PAGES][:3] == ["01-linear.md", "02-activations.md", "03-why-relus.md"]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_front_matter_makes_an_executable_notebook(page: Path) -> None:
    head = page.read_text().split("---\n")[1]
    assert "file_format: mystnb" in head
    assert re.search(r"kernelspec:\n\s+name: python3", head)


def test_every_glued_number_is_computed(executed: tuple[Path, dict[str, Any]]) -> None:
    page, glued = executed
    text = page.read_text()
    refs = GLUE_REF.findall(text)
    assert refs, f"{page.name} quotes no computed number"
    missing = sorted({name for name, _ in refs} - set(glued))
    assert not missing, f"{page.name}: glue references without a value: {missing}"
    for name, spec in refs:
        value = glued[name]
        assert not type(value).__module__.startswith("numpy"), (
            f"{page.name}: glue {name!r} is a numpy scalar; MyST-NB cannot format its repr"
        )
        assert plain_text(value, spec), f"{page.name}: glue {name!r} formats as nothing"


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
