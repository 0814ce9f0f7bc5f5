"""Runs and studies computed once: the disk cache, keyed on the package source and the call."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from relu_guide import Experiment, get_activation
from relu_guide.core.experiments import TWO_NEURONS
from relu_guide.core.training import train as plain_train
from relu_guide.studies import cache
from relu_guide.studies.specs import DEAD_CENSUS

CALLS: list[int] = []


@cache.cached
def square(x: int) -> int:
    CALLS.append(x)
    return x * x


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    CALLS.clear()
    return tmp_path


def test_a_result_is_computed_once_then_read(cache_dir: Path) -> None:
    assert [square(3), square(3), square(4)] == [9, 9, 16]
    assert CALLS == [3, 4]
    assert any(cache_dir.rglob("output.pkl"))


def test_a_package_change_recomputes_everything(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    square(5)
    (old,) = [p for p in cache_dir.iterdir() if p.is_dir()]
    monkeypatch.setattr(cache, "_package_hash", lambda: "f" * 64)
    assert square(5) == 25
    assert CALLS == [5, 5]  # no stale result, ever
    assert not old.exists()  # the results of the old source are gone
    assert [p.name for p in cache_dir.iterdir() if p.is_dir()] == ["f" * 16]


def test_without_the_variable_nothing_is_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    CALLS.clear()
    monkeypatch.chdir(tmp_path)
    square(2), square(2)
    assert CALLS == [2, 2]
    assert cache.cache_folder() is None
    assert not list(tmp_path.iterdir())


def test_the_cached_run_is_the_run(cache_dir: Path) -> None:
    exp = TWO_NEURONS.with_(steps=30, frames=3, seed=2)
    first, again, plain = cache.train(exp), cache.train(exp), plain_train(exp)
    assert again.experiment == exp == first.experiment
    for run in (first, again):
        np.testing.assert_array_equal(run.losses, plain.losses)
        for a, b in zip(run.weights, plain.weights, strict=True):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(again.predict([0.5]), plain.predict([0.5]))


def test_a_study_is_read_back_equal(cache_dir: Path) -> None:
    small = DEAD_CENSUS.with_(seeds=3, steps=40, frames=4)
    first, again = small.run(), small.run()
    assert [c.counts for c in first] == [c.counts for c in again]
    assert [c.label for c in again] == ["ReLU", "leaky ReLU"]
    np.testing.assert_array_equal(first[1].losses, again[1].losses)


def test_an_unpicklable_argument_is_computed_without_the_cache(cache_dir: Path) -> None:
    exp = Experiment(target=lambda x: x**2, hidden=(2,), steps=5, frames=1)
    assert cache.train(exp).experiment is exp
    assert not any(cache_dir.rglob("output.pkl"))


@pytest.mark.parametrize(
    "exp",
    [
        Experiment(target="x**3/25 - x", hidden=(3,), activation="tanh"),
        Experiment(activation=get_activation("leaky_relu", slope=0.05), output_activation="relu"),
        Experiment(target="step", domain=(0.0, 1.0), optimizer="adam", lr=0.003, seed=7),
    ],
)
def test_experiments_pickle_by_their_fields(exp: Experiment) -> None:
    back = pickle.loads(pickle.dumps(exp))
    assert back == exp
    assert back.activation_fn.name == exp.activation_fn.name
    x = np.linspace(-1, 1, 5)
    np.testing.assert_array_equal(back.target_fn(x), exp.target_fn(x))


SLOW_MODULE = """
import os, time
from relu_guide.studies.cache import cached

@cached
def slow(x):
    with open(os.environ["COMPUTED_LOG"], "a") as log:
        log.write("computed\\n")
    time.sleep(1.0)  # long enough for the other process to ask meanwhile
    return 2 * x
"""


def test_processes_asking_at_once_compute_once(cache_dir: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "slow.py").write_text(SLOW_MODULE)
    log = tmp_path / "computed.log"
    env = {**os.environ, cache.CACHE_ENV: str(cache_dir), "COMPUTED_LOG": str(log)}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(Path(cache.__file__).parents[2])])
    ask = [sys.executable, "-c", "import slow; print(slow.slow(21))"]
    procs = [
        subprocess.Popen(ask, env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert outputs == ["42", "42"]
    assert log.read_text().splitlines() == ["computed"]  # the second waited, then read
