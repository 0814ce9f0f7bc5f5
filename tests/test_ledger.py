"""The ledger: claims recorded by check() in executed pages, listed on the ledger page."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace

from relu_guide.core import claims
from relu_guide.core.claims import LEDGER_ENV, check, read_ledger, set_source, source_of
from relu_guide.faces.sphinxext.ledger import ledger_anchor

nocolor()

CONF = """
extensions = ["myst_nb", "relu_guide.faces.sphinxext"]
nb_execution_mode = "force"
nb_execution_raise_on_error = True
exclude_patterns = ["_build"]
"""

PAGE = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

# A chapter

```{code-cell} ipython3
from relu_guide.core.claims import check, set_source
set_source("chapter")
n = sum(1 for s in range(30) if s % 3 == 0)
check("{n} of 30 seeds are multiples of three", n == 10, n=n, seeds=range(30))
check("one run converged", True, loss=0.125, seeds=[7])
```

```{relu-ledger-link}
```
"""

INDEX = """Index
=====

.. toctree::

   chapter
   checks
"""

CHECKS = """What this guide checks
======================

.. relu-ledger::
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LEDGER_ENV, raising=False)
    monkeypatch.setattr(claims, "_source", None)
    monkeypatch.setattr(claims, "_started", set())


def _build(src: Path) -> str:
    out, warnings = src / "_build" / "html", io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            src, src, out, src / "_build" / "doctrees", "html", status=None, warning=warnings
        )
        app.build()
    return warnings.getvalue()


def _project(tmp_path: Path) -> Path:
    src = tmp_path / "docs"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    (src / "index.rst").write_text(INDEX)
    (src / "chapter.md").write_text(PAGE)
    (src / "checks.rst").write_text(CHECKS)
    return src


def test_claims_of_an_executed_page_are_listed_and_linked(tmp_path: Path) -> None:
    src = _project(tmp_path)
    warnings = _build(src)
    assert "WARNING" not in warnings, warnings
    folder = src / "_build" / "doctrees" / "ledger"
    ledger = read_ledger(folder)  # the kernel inherited the folder from the build
    assert [c.text for c in ledger["chapter"]] == [
        "10 of 30 seeds are multiples of three",
        "one run converged",
    ]
    html = (src / "_build" / "html" / "checks.html").read_text()
    assert f'id="{ledger_anchor("chapter")}"' in html
    assert 'href="chapter.html"' in html
    assert "10 of 30 seeds are multiples of three" in html
    assert "n = 10" in html
    assert "0–29 (30 seeds)" in html
    assert "seed 7" in html
    assert "2 claims, from 1 guide pages" in html
    page = (src / "_build" / "html" / "chapter.html").read_text()
    assert "The build checked 2 claims on this page" in page
    assert f'href="checks.html#{ledger_anchor("chapter")}"' in page


def test_the_ledger_page_is_rewritten_by_every_build(tmp_path: Path) -> None:
    src = _project(tmp_path)
    _build(src)
    # A later build records a new claim (as a re-run example would); no source file changed.
    extra = src / "_build" / "doctrees" / "ledger" / "chapter.jsonl"
    record: dict[str, object] = {
        "text": "a claim made later",
        "values": {},
        "seeds": None,
        "source": "chapter",
        "holds": True,
    }
    with extra.open("a") as f:
        f.write(json.dumps(record) + "\n")
    _build(src)
    assert "a claim made later" in (src / "_build" / "html" / "checks.html").read_text()


def test_a_recorded_false_claim_is_a_build_warning(tmp_path: Path) -> None:
    src = _project(tmp_path)
    _build(src)
    extra = src / "_build" / "doctrees" / "ledger" / "chapter.jsonl"
    record: dict[str, object] = {
        "text": "pigs fly",
        "values": {},
        "seeds": None,
        "source": "chapter",
        "holds": False,
    }
    with extra.open("a") as f:
        f.write(json.dumps(record) + "\n")
    assert "false claim recorded by chapter: pigs fly" in _build(src)


def test_a_gallery_script_owns_its_claims_whatever_the_last_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LEDGER_ENV, str(tmp_path / "ledger"))
    set_source("guide/01-linear")
    script = tmp_path / "gallery" / "beyond" / "plot_demo.py"
    script.parent.mkdir(parents=True)
    code = compile('check("two is even", 2 % 2 == 0, n=2)', str(script), "exec")
    exec(code, {"check": check})
    check("a page claim", True)
    ledger = read_ledger(tmp_path / "ledger")
    assert [c.text for c in ledger["gallery/beyond/plot_demo"]] == ["two is even"]
    assert [c.text for c in ledger["guide/01-linear"]] == ["a page claim"]
    assert source_of(os.fspath(script)) == "gallery/beyond/plot_demo"


def test_a_false_claim_is_recorded_then_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LEDGER_ENV, str(tmp_path))
    set_source("page")
    with pytest.raises(claims.ClaimError, match="false claim: 3 > 4"):
        check("{a} > {b}", 3 > 4, a=3, b=4)  # noqa: PLR0133  (a false claim on purpose)
    (claim,) = read_ledger(tmp_path)["page"]
    assert claim.holds is False
    assert claim.values == {"a": 3, "b": 4}


def test_a_cell_ending_in_a_check_shows_nothing() -> None:
    """In a notebook the claim goes to the ledger, not under the cell: Jupyter's formatter, which
    turns a cell's last value into its output, makes nothing of a Claim (no ``Claim(...)`` repr)."""
    from IPython.core.formatters import DisplayFormatter

    formatter: Any = DisplayFormatter()  # IPython's formatter has no annotations
    claim = check("{n} is positive", True, n=1)
    assert formatter.format(claim) == ({}, {})
    assert formatter.format(3)[0] == {"text/plain": "3"}
