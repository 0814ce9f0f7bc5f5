"""The seconds that order a build's jobs: the last build's record, else the docs' copy."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from relu_guide.faces.sphinxext.build_times import (
    FILE,
    known_seconds,
    longest_first,
    record_seconds,
)
from relu_guide.studies.cache import CACHE_ENV


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _app(confdir: Path, hints: str = "") -> SimpleNamespace:
    return SimpleNamespace(config=SimpleNamespace(relu_guide_build_seconds=hints), confdir=confdir)


def test_a_record_adds_to_its_kind_and_keeps_the_others(cache: Path, tmp_path: Path) -> None:
    record_seconds("examples", {"plot_a.py": 2.0})
    record_seconds("studies", {"width sweep": 8.0})
    record_seconds("examples", {"plot_b.py": 1.0, "plot_a.py": 3.0})
    stored = json.loads((cache / FILE).read_text())
    assert stored == {
        "examples": {"plot_a.py": 3.0, "plot_b.py": 1.0},
        "studies": {"width sweep": 8.0},
    }
    assert known_seconds(_app(tmp_path), "examples") == {"plot_a.py": 3.0, "plot_b.py": 1.0}


def test_the_docs_copy_fills_in_what_the_record_lacks(cache: Path, tmp_path: Path) -> None:
    (tmp_path / "hints.json").write_text(json.dumps({"notebooks": {"a.md": 1.0, "b.md": 2.0}}))
    app = _app(tmp_path, "hints.json")
    assert known_seconds(app, "notebooks") == {"a.md": 1.0, "b.md": 2.0}  # a clean build
    record_seconds("notebooks", {"b.md": 5.0})
    assert known_seconds(app, "notebooks") == {"a.md": 1.0, "b.md": 5.0}  # its own times win


def test_unreadable_or_missing_files_order_nothing(cache: Path, tmp_path: Path) -> None:
    (tmp_path / "hints.json").write_text("{not json")
    assert known_seconds(_app(tmp_path, "hints.json"), "studies") == {}
    assert known_seconds(_app(tmp_path, "missing.json"), "studies") == {}
    cache.mkdir()
    (cache / FILE).write_text(json.dumps({"studies": [1, 2]}))
    assert known_seconds(_app(tmp_path), "studies") == {}


def test_without_a_cache_nothing_is_recorded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    record_seconds("studies", {"x": 1.0})
    assert known_seconds(_app(tmp_path), "studies") == {}
    assert not list(tmp_path.iterdir())


def test_longest_first_keeps_the_order_of_jobs_never_timed() -> None:
    jobs = [("a", 1), ("b", 2), ("c", 3), ("d", 4)]
    ordered = longest_first(jobs, {"c": 1.0, "d": 7.0}, name=lambda j: j[0])
    assert ordered == [("d", 4), ("c", 3), ("a", 1), ("b", 2)]


def test_the_docs_copy_names_every_job_of_the_guide() -> None:
    """The copy in docs/ orders a clean build of the guide: every study, example, notebook."""
    from relu_guide.faces.sphinxext.precompute import _registry

    root = Path(__file__).resolve().parents[1]
    copy = json.loads((root / "docs" / FILE).read_text())
    refresh = f"refresh docs/{FILE}: copy docs/_build/.relu_guide_cache/{FILE} over it"
    assert set(copy["studies"]) == set(_registry()), refresh
    examples = {p.name for p in (root / "gallery").rglob("plot_*.py")}
    assert set(copy["examples"]) == examples, refresh
    pages = (root / "docs" / "guide").glob("*.md")
    notebooks = {f"guide/{p.name}" for p in pages if "file_format: mystnb" in p.read_text()}
    assert set(copy["notebooks"]) == notebooks, refresh
