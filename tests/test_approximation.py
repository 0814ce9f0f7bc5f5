"""Hats, interpolants and ramps against direct formulas; the study's records are consistent."""

from __future__ import annotations

import numpy as np
import pytest

from relu_guide.core.approximation import (
    error_slope,
    hat,
    hat_net,
    interpolating_net,
    max_error,
    mean_squared_error,
    ramp_net,
    steepest_slope,
)
from relu_guide.studies.approximation import approximation_study


@pytest.mark.parametrize("knots", [(-1.0, 0.0, 1.0), (-2.0, 0.5, 1.0), (0.0, 3.0, 3.5)])
def test_three_ramps_are_the_hat(knots: tuple[float, float, float]) -> None:
    x = np.linspace(-4, 5, 9001)
    assert np.allclose(hat_net(*knots, height=2.5)(x), 2.5 * hat(x, *knots), atol=1e-12)


@pytest.mark.parametrize(
    ("target", "fn"), [("sin", np.sin), ("abs", np.abs), ("square", np.square)]
)
def test_interpolating_net_is_np_interp(target: str, fn: object) -> None:
    net = interpolating_net(target, 7, (-3.0, 2.0))
    knots = np.linspace(-3, 2, 8)
    x = np.linspace(-3, 2, 5001)
    assert net.width == 7
    assert np.allclose(net(x), np.interp(x, knots, fn(knots)), atol=1e-12)  # type: ignore[operator]


def test_ramp_error_is_one_over_12_s_l() -> None:
    for s in (0.5, 2.0, 10.0):
        assert np.isclose(
            mean_squared_error(ramp_net(s), "step", (-5, 5)), 1 / (120 * s), rtol=1e-3
        )
    assert np.isclose(max_error(ramp_net(3.0), "step", (-5, 5)), 0.5, atol=1e-4)


def test_steepest_slope_matches_finite_differences() -> None:
    rng = np.random.default_rng(1)
    w1, b1, w2 = rng.normal(size=6), rng.normal(size=6), rng.normal(size=6)
    x = np.linspace(-3, 3, 200_001)
    y = np.maximum(np.outer(x, w1) + b1, 0) @ w2
    numeric = np.max(np.abs(np.diff(y) / np.diff(x)))
    assert np.isclose(steepest_slope(w1, b1, w2, (-3.0, 3.0)), numeric, rtol=1e-6)


def test_interpolant_slopes_are_the_predicted_powers() -> None:
    units = (9, 17, 33, 65)
    for target, p in (("sin", -4.0), ("abs", -3.0), ("step", -1.0)):
        errors = [interpolating_net(target, u).mse for u in units]
        assert abs(error_slope(units, errors) - p) < 0.1


def test_study_records_fit_together() -> None:
    study = approximation_study(
        targets=("step", "abs"), units=(3, 5), seeds=range(3), steps=30, frames=3
    )
    assert study.trained.shape == (2, 2, 3)
    assert study.steepest.shape == (2, 2, 3, 4)
    run = study.runs[0]
    assert run.experiment.target == "step"
    assert run.experiment.hidden == (3,)
    assert np.isclose(study.trained[0, 0, 0], run.losses[-1])
    w1, b1, w2 = run.weights[0][-1, :, 0], run.biases[0][-1], run.weights[1][-1, 0]
    assert np.isclose(study.steepest[0, 0, 0, -1], steepest_slope(w1, b1, w2, (-5.0, 5.0)))
    with pytest.raises(ValueError, match="which"):
        study.slope("step", "best")


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="a < b < c"):
        hat_net(1.0, 0.0, 2.0)
    with pytest.raises(ValueError, match="units"):
        interpolating_net("sin", 0)
    with pytest.raises(ValueError, match="slope"):
        ramp_net(-1.0)
