"""measured_once: the same pixels as matplotlib alone, with a fraction of its measuring."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.mathtext import MathTextParser

from relu_guide.core.experiments import TWENTY_NEURONS
from relu_guide.core.training import train
from relu_guide.drawing import once
from relu_guide.drawing.activation_figures import activation_figure
from relu_guide.drawing.figures import fit_figure
from relu_guide.drawing.once import _PATCHES, measured_once
from relu_guide.drawing.raster import rasterize
from relu_guide.drawing.style import redraw
from relu_guide.faces.sphinxext.narrow import narrow_variant


def _panels() -> Figure:
    """Log and linear axes, shared and twinned, a fixed aspect, aligned labels, a colorbar."""
    fig, axes = plt.subplots(2, 2, figsize=(6, 4.5), dpi=100, layout="constrained", sharex="col")
    x = np.linspace(0.1, 10, 50)
    axes[0, 0].semilogy(x, np.exp(x))
    axes[0, 0].set(ylabel=r"$e^x$", title="a log axis")  # formulas: the ticks' 10^k too
    axes[1, 0].plot(x, np.sin(x) * 1e5)  # an offset text: "1e5"
    axes[1, 0].set(xlabel="x", ylabel="a much longer label")
    axes[0, 1].set_aspect("equal")  # moved when drawn (apply_aspect)
    image = axes[0, 1].imshow(np.outer(x[:10], x[:10]))
    fig.colorbar(image, ax=axes[0, 1], label="product")
    axes[1, 1].plot(x, x**2)
    axes[1, 1].twinx().plot(x, -x, color="C1")
    fig.align_ylabels(axes[:, 0])  # siblings: each label placed from both panels' ticks
    fig.suptitle("panels")
    return fig


def _fit() -> Figure:
    return fit_figure(train(TWENTY_NEURONS.with_(steps=30, frames=3)))


@pytest.mark.parametrize(
    "make", [_panels, _fit, lambda: activation_figure("tanh")], ids=["panels", "fit", "tanh"]
)
def test_the_pixels_are_those_of_matplotlib_alone(make: Callable[[], Figure]) -> None:
    plain, _ = rasterize(make(), 130)
    with measured_once():
        fast, _ = rasterize(make(), 130)
    assert np.array_equal(fast, plain)
    plt.close("all")


def test_a_layout_run_inside_a_drawing_measures_the_panels_where_they_are_moved() -> None:
    def drawn() -> np.ndarray:
        fig = _panels()
        fig.canvas.draw()  # the constrained layout moves every panel, twice, inside this draw
        return np.asarray(fig.canvas.buffer_rgba()).copy()  # type: ignore[attr-defined]

    plain = drawn()
    with measured_once():
        fast = drawn()
    assert np.array_equal(fast, plain)
    plt.close("all")


def test_a_narrowed_dark_twin_is_drawn_as_without_it() -> None:
    def variants() -> list[np.ndarray]:
        light = _fit()
        dark = redraw(light, dark=True)
        narrow_variant(dark)
        return [rasterize(f, 125)[0] for f in (light, dark)]

    plain = variants()
    with measured_once():
        fast = variants()
    assert all(np.array_equal(a, b) for a, b in zip(fast, plain, strict=True))
    plt.close("all")


def test_limits_changed_between_passes_are_measured_again() -> None:
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.plot([0, 1], [0, 1])
    with measured_once():
        rasterize(fig, 100)
        ax.set_ylim(0, 1000)  # wider tick labels: the layout must make room again
        moved, _ = rasterize(fig, 100)
    fresh, fresh_ax = plt.subplots(figsize=(4, 3), layout="constrained")
    fresh_ax.plot([0, 1], [0, 1])
    fresh_ax.set_ylim(0, 1000)
    assert np.array_equal(moved, rasterize(fresh, 100)[0])
    plt.close("all")


def test_each_formula_is_laid_out_once_for_every_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out: list[str] = []
    parse = MathTextParser._parse_cached.__wrapped__  # type: ignore[attr-defined]

    def counted(parser: MathTextParser[Any], text: str, *args: object) -> object:
        laid_out.append(text)
        return parse(parser, text, *args)

    monkeypatch.setattr(MathTextParser, "_parse_cached", functools.lru_cache(50)(counted))

    def drawn_twice() -> list[np.ndarray]:
        fig = _panels()
        fig.canvas.draw()  # on the figure's own renderer
        own = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()  # type: ignore[attr-defined]
        return [own, rasterize(fig, fig.dpi)[0]]  # on raster's shared one, the same size

    plain = drawn_twice()
    plain_count, laid_out[:] = len(laid_out), []
    once._formulas.clear()  # what earlier tests laid out does not count here
    with measured_once():
        fast = drawn_twice()
    assert all(np.array_equal(a, b) for a, b in zip(fast, plain, strict=True))
    assert len(laid_out) > 0
    assert 2 * len(laid_out) == plain_count  # once, not once per renderer
    plt.close("all")


def _methods() -> tuple[object, ...]:
    return tuple(getattr(owner, name) for owner, name in _PATCHES)


def test_each_axis_updates_its_ticks_a_fraction_as_often(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]
    update = Axis._update_ticks  # type: ignore[attr-defined]

    def counted(self: Axis) -> object:
        calls[0] += 1
        return update(self)

    monkeypatch.setattr(Axis, "_update_ticks", counted)
    rasterize(_panels(), 100)
    plain, calls[0] = calls[0], 0
    with measured_once():
        rasterize(_panels(), 100)
    assert calls[0] * 2 < plain
    plt.close("all")


def test_matplotlib_gets_its_methods_back_when_the_outermost_block_closes() -> None:
    originals = _methods()
    with measured_once():
        with measured_once():
            patched = _methods()
        assert _methods() == patched
    assert all(a is not b for a, b in zip(patched, originals, strict=True))
    assert _methods() == originals
