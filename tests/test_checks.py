"""core.checks: one check per kind of value, used by the API, the figures and the CLI alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from relu_guide import Experiment
from relu_guide.core import training
from relu_guide.core.checks import (
    FrameError,
    check_count,
    check_interval,
    check_number,
    check_output_path,
    frame_index,
)


@pytest.mark.parametrize("value", [True, False, 2.0, "3", None, -1, 0])
def test_count_refuses_bools_floats_and_non_positive(value: object) -> None:
    with pytest.raises(ValueError, match=f"steps must be a positive integer, got {value!r}"):
        check_count(value, "steps")


def test_count_accepts_numpy_integers_and_returns_int() -> None:
    value = check_count(np.int64(7), "steps")
    assert value == 7
    assert type(value) is int
    assert check_count(0, "seed", minimum=0) == 0
    with pytest.raises(ValueError, match="an integer >= 2, got 1"):
        check_count(1, "depth", minimum=2)


@pytest.mark.parametrize("value", [0, -1.0, float("nan"), float("inf"), True, "1"])
def test_number_refuses(value: object) -> None:
    with pytest.raises(ValueError, match="lr must be a positive finite number"):
        check_number(value, "lr")


def test_interval() -> None:
    assert check_interval((np.int64(-2), 3)) == (-2.0, 3.0)
    for bad in [(1, 1), (0, float("inf")), "ab", (1, 2, 3)]:
        with pytest.raises(ValueError, match="domain"):
            check_interval(bad)


def test_frame_index_is_a_value_error_and_an_index_error() -> None:
    assert frame_index(-1, 3) == 2
    for bad in (3, -4, 1.0, True):
        with pytest.raises(FrameError):
            frame_index(bad, 3)
    assert issubclass(FrameError, ValueError)
    assert issubclass(FrameError, IndexError)


def test_output_path_one_message_per_problem(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "dir.svg").mkdir()
    cases = {
        tmp_path / "a.txt": "unknown suffix '.txt'",
        tmp_path / "a": "no suffix in",
        tmp_path / "missing" / "a.svg": "does not exist",
        tmp_path / "file.txt" / "a.svg": "is not a folder",
        tmp_path / "dir.svg": "it is a folder",
    }
    for path, message in cases.items():
        with pytest.raises(ValueError, match=message) as info:
            check_output_path(path, (".svg",))
        assert str(path) in str(info.value)
    assert check_output_path(tmp_path / "A.SVG", (".svg",)) == tmp_path / "A.SVG"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dir.svg",
        "file.txt",
    ]  # the probe is gone


def test_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ValueError, match=r"is not writable \(Permission denied\)"):
        check_output_path(tmp_path / "a.svg", (".svg",))


def test_run_constructor_refuses_inconsistent_arrays() -> None:
    exp = Experiment(hidden=(2,), steps=4, frames=2)
    run = training.train(exp)
    with pytest.raises(ValueError, match="needs weights of shapes"):
        training.Run(
            experiment=exp,
            steps=run.steps,
            weights=[w[:2] for w in run.weights],
            biases=run.biases,
            losses=run.losses,
            batch_losses=run.batch_losses,
        )
