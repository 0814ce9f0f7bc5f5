"""The gallery's examples, of every folder, run once each in one pool; sphinx-gallery's pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONF = """
extensions = ["sphinx_gallery.gen_gallery", "relu_guide.faces.sphinxext"]
sphinx_gallery_conf = {
    "examples_dirs": "../gallery",
    "gallery_dirs": "auto_gallery",
    "filename_pattern": "/plot_",
    "parallel": True,
    "image_scrapers": (),
    "write_computation_times": False,
}
"""
EXAMPLE = '''"""
Example {name}
==============

It says where it ran.
"""

import os
from pathlib import Path

with Path(os.environ["RAN_LOG"]).open("a") as log:
    log.write("{name} %d\\n" % os.getpid())
print("{name} ran")
'''


def _build(project: Path, log: Path) -> str:
    cmd = [sys.executable, "-m", "sphinx", "-j", "2", "-b", "html", "docs", "docs/_build/html"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RAN_LOG": str(log)}
    env["RELU_GUIDE_CACHE"] = str(project / "cache")
    done = subprocess.run(
        cmd, cwd=project, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("examples")
    (root / "docs").mkdir()
    (root / "docs" / "conf.py").write_text(CONF)
    (root / "docs" / "index.rst").write_text(
        "Home\n====\n\n.. toctree::\n\n   auto_gallery/index\n"
    )
    folders = {"": ["plot_a.py"], "one": ["plot_b.py", "plot_c.py"], "two": ["plot_d.py"]}
    for folder, names in folders.items():
        (root / "gallery" / folder).mkdir(parents=True, exist_ok=True)
        title = folder or "Gallery"
        (root / "gallery" / folder / "GALLERY_HEADER.rst").write_text(f"{title}\n{'=' * 9}\n")
        for name in names:
            (root / "gallery" / folder / name).write_text(EXAMPLE.format(name=name[5]))
    return root


def test_every_example_runs_once_in_one_pool(project: Path) -> None:
    log = project / "ran.log"
    out = _build(project, log)
    assert "[relu_guide] ran 4 examples together" in out
    ran = sorted(line.split()[0] for line in log.read_text().splitlines())
    assert ran == ["a", "b", "c", "d"]  # each once, none again by sphinx-gallery
    assert len({line.split()[1] for line in log.read_text().splitlines()}) <= 2  # two workers
    html = project / "docs" / "_build" / "html" / "auto_gallery"
    for page, name in [
        ("plot_a", "a"),
        ("one/plot_b", "b"),
        ("one/plot_c", "c"),
        ("two/plot_d", "d"),
    ]:
        assert f"{name} ran" in (html / f"{page}.html").read_text()  # its captured output
    times = json.loads((project / "cache" / "build_seconds.json").read_text())["examples"]
    assert sorted(times) == ["plot_a.py", "plot_b.py", "plot_c.py", "plot_d.py"]


def test_a_rebuild_runs_nothing(project: Path) -> None:
    log = project / "ran-again.log"
    out = _build(project, log)
    assert "examples together" not in out
    assert not log.exists()
