"""The sawtooth construction: pieces double, error falls 4x per layer, the torch net agrees."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from relu_guide.core.piecewise import best_piecewise_linear, square_best_mse
from relu_guide.core.sawtooth import (
    DepthRow,
    count_pieces,
    depth_table,
    sawtooth,
    sawtooth_net,
    shallow_width,
    square_approximation,
    tent,
)


@pytest.fixture(scope="module")
def rows() -> list[DepthRow]:
    return depth_table(8)


def test_pieces_double_with_each_layer(rows: list[DepthRow]) -> None:
    assert [r.pieces for r in rows] == [2**m for m in range(9)]


def test_error_falls_by_exactly_four_per_layer(rows: list[DepthRow]) -> None:
    for r in rows:
        assert r.max_error == pytest.approx(4.0 ** -(r.depth + 1), rel=1e-9)
        assert r.rmse == pytest.approx(4.0**-r.depth / np.sqrt(30), rel=1e-9)
        assert r.best_rmse == pytest.approx(4.0**-r.depth / np.sqrt(180), rel=1e-9)
    ratios = [a.max_error / b.max_error for a, b in itertools.pairwise(rows)]
    np.testing.assert_allclose(ratios, 4.0, rtol=1e-9)


def test_parameters_and_equal_size_shallow_width(rows: list[DepthRow]) -> None:
    for r in rows[1:]:
        assert r.parameters == 12 * r.depth - 2 == 3 * shallow_width(r.depth) + 1


def test_torch_net_matches_formula_and_is_linear_relu() -> None:
    x = np.random.default_rng(0).uniform(0, 1, 1000)
    for m in range(7):
        net = sawtooth_net(m)
        kinds = {type(layer).__name__ for layer in net}
        assert kinds <= {"Linear", "ReLU"}
        with torch.no_grad():
            y = net(torch.from_numpy(x[:, None])).numpy()[:, 0]
        np.testing.assert_allclose(y, square_approximation(x, m), atol=1e-14)


def test_interpolates_square_at_dyadic_points() -> None:
    for m in range(6):
        knots = np.linspace(0, 1, 2**m + 1)
        np.testing.assert_allclose(square_approximation(knots, m), knots**2, atol=1e-15)


def test_shifted_net_is_the_best_piecewise_fit() -> None:
    m = 3
    fit = best_piecewise_linear("square", 2**m, (0.0, 1.0))
    x = np.linspace(0, 1, 257)
    np.testing.assert_allclose(square_approximation(x, m, shift=True), fit(x), atol=1e-8)
    assert fit.mse == pytest.approx(square_best_mse(2**m, (0.0, 1.0)))


def test_tent_and_sawtooth() -> None:
    x = np.linspace(0, 1, 33)
    assert count_pieces(tent(x), x) == 2
    for s in range(1, 5):
        assert count_pieces(sawtooth(x, s), x) == 2**s
        assert sawtooth(x, s).max() == 1.0
        assert sawtooth(x, s).min() == 0.0


def test_count_pieces() -> None:
    x = np.linspace(-1, 1, 11)
    assert count_pieces(np.abs(x), x) == 2
    assert count_pieces(3 * x + 1, x) == 1
    with pytest.raises(ValueError, match="1-D of equal length"):
        count_pieces(x, x[:3])


def test_bad_depth() -> None:
    with pytest.raises(ValueError, match="depth must be a non-negative integer, got -1"):
        sawtooth_net(-1)
    with pytest.raises(ValueError, match="got 0"):
        shallow_width(0)
