"""The piecewise-linear solver against the closed form for x² and against brute force."""

from __future__ import annotations

import numpy as np
import pytest

from relu_guide.core.analysis import best_affine_mse
from relu_guide.core.piecewise import (
    PiecewiseFit,
    _Problem,
    best_piecewise_linear,
    best_relu_net,
    fit_with_knots,
    relu_net_from_fit,
    square_best_mse,
)
from relu_guide.core.targets import get_target


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 17, 65])
def test_square_matches_closed_form(n: int) -> None:
    fit = best_piecewise_linear("square", n)
    assert fit.mse == pytest.approx(square_best_mse(n), rel=1e-9)
    assert fit.mse == pytest.approx((10.0 / n) ** 4 / 180.0, rel=1e-9)
    np.testing.assert_allclose(fit.knots, np.linspace(-5, 5, n + 1), atol=1e-6)


def test_closed_form_on_other_domains() -> None:
    assert square_best_mse(4, (0.0, 1.0)) == pytest.approx(0.25**4 / 180)
    assert square_best_mse(1) == pytest.approx(best_affine_mse("square"))


def test_uniform_fit_is_interpolant_lowered_by_h2_over_6() -> None:
    knots = np.linspace(-5, 5, 7)
    fit = fit_with_knots("square", knots)
    h = knots[1] - knots[0]
    np.testing.assert_allclose(fit.values, knots**2 - h**2 / 6, atol=1e-12)
    assert fit.mse == pytest.approx(h**4 / 180, rel=1e-12)


def test_optimiser_finds_uniform_knots_from_a_bad_start() -> None:
    problem = _Problem(get_target("square"), (-5.0, 5.0))
    rng = np.random.default_rng(3)
    knots, mse = problem.optimise(rng.normal(0.0, 1.0, 6), flat=None)
    assert mse == pytest.approx(square_best_mse(6), rel=1e-7)
    np.testing.assert_allclose(knots, np.linspace(-5, 5, 7), atol=1e-3)


def test_knot_gradient_matches_finite_differences() -> None:
    problem = _Problem(get_target("sin"), (-5.0, 5.0))
    knots = np.array([-5.0, -3.1, -0.4, 1.7, 2.2, 5.0])
    _, _, grad = problem.solve(knots)
    eps = 1e-6
    for k in range(1, len(knots) - 1):
        up, down = knots.copy(), knots.copy()
        up[k] += eps
        down[k] -= eps
        fd = (problem.solve(up)[1] - problem.solve(down)[1]) / (2 * eps)
        assert grad[k - 1] == pytest.approx(fd, rel=1e-5, abs=1e-10)


def test_brute_force_two_pieces_of_sin() -> None:
    fit = best_piecewise_linear("sin", 2)
    grid = np.linspace(-4.99, 4.99, 999)
    brute = min(fit_with_knots("sin", [-5.0, k, 5.0]).mse for k in grid)
    assert fit.mse <= brute + 1e-9
    assert fit.mse == pytest.approx(brute, rel=1e-3)


def test_abs_is_fitted_exactly() -> None:
    fit = best_piecewise_linear("abs", 2)
    assert fit.mse < 1e-20
    assert fit(np.array([-2.0, 3.0])) == pytest.approx([2.0, 3.0])


def test_fit_evaluates_between_and_beyond_knots() -> None:
    fit = PiecewiseFit(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0]), 0.0, get_target("abs"))
    np.testing.assert_allclose(fit(np.array([-1.0, 0.5, 1.5, 3.0])), [-1.0, 0.5, 0.5, -1.0])
    assert fit.domain == (0.0, 2.0)


def test_best_relu_net_square() -> None:
    # Even widths reach the (width + 1)-piece optimum; width 1 lies strictly between.
    for w in (2, 4, 8):
        net = best_relu_net("square", w)
        assert net.width == w
        assert net.mse == pytest.approx(square_best_mse(w + 1), rel=1e-7)
    one = best_relu_net("square", 1)
    x = -5 + (np.arange(20000) + 0.5) / 2000  # midpoints
    assert np.mean((one(x) - x**2) ** 2) == pytest.approx(one.mse, rel=1e-6)
    assert square_best_mse(2) < one.mse < square_best_mse(1)


def test_best_single_unit_beats_brute_force() -> None:
    one = best_relu_net("square", 1)
    x = np.linspace(-5, 5, 4001)
    best = np.inf
    for k in np.linspace(-5, 5, 401):
        design = np.stack([np.ones_like(x), np.maximum(x - k, 0.0)], axis=1)
        coef, *_ = np.linalg.lstsq(design, x**2, rcond=None)
        best = min(best, float(np.mean((design @ coef - x**2) ** 2)))
    assert one.mse <= best * (1 + 1e-3)


def test_relu_net_from_fit_reproduces_the_fit() -> None:
    fit = best_piecewise_linear("square", 5)
    net = relu_net_from_fit(fit)
    x = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(net(x), fit(x), atol=1e-9)
    assert net.mse == pytest.approx(fit.mse, rel=1e-9)


def test_relu_net_from_fit_needs_a_flat_piece() -> None:
    fit = best_piecewise_linear("square", 4)
    with pytest.raises(ValueError, match="no flat piece"):
        relu_net_from_fit(fit)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: best_piecewise_linear("square", 0), "n_pieces must be a positive integer, got 0"),
        (lambda: best_piecewise_linear("square", 2, (1, 1)), r"domain .* got \(1, 1\)"),
        (lambda: best_piecewise_linear("square", 2, restarts=-1), "restarts .* got -1"),
        (lambda: fit_with_knots("square", [0.0, 0.0, 1.0]), "strictly increasing"),
        (lambda: fit_with_knots("square", [0.0, 1.0], domain=(0, 2)), "span the domain"),
        (lambda: best_relu_net("square", 0), "width must be a positive integer, got 0"),
        (lambda: square_best_mse(2.5), "got 2.5"),  # type: ignore[arg-type]
    ],
)
def test_bad_input(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_deterministic() -> None:
    a = best_piecewise_linear("sin", 4, seed=1)
    b = best_piecewise_linear("sin", 4, seed=1)
    assert np.array_equal(a.knots, b.knots)
    assert a.mse == b.mse
