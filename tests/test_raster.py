"""rasterize: the pixels savefig gives, one layout pass, a layout a twin figure can reuse."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from relu_guide.drawing import raster
from relu_guide.drawing.activation_figures import activation_figure
from relu_guide.drawing.style import redraw
from relu_guide.faces.sphinxext.narrow import narrow_variant


def _savefig_rgb(fig: Figure, dpi: float) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor=fig.get_facecolor())
    with Image.open(buf) as image:
        return np.asarray(image.convert("RGB"))


@pytest.mark.parametrize("name", ["relu", "tanh"])
def test_rasterize_gives_the_pixels_of_savefig_and_leaves_the_figure_as_it_was(name: str) -> None:
    fig = activation_figure(name)
    engine, dpi = fig.get_layout_engine(), fig.dpi
    rgb, layout = raster.rasterize(fig, 1.25 * dpi)
    assert fig.get_layout_engine() is engine
    assert fig.dpi == dpi
    assert layout is not None
    expected = _savefig_rgb(activation_figure(name), 1.25 * dpi)
    assert rgb.shape == expected.shape
    assert rgb.dtype == np.uint8
    assert np.array_equal(rgb, expected)
    plt.close("all")


@pytest.fixture
def applied(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The layouts copied onto figures from now on (a spy on ``raster._apply``)."""
    layouts: list[object] = []
    apply = raster._apply

    def spy(f: Figure, lay: raster.Layout) -> None:
        layouts.append(lay)
        apply(f, lay)

    monkeypatch.setattr(raster, "_apply", spy)
    return layouts


def test_a_twin_reuses_the_layout_and_draws_what_its_own_layout_gives(
    applied: list[object],
) -> None:
    fig = activation_figure("sigmoid")
    _, wide = raster.rasterize(fig, 125)
    narrow_variant(fig)
    _, narrow = raster.rasterize(fig, 125)
    own = redraw(fig, dark=True)
    own_wide, _ = raster.rasterize(own, 125)
    narrow_variant(own)
    own_narrow, _ = raster.rasterize(own, 125)

    applied.clear()  # from here on: the twin's
    twin = redraw(fig, dark=True)
    twin_wide, _ = raster.rasterize(twin, 125, like=wide)
    narrow_variant(twin)
    twin_narrow, _ = raster.rasterize(twin, 125, like=narrow)
    assert applied == [wide, narrow]  # copied, not computed
    assert np.array_equal(twin_wide, own_wide)
    assert np.array_equal(twin_narrow, own_narrow)
    # A layout made for another size is not copied: the figure is laid out afresh.
    applied.clear()
    other = redraw(fig, dark=True)
    other_wide, _ = raster.rasterize(other, 125, like=narrow)
    assert applied == []
    assert np.array_equal(other_wide, own_wide)
    plt.close("all")


def test_a_shared_renderer_does_not_leak_into_another_figure() -> None:
    a, b = activation_figure("relu"), activation_figure("relu", dark=True)
    first, _ = raster.rasterize(a, 125)
    raster.rasterize(b, 125)  # same size: the same pooled renderer
    again, _ = raster.rasterize(a, 125)
    assert np.array_equal(first, again)
    a.canvas.draw()  # the figure's own canvas draws at its own dpi, on its own renderer
    assert np.asarray(a.canvas.buffer_rgba()).shape[:2] == (  # type: ignore[attr-defined]
        round(a.bbox.height),
        round(a.bbox.width),
    )
    plt.close("all")


def test_figures_without_a_layout_engine_are_drawn_as_they_are() -> None:
    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    ax.plot([0, 1], [1, 0])
    rgb, layout = raster.rasterize(fig, 150)
    assert layout is None
    assert np.array_equal(rgb, _savefig_rgb(fig, 150))
    plt.close(fig)


@pytest.mark.parametrize("view", ["fit", "layers", "neurons"])
def test_a_view_built_after_its_twin_takes_its_layout_and_draws_the_same(
    view: str, applied: list[object]
) -> None:
    from relu_guide import Experiment, animate, train

    run = train(Experiment(hidden=(3,), steps=30, frames=3, seed=1))
    alone = next(animate(run, view, size=(560, 600), min_text_px=14.1, dark=True).frames([-1]))
    with raster.twin_layouts():
        next(animate(run, view, size=(560, 600), min_text_px=14.1).frames([-1]))
        twin = next(animate(run, view, size=(560, 600), min_text_px=14.1, dark=True).frames([-1]))
    assert len(applied) == 1
    assert np.array_equal(twin, alone)
