"""The navigation memo: the same HTML as Sphinx's own toctree resolution, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.environment.adapters import toctree
from sphinx.util.docutils import docutils_namespace

from relu_guide.faces.sphinxext import navigation

PAGES = {
    "index.rst": "Home\n====\n\n.. toctree::\n   :maxdepth: 2\n\n   a/index\n   b\n   c\n",
    "a/index.rst": "A\n=\n\nSection\n-------\n\n.. toctree::\n\n   one\n   two\n",
    "a/one.rst": "One\n===\n\nPart\n----\n\nSub\n~~~\n\n.. py:function:: f(x)\n",
    "a/two.rst": "Two\n===\n\n.. only:: html\n\n   Only here\n   ---------\n",
    "b.rst": ":tocdepth: 1\n\nB\n=\n\nDeep\n----\n\n.. toctree::\n   :titlesonly:\n\n   d\n",
    "c.rst": "C\n=\n\n.. toctree::\n   :hidden:\n\n   e\n",
    "d.rst": "D\n=\n\nSection\n-------\n",
    "e.rst": "E\n=\n",
}


def _site(tmp_path: Path, name: str, extensions: list[str]) -> dict[str, bytes]:
    src = tmp_path / name
    for page, text in PAGES.items():
        (src / page).parent.mkdir(parents=True, exist_ok=True)
        (src / page).write_text(text)
    (src / "conf.py").write_text(f'extensions = {extensions!r}\nhtml_theme = "furo"\n')
    out = src / "_build"
    with docutils_namespace():
        Sphinx(src, src, out, src / "_doctrees", "html", status=None, warning=None).build()
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.html")}


def test_memo_gives_sphinx_own_navigation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo and the folder trees marked per page: furo's and Sphinx's HTML, byte for byte."""
    import furo

    original = furo._compute_navigation_tree
    fast = navigation.fast_navigation_tree
    used: list[dict[str, int]] = []

    def spy(app: Sphinx) -> None:  # the fast tree's counts, read before the build restores furo
        fast(app)
        used.append(furo._compute_navigation_tree.stats)

    monkeypatch.setattr(navigation, "fast_navigation_tree", spy)
    memoized = _site(tmp_path, "memo", ["relu_guide.faces.sphinxext.navigation"])
    assert furo._compute_navigation_tree is original  # put back when the build finished
    assert used[0]["marked"] >= 5  # the pages marked in their folder's tree: a/*, the root's
    assert used[0]["furo"] >= 2  # b and d, below b's tocdepth: furo's own
    entries = toctree._entries_from_toctree
    assert hasattr(entries, "clear")  # the memo was installed and used
    monkeypatch.setattr(toctree, "_entries_from_toctree", entries.__wrapped__)
    plain = _site(tmp_path, "plain", [])
    assert sorted(memoized) == sorted(plain)
    assert len(plain) == len(PAGES) + 2  # the pages, genindex and search
    for page, html in plain.items():
        assert memoized[page] == html, page
    # the sidebar lists every page from every page (the tree is not one page's)
    assert all(b'href="' in html and b"toctree-l1" in html for html in plain.values())


def test_setup_installs_the_memo_once() -> None:
    class App:
        def __init__(self) -> None:
            self.connected: list[str] = []

        def connect(self, event: str, _handler: object) -> None:
            self.connected.append(event)

    app = App()
    navigation.setup(app)
    first = toctree._entries_from_toctree
    navigation.setup(app)
    assert toctree._entries_from_toctree is first
    assert app.connected == ["env-updated", "builder-inited"] * 2
