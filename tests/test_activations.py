"""Activations: numpy forms and derivatives agree with torch and autograd; the identities hold."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch

from relu_guide.core.activations import ACTIVATION_NAMES, get_activation

# A dense grid that holds 0 exactly (and other kinks' neighbourhoods), plus the far tails.
GRID = np.unique(np.concatenate([np.linspace(-8.0, 8.0, 1601), [-30.0, -1e-7, 0.0, 1e-7, 30.0]]))

CASES = [(name, 0.1) for name in ACTIVATION_NAMES] + [("leaky_relu", 0.01)]
IDS = [name if name != "leaky_relu" else f"leaky_relu-{s}" for name, s in CASES]


def _torch_value_and_grad(
    fn: Callable[[torch.Tensor], torch.Tensor], x: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = fn(t)
    (g,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy(), g.numpy()


def test_grid_holds_zero_exactly() -> None:
    assert 0.0 in GRID


@pytest.mark.parametrize(("name", "slope"), CASES, ids=IDS)
def test_numpy_matches_torch(name: str, slope: float) -> None:
    act = get_activation(name, slope=slope)
    expected, _ = _torch_value_and_grad(act.torch_fn, GRID)
    np.testing.assert_allclose(act(GRID), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("name", "slope"), CASES, ids=IDS)
def test_derivative_matches_autograd_including_zero(name: str, slope: float) -> None:
    act = get_activation(name, slope=slope)
    _, expected = _torch_value_and_grad(act.torch_fn, GRID)
    np.testing.assert_allclose(act.derivative(GRID), expected, rtol=1e-12, atol=1e-12)
    # At a kink, the value the figures mark as "used by autograd" is torch's.
    zero = np.array([0.0])
    assert act.derivative(zero)[0] == pytest.approx(
        _torch_value_and_grad(act.torch_fn, zero)[1][0], abs=1e-15
    )


@pytest.mark.parametrize(("name", "slope"), CASES, ids=IDS)
def test_derivative_matches_finite_differences_away_from_kinks(name: str, slope: float) -> None:
    act = get_activation(name, slope=slope)
    x = GRID[
        np.all([np.abs(GRID - k) > 1e-3 for k in act.kinks] or [np.full(GRID.shape, True)], axis=0)
    ]
    h = 1e-6
    numeric = (act(x + h) - act(x - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(x), numeric, atol=1e-6)


@pytest.mark.parametrize(("name", "slope"), CASES, ids=IDS)
def test_module_matches_torch_fn(name: str, slope: float) -> None:
    act = get_activation(name, slope=slope)
    t = torch.tensor(GRID, dtype=torch.float64)
    with torch.no_grad():
        torch.testing.assert_close(act.module()(t), act.torch_fn(t))


@pytest.mark.parametrize(("name", "slope"), CASES, ids=IDS)
def test_float32_input_gives_float64_output(name: str, slope: float) -> None:
    act = get_activation(name, slope=slope)
    x = GRID.astype(np.float32)
    assert act(x).dtype == np.float64
    assert act(x).shape == x.shape


def test_relu_gradient_at_zero_is_torchs_zero() -> None:
    relu = get_activation("relu")
    _, g = _torch_value_and_grad(torch.relu, np.array([0.0]))
    assert g[0] == 0.0
    assert relu.derivative(np.array([0.0]))[0] == 0.0
    assert relu.kinks == (0.0,)


@pytest.mark.parametrize("slope", [0.1, 0.01, 0.3])
def test_leaky_relu_gradient_at_zero_is_its_slope(slope: float) -> None:
    leaky = get_activation("leaky_relu", slope=slope)
    _, g = _torch_value_and_grad(leaky.torch_fn, np.array([0.0]))
    assert leaky.derivative(np.array([0.0]))[0] == pytest.approx(slope)
    assert g[0] == pytest.approx(slope)


def test_tanh_is_two_sigmoid_of_two_x_minus_one() -> None:
    tanh, sigmoid = get_activation("tanh"), get_activation("sigmoid")
    np.testing.assert_allclose(tanh(GRID), 2.0 * sigmoid(2.0 * GRID) - 1.0, atol=1e-15)
    t = torch.tensor(GRID)
    torch.testing.assert_close(torch.tanh(t), 2.0 * torch.sigmoid(2.0 * t) - 1.0)


def test_two_sigmoid_minus_one_is_not_tanh() -> None:
    """The seed's figure compared tanh(x) with 2σ(x) − 1: a different, flatter curve."""
    tanh, sigmoid = get_activation("tanh"), get_activation("sigmoid")
    gap = np.max(np.abs(tanh(GRID) - (2.0 * sigmoid(GRID) - 1.0)))
    assert gap > 0.2
    # 2σ(x) − 1 is tanh(x / 2), which is what the seed drew.
    np.testing.assert_allclose(2.0 * sigmoid(GRID) - 1.0, tanh(GRID / 2.0), atol=1e-15)


def test_leaky_relu_with_slope_zero_is_relu() -> None:
    leaky, relu = get_activation("leaky_relu", slope=0.0), get_activation("relu")
    np.testing.assert_array_equal(leaky(GRID), relu(GRID))
    np.testing.assert_array_equal(leaky.derivative(GRID), relu.derivative(GRID))


def test_sigmoid_gradient_peaks_at_one_quarter_at_zero() -> None:
    d = get_activation("sigmoid").derivative(GRID)
    assert d.max() == pytest.approx(0.25, abs=1e-15)
    assert GRID[np.argmax(d)] == 0.0


def test_tanh_gradient_peaks_at_one_at_zero() -> None:
    d = get_activation("tanh").derivative(GRID)
    assert d.max() == pytest.approx(1.0, abs=1e-15)
    assert GRID[np.argmax(d)] == 0.0


def test_sigmoid_is_stable_in_the_far_tails() -> None:
    sigmoid = get_activation("sigmoid")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = sigmoid(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(y, [0.0, 1.0])


def test_softplus_agrees_with_torch_past_its_linear_threshold() -> None:
    """torch returns x itself above x = 20; the exact value differs from it by exp(-x)."""
    softplus = get_activation("softplus")
    x = np.linspace(19.0, 40.0, 211)
    value, grad = _torch_value_and_grad(softplus.torch_fn, x)
    np.testing.assert_allclose(softplus(x), value, rtol=0, atol=5e-9)
    np.testing.assert_allclose(softplus.derivative(x), grad, rtol=0, atol=5e-9)


def test_leaky_relu_name_round_trips() -> None:
    leaky = get_activation("leaky_relu", slope=0.01)
    again = get_activation(leaky.name)
    assert again.name == leaky.name == "leaky_relu(slope=0.01)"
    np.testing.assert_array_equal(again(GRID), leaky(GRID))


def test_every_activation_has_a_label_formula_and_description() -> None:
    for name in ACTIVATION_NAMES:
        act = get_activation(name)
        assert act.label
        assert act.latex
        assert act.description
        assert "\n" not in act.description


@pytest.mark.parametrize("bad", ["swish", "", "relu6"])
def test_unknown_activation_is_named(bad: str) -> None:
    with pytest.raises(ValueError, match=repr(bad)):
        get_activation(bad)


@pytest.mark.parametrize("slope", [-0.1, 1.0, float("nan")])
def test_bad_leaky_slope_is_named(slope: float) -> None:
    with pytest.raises(ValueError, match="slope"):
        get_activation("leaky_relu", slope=slope)
