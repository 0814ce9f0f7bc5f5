"""Studies computed ahead of the gallery: only the missing ones, longest first, then read back."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

import pytest

from relu_guide.faces.sphinxext import precompute
from relu_guide.faces.sphinxext.build_times import FILE
from relu_guide.studies.cache import CACHE_ENV, cache_folder, is_cached
from relu_guide.studies.specs import Study

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CALLS: list[int] = []


def _square(n: int) -> int:
    CALLS.append(n)
    return n * n


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Study]:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    studies = {f"square {n}": Study.of(f"square {n}", _square, n=n) for n in (2, 3, 4)}
    monkeypatch.setattr(precompute, "_registry", lambda: studies)
    CALLS.clear()
    return studies


def _app(
    parallel: int = 1, plot_gallery: str = "True", hints: str = "", confdir: Path | None = None
) -> Sphinx:
    """What compute_studies reads of the app."""
    config = SimpleNamespace(
        sphinx_gallery_conf={"plot_gallery": plot_gallery}, relu_guide_build_seconds=hints
    )
    return cast("Sphinx", SimpleNamespace(config=config, parallel=parallel, confdir=confdir))


def test_missing_studies_are_computed_once_and_then_read(registry: dict[str, Study]) -> None:
    registry["square 3"].run()  # already in the cache: not computed again
    CALLS.clear()
    precompute.compute_studies(_app())
    assert sorted(CALLS) == [2, 4]
    assert all(is_cached(s.function, **s.kwargs) for s in registry.values())
    precompute.compute_studies(_app())
    assert sorted(CALLS) == [2, 4]  # nothing missing: nothing computed
    assert registry["square 4"].run() == 16
    assert sorted(CALLS) == [2, 4]


def test_once_all_are_stored_the_registry_is_not_even_read(
    registry: dict[str, Study], monkeypatch: pytest.MonkeyPatch
) -> None:
    precompute.compute_studies(_app())
    folder = cache_folder()
    assert folder is not None
    assert (folder / precompute.COMPLETE_FILE).is_file()

    def unread() -> dict[str, Study]:
        msg = "the registry was read (its modules imported) again"
        raise AssertionError(msg)

    monkeypatch.setattr(precompute, "_registry", unread)
    precompute.compute_studies(_app())  # the same package source: nothing to check


def test_the_longest_study_of_the_last_build_goes_first(registry: dict[str, Study]) -> None:
    folder = cache_folder()
    assert folder is not None
    folder.mkdir(parents=True)
    times = {"square 2": 0.1, "square 3": 5.0, "square 4": 1.0}
    (folder.parent / FILE).write_text(json.dumps({"studies": times}))
    precompute.compute_studies(_app())
    assert CALLS == [3, 4, 2]
    stored = json.loads((folder.parent / FILE).read_text())["studies"]
    assert set(stored) == set(registry)
    assert all(v >= 0 for v in stored.values())


def test_a_clean_build_orders_studies_by_the_docs_copy_of_a_record(
    registry: dict[str, Study], tmp_path: Path
) -> None:
    """Without a record of its own (a clean build), the docs' copy orders the studies."""
    (tmp_path / "conf").mkdir()
    copy = {"studies": {"square 2": 9.0, "square 4": 2.0}}
    (tmp_path / "conf" / "hints.json").write_text(json.dumps(copy))
    app = _app(hints="hints.json", confdir=tmp_path / "conf")
    precompute.compute_studies(app)
    assert CALLS == [2, 4, 3]  # never timed: last


def test_nothing_ahead_without_a_cache_or_without_running_the_gallery(
    registry: dict[str, Study], monkeypatch: pytest.MonkeyPatch
) -> None:
    precompute.compute_studies(_app(plot_gallery="False"))
    monkeypatch.setenv(CACHE_ENV, "")
    precompute.compute_studies(_app())
    assert CALLS == []


def test_the_registry_holds_every_study_of_the_guide() -> None:
    from relu_guide.studies.chapter_specs import CHAPTER_STUDIES
    from relu_guide.studies.specs import STUDIES

    names = set(precompute._registry())
    assert names == set(STUDIES) | set(CHAPTER_STUDIES)
    assert len(names) == len(STUDIES) + len(CHAPTER_STUDIES)  # no name used twice


def test_workers_start_with_the_configuration_only_when_studies_are_missing(
    registry: dict[str, Study], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(parallel=2)
    precompute.start_workers(app, app.config)
    warming = getattr(app, "_relu_guide_warming", None)
    assert warming is not None  # two loky workers importing the real studies, already running
    app.parallel = 1  # the workers only know the real registry, not this one
    precompute.compute_studies(app)  # waits for the workers first
    assert not hasattr(app, "_relu_guide_warming")
    assert sorted(CALLS) == [2, 3, 4]
    for stored in (_app(parallel=2), _app(parallel=2, plot_gallery="False"), _app(parallel=1)):
        precompute.start_workers(stored, stored.config)  # all stored; no gallery; one core
        assert not hasattr(stored, "_relu_guide_warming")
    monkeypatch.setenv(CACHE_ENV, "")
    no_cache = _app(parallel=2)
    precompute.start_workers(no_cache, no_cache.config)
    assert not hasattr(no_cache, "_relu_guide_warming")
