"""Activation figures: the right curves, no false jump at a kink, every label renders."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import matplotlib
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from relu_guide.core.activations import ACTIVATION_NAMES, get_activation
from relu_guide.drawing.activation_figures import (
    COMPARISON_NAMES,
    activation_figure,
    activations_comparison_figure,
)
from relu_guide.drawing.style import theme_colors

matplotlib.use("Agg")


def _x(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_xdata())


def _y(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_ydata())


def _curves(ax: Axes) -> list[Line2D]:
    """Lines with more than two points (not the zero lines, not the dots)."""
    return [ln for ln in ax.get_lines() if len(_x(ln)) > 2 and ln.get_linestyle() != "None"]


def _dots(ax: Axes) -> list[Line2D]:
    return [ln for ln in ax.get_lines() if ln.get_linestyle() == "None"]


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_every_activation_draws_function_and_gradient(name: str, dark: bool) -> None:
    fig = activation_figure(name, dark=dark)
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == pytest.approx((7.0, 3.2))
    ax_f, ax_g = fig.axes
    act = get_activation(name)
    main = _curves(ax_f)[0]
    x = _x(main)
    np.testing.assert_allclose(_y(main), act(x))
    assert x.min() == -6.0
    assert x.max() == 6.0
    # The gradient curves, stitched together, are the derivative (away from kinks).
    grad = [ln for ln in _curves(ax_g) if ln.get_color() == _curves(ax_g)[0].get_color()]
    for ln in grad:
        gx = _x(ln)
        inside = np.all(
            [np.abs(gx - k) > 1e-6 for k in act.kinks] or [np.full(gx.shape, True)], axis=0
        )
        np.testing.assert_allclose(_y(ln)[inside], act.derivative(gx[inside]))
    # Every label (mathtext included) renders, in both themes, with no warning.
    fig.canvas.draw()
    assert fig.get_facecolor()[:3] == pytest.approx(
        matplotlib.colors.to_rgb(theme_colors(dark)["bg"])
    )
    assert ax_f.get_title(loc="left").startswith("$")
    assert "'" in ax_g.get_title(loc="left")


@pytest.mark.parametrize(
    ("name", "slope"), [("relu", 0.1), ("leaky_relu", 0.1), ("leaky_relu", 0.3)]
)
def test_gradient_has_no_vertical_jump_at_the_kink(name: str, slope: float) -> None:
    fig = activation_figure(name, slope=slope)
    ax_g = fig.axes[1]
    grad_color = _curves(ax_g)[0].get_color()
    pieces = [ln for ln in _curves(ax_g) if ln.get_color() == grad_color]
    assert len(pieces) == 2  # broken at 0
    for ln in pieces:
        y = _y(ln)
        assert np.max(np.abs(np.diff(y))) < 1e-9  # each piece is flat: no jump drawn
    left, right = sorted(pieces, key=lambda ln: _x(ln)[0])
    assert _x(left)[-1] == 0.0
    assert _x(right)[0] == 0.0
    assert _y(left)[-1] == pytest.approx(slope if name == "leaky_relu" else 0.0)
    assert _y(right)[0] == 1.0
    # Open dot at the limit from the right (1), filled dot at autograd's value at 0.
    dots = [d for d in _dots(ax_g) if list(_x(d)) == [0.0]]
    bg = theme_colors(False)["bg"]
    open_dots = [d for d in dots if to_hex(d.get_markerfacecolor()) == bg]
    filled = [d for d in dots if to_hex(d.get_markerfacecolor()) == to_hex(grad_color)]
    assert [list(_y(d)) for d in open_dots] == [[1.0]]
    expected = get_activation(name, slope=slope).derivative(np.array([0.0]))[0]
    assert [list(_y(d)) for d in filled] == [[expected]]


def test_smooth_gradients_are_one_unbroken_line() -> None:
    for name in ["sigmoid", "tanh", "elu", "gelu", "silu", "softplus"]:
        ax_g = activation_figure(name).axes[1]
        grad_color = _curves(ax_g)[0].get_color()
        assert len([ln for ln in _curves(ax_g) if ln.get_color() == grad_color]) == 1


def test_tanh_shows_the_true_identity_and_the_sigmoid() -> None:
    ax_f = activation_figure("tanh").axes[0]
    handles, labels = ax_f.get_legend_handles_labels()
    assert labels == [r"$\tanh(x)$", r"$2\sigma(2x) - 1$", r"$\sigma(x)$"]
    identity = handles[1]
    assert isinstance(identity, Line2D)
    assert identity.get_linestyle() == "None"
    assert identity.get_marker() == "o"
    x = _x(identity)
    assert len(x) >= 20
    # The markers sit on tanh (the true identity), not on 2σ(x) − 1 (the seed's error).
    np.testing.assert_allclose(_y(identity), np.tanh(x), atol=1e-12)
    sigma = handles[2]
    assert isinstance(sigma, Line2D)
    sx = _x(sigma)
    np.testing.assert_allclose(_y(sigma), 1 / (1 + np.exp(-sx)))


def test_leaky_relu_shows_relu_dashed() -> None:
    ax_f = activation_figure("leaky_relu").axes[0]
    handles, labels = ax_f.get_legend_handles_labels()
    assert labels == [r"$\mathrm{LeakyReLU}(x)$", r"$\mathrm{ReLU}(x)$"]
    relu = handles[1]
    assert isinstance(relu, Line2D)
    assert relu.get_linestyle() == "--"
    np.testing.assert_array_equal(_y(relu), np.maximum(_x(relu), 0.0))
    assert "0.1" in ax_f.get_title(loc="left")


def test_sigmoid_marks_its_maximal_gradient() -> None:
    ax_g = activation_figure("sigmoid").axes[1]
    assert any(list(_x(d)) == [0.0] and list(_y(d)) == [0.25] for d in _dots(ax_g))
    texts = [t.get_text() for t in ax_g.texts]
    assert any(r"\frac{1}{4}" in t for t in texts)
    assert ax_g.get_ylim()[1] < 0.35  # its own scale, not squashed under 1


def test_x_range_and_slope_are_honoured() -> None:
    fig = activation_figure("leaky_relu", x_range=(-2, 3), slope=0.25)
    main = _curves(fig.axes[0])[0]
    assert _x(main)[0] == -2.0
    assert _x(main)[-1] == 3.0
    assert _y(main)[0] == pytest.approx(-0.5)
    assert fig.axes[0].get_xlim() == (-2.0, 3.0)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"name": "swish"}, "'swish'"),
        ({"name": "relu", "x_range": (1, -1)}, "(1, -1)"),
        ({"name": "relu", "x_range": (0, float("inf"))}, "inf"),
        ({"name": "relu", "x_range": "ab"}, "'ab'"),
        ({"name": "leaky_relu", "slope": -1.0}, "-1.0"),
    ],
)
def test_bad_input_is_named(kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        activation_figure(**kwargs)


@pytest.mark.parametrize("dark", [False, True])
def test_comparison_figure_holds_all_eight(dark: bool) -> None:
    fig = activations_comparison_figure(dark=dark)
    assert tuple(fig.get_size_inches()) == pytest.approx((7.0, 4.2))
    assert tuple(n for n in ACTIVATION_NAMES if n != "none") == COMPARISON_NAMES
    assert len(COMPARISON_NAMES) == 8
    ax_f, ax_g = fig.axes
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == [get_activation(n).label for n in COMPARISON_NAMES]
    colors = {to_hex(ln.get_color()) for ln in _curves(ax_f)}
    assert len(colors) == 8  # one distinct colour each
    assert len(_curves(ax_f)) == 8
    # Gradients: one line each, two for each function with a kink at 0.
    assert len(_curves(ax_g)) == 8 + 2
    fig.canvas.draw()


def test_comparison_figure_rejects_bad_names() -> None:
    with pytest.raises(ValueError, match="'swish'"):
        activations_comparison_figure(["relu", "swish"])
    with pytest.raises(ValueError, match="non-empty"):
        activations_comparison_figure([])


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_figures_save_in_every_format(fmt: str) -> None:
    buf = io.BytesIO()
    activation_figure("relu").savefig(buf, format=fmt)
    assert buf.tell() > 1000
