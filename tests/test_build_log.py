"""The docs build's machinery: notebooks executed side by side, and a quiet log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

from relu_guide.core.claims import read_ledger
from relu_guide.faces.sphinxext.quiet import QuietFilter

if TYPE_CHECKING:
    from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parents[1]
CONF = """
extensions = ["myst_nb", "relu_guide.faces.sphinxext"]
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
pygments_style = "a11y-high-contrast-light"  # its import used to set the root logger to INFO
# Workers started before the build points the ledger at its folder, as a clean build of the
# guide starts them (relu_guide.faces.sphinxext.precompute.start_workers).
from joblib import Parallel, delayed
Parallel(n_jobs=2, backend="loky")(delayed(int)() for _ in range(2))
"""
PAGE = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---
# Page {n}

```{{code-cell}} ipython3
from relu_guide.faces.notebook import glue
from relu_guide.core.claims import check, set_source
import logging, numpy as np
set_source("{name}")
check("{n} times 7 is {{v}}", True, v={n} * 7)
logging.getLogger("matplotlib.mathtext").info("font lookup noise")
glue("value_{n}", np.float64({n}) * 7)
```

The value is {{glue:text}}`value_{n}`.
"""
NOISE = ("TCP without encryption", "INFO", "MdParserConfig", "NbParserConfig", "Executing notebook")


def _sphinx_build(src: Path) -> str:
    out = src.parent / "_build" / "html"
    cmd = [sys.executable, "-m", "sphinx", "-j", "2", "-W", "-b", "html", str(src), str(out)]
    # a temporary folder of its own: what the build leaves there is its own (other tests may
    # be starting kernels in the system's at the same time)
    (src.parent / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(src.parent / "tmp")}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("notebooks") / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    (src / "index.md").write_text("# Index\n\n```{toctree}\na\nb\nc\n```\n")
    for n, name in enumerate("abc", start=1):
        (src / f"{name}.md").write_text(PAGE.format(n=n, name=name))
    return src


def test_notebooks_run_side_by_side_in_a_quiet_build(project: Path) -> None:
    log = _sphinx_build(project)
    assert "[relu_guide] executing 3 notebooks, 2 at a time, beside the gallery" in log
    for noise in NOISE:
        assert noise not in log, f"build log has {noise!r}:\n{log}"
    for n, name in enumerate("abc", start=1):
        html = (project.parent / "_build" / "html" / f"{name}.html").read_text()
        assert f'The value is <span class="pasted-text">{7.0 * n}</span>' in html
    ledger = read_ledger(project.parent / "_build" / "html" / ".doctrees" / "ledger")
    assert {s: [c.text for c in claims] for s, claims in ledger.items()} == {
        name: [f"{n} times 7 is {7 * n}"] for n, name in enumerate("abc", start=1)
    }  # the build's environment reached the notebooks: their claims are recorded


def test_a_rebuild_runs_no_notebook(project: Path) -> None:
    (project / "a.md").touch()  # re-read, but its code did not change
    log = _sphinx_build(project)
    assert "[relu_guide] executing" not in log


def test_quiet_filter_drops_listed_info_and_keeps_problems() -> None:
    quiet = QuietFilter()

    def record(name: str, level: int, msg: str) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, msg, None, None)

    assert not quiet.filter(record("sphinx.mystnb-guide/a", logging.INFO, "Executed notebook"))
    assert not quiet.filter(
        record("sphinx.sphinx-gallery", logging.INFO, "computation time summary:")
    )
    assert quiet.filter(record("sphinx.sphinx-gallery", logging.INFO, "generating gallery..."))
    assert quiet.filter(
        record("sphinx.mystnb-guide/a", logging.WARNING, "Executing notebook failed")
    )
    assert quiet.filter(
        record("sphinx.myst_nb.sphinx_ext", logging.ERROR, "myst-nb v1: NbParserConfig(")
    )


def test_quiet_build_ignores_the_worker_restart_warning_only() -> None:
    import warnings

    from relu_guide.faces.sphinxext.quiet import quiet_logging

    root_level = logging.getLogger().level
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        quiet_logging(cast("Sphinx", None))  # it does not read the app
        warnings.warn(
            "A worker stopped while some jobs were given to the executor. This can be caused by "
            "a too short worker timeout or by a memory leak.",
            UserWarning,
            stacklevel=1,
        )
        warnings.warn("A worker crashed: a real problem", UserWarning, stacklevel=1)
    logging.getLogger().setLevel(root_level)
    assert [str(w.message) for w in caught] == ["A worker crashed: a real problem"]


def test_gallery_workers_only_when_an_example_will_run(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from sphinx_gallery.gen_rst import get_md5sum

    from relu_guide.faces.sphinxext.speed import serial_when_current

    src, out = tmp_path / "gallery", tmp_path / "docs" / "auto_gallery"
    (src / "part").mkdir(parents=True)
    (out / "part").mkdir(parents=True)
    for name in ("plot_a.py", "plot_b.py", "_helper.py"):
        (src / "part" / name).write_text(f"print({name!r})\n")
    conf: dict[str, Any] = {
        "examples_dirs": "../gallery",
        "gallery_dirs": "auto_gallery",
        "parallel": 2,
    }
    conf["ignore_pattern"] = r"__init__\.py|/_"
    fake = SimpleNamespace(config=SimpleNamespace(sphinx_gallery_conf=conf), srcdir=out.parent)
    app = cast("Sphinx", fake)  # what serial_when_current reads of the app
    md5 = get_md5sum(src / "part" / "plot_a.py", mode="t")
    (out / "part" / "plot_a.py.md5").write_text(md5)
    serial_when_current(app)  # plot_b has never run
    assert conf["parallel"] == 2
    (out / "part" / "plot_b.py.md5").write_text(get_md5sum(src / "part" / "plot_b.py", mode="t"))
    serial_when_current(app)  # every example current (the _helper never runs)
    assert conf["parallel"] is False
