"""Kinks, pieces and the best affine error, on hand-set and trained networks."""

from __future__ import annotations

import numpy as np
import pytest

from relu_guide import Experiment, Run, train
from relu_guide.core.analysis import (
    best_affine_fit,
    best_affine_mse,
    count_linear_pieces,
    kinks,
    kinks_of,
    unit_pieces,
)


def _hand_set(run: Run, w1: list[float], b1: list[float], w2: list[float], b2: list[float]) -> Run:
    """Overwrite the last frame of a run with hand-chosen parameters."""
    run.weights[0][-1, :, 0] = w1
    run.biases[0][-1] = b1
    run.weights[1][-1, 0] = w2
    run.biases[1][-1] = b2
    return run


@pytest.fixture
def three_unit_run() -> Run:
    run = train(Experiment(hidden=(3,), steps=2, frames=1))
    # |x| built from two units, plus a unit that never switches on in [-5, 5].
    return _hand_set(run, [1.0, -1.0, 1.0], [0.0, 0.0, -7.0], [1.0, 1.0, 3.0], [0.5])


def test_kinks_of_hand_set_net(three_unit_run: Run) -> None:
    ks = kinks(three_unit_run)
    assert [k.state for k in ks] == ["kink", "kink", "dead"]
    assert [k.x for k in ks] == [-0.0, 0.0, 7.0]
    assert [k.slope_change for k in ks] == [1.0, 1.0, 3.0]
    x = np.linspace(-5, 5, 21)
    np.testing.assert_allclose(three_unit_run.predict(x), np.abs(x) + 0.5, atol=1e-6)
    assert count_linear_pieces(three_unit_run) == 2  # both kinks at 0 make one bend


def test_always_on_and_flat_units() -> None:
    ks = kinks_of(np.array([1.0, 0.0, 0.0]), np.array([8.0, 1.0, -1.0]), np.ones(3), (-5, 5))
    assert [k.state for k in ks] == ["always on", "always on", "dead"]
    assert np.isnan(ks[1].x)


def test_unit_pieces_sum_to_prediction(three_unit_run: Run) -> None:
    x = np.linspace(-5, 5, 11)
    pieces = unit_pieces(three_unit_run, x)
    np.testing.assert_allclose(pieces[:, 0], np.maximum(x, 0))
    np.testing.assert_allclose(pieces.sum(1) + 0.5, three_unit_run.predict(x), atol=1e-6)


def test_trained_twenty_neurons_have_many_pieces(twenty_run: Run) -> None:
    ks = kinks(twenty_run)
    inside = [k for k in ks if k.state == "kink"]
    assert count_linear_pieces(twenty_run) == len({k.x for k in inside}) + 1
    assert len(inside) >= 8
    # Kinks sit where the prediction's slope actually changes.
    for k in inside[:5]:
        h = 1e-3
        left = (twenty_run.predict([k.x - h]) - twenty_run.predict([k.x - 2 * h])) / h
        right = (twenty_run.predict([k.x + 2 * h]) - twenty_run.predict([k.x + h])) / h
        assert float(right[0] - left[0]) == pytest.approx(k.slope_change, abs=0.05)


def test_analysis_refuses_other_networks() -> None:
    run = train(Experiment(hidden=(2, 2), steps=2, frames=1))
    with pytest.raises(ValueError, match=r"Linear\(1, 2\) → ReLU → Linear\(2, 2\)"):
        kinks(run)


@pytest.mark.parametrize(
    ("target", "domain", "expected"),
    [
        ("square", (-5.0, 5.0), 500 / 9),  # Var(x²) for x ~ U[-5, 5]
        ("square", (0.0, 1.0), 1 / 180),  # best line on [0, 1]: x - 1/6
        ("abs", (-1.0, 1.0), 1 / 3 - 1 / 4),  # constant 1/2
        ("relu", (-3.0, 3.0), (3 - 1.5**2) / 4),  # Var(|x|) / 4: x/2 is fitted exactly
    ],
)
def test_best_affine_mse_closed_forms(
    target: str, domain: tuple[float, float], expected: float
) -> None:
    assert best_affine_mse(target, domain) == pytest.approx(expected, rel=1e-9)


def test_best_affine_fit_of_a_line_is_exact() -> None:
    a, b, mse = best_affine_fit(lambda x: 3 * x - 2, (-1.0, 4.0))
    assert (a, b) == pytest.approx((3.0, -2.0))
    assert mse == pytest.approx(0.0, abs=1e-20)
