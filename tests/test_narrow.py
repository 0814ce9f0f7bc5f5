"""The gallery's figures, wide and narrow (phone): every text inside the figure and apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from relu_guide import Experiment, train
from relu_guide.core.plane import fixed_run
from relu_guide.core.regions import diamond_net, folded_grid_net
from relu_guide.core.sawtooth import depth_table
from relu_guide.core.training import Run
from relu_guide.drawing.activation_figures import activation_figure, activations_comparison_figure
from relu_guide.drawing.approximation_figures import hat_figure
from relu_guide.drawing.figures import fit_figure, layers_figure, neurons_figure
from relu_guide.drawing.initialisation_figures import depth_spread_figure
from relu_guide.drawing.raster import drawn_at
from relu_guide.drawing.regions import regions_figure
from relu_guide.drawing.study_figures import depth_figure, gradient_norms_figure, sawtooth_figure
from relu_guide.drawing.text import smallest_text_px
from relu_guide.faces.sphinxext.narrow import (
    NARROW_WIDTH,
    _headings,
    _text_boxes,
    _with_space,
    narrow_variant,
)
from relu_guide.faces.sphinxext.variants import FIGURE_SCALE
from relu_guide.studies.gradients import CONFIGS, vanishing_gradient_study
from relu_guide.studies.initialisation import depth_spread


def _gradients(dark: bool) -> Figure:
    """The vanishing-gradients figure with all six configurations (their labels), tiny nets."""
    studies = vanishing_gradient_study(CONFIGS, seeds=1, depth=3, steps=4, every=2)
    return gradient_norms_figure(studies, dark=dark)


#: Figures the gallery draws narrow, made as its scripts make them (studies tiny: costly).
FIGURES: dict[str, Callable[[bool], Figure]] = {
    "relu": lambda dark: activation_figure("relu", dark=dark),
    "leaky relu": lambda dark: activation_figure("leaky_relu", slope=0.1, dark=dark),
    "sigmoid": lambda dark: activation_figure("sigmoid", dark=dark),
    "all activations": lambda dark: activations_comparison_figure(dark=dark),
    "hats": lambda dark: hat_figure("sin", 8, dark=dark),
    "sawtooth": lambda dark: sawtooth_figure((1, 2, 3), dark=dark),
    "depth": lambda dark: depth_figure(depth_table(8), dark=dark),
    "diamond regions": lambda dark: regions_figure(fixed_run(*diamond_net()), dark=dark),
    "folded regions": lambda dark: regions_figure(
        fixed_run(*folded_grid_net(3), domain=(0.0, 1.0)), dark=dark
    ),
    "fit": lambda dark: fit_figure(_run(20), dark=dark),
    "layers": lambda dark: layers_figure(_run(2), dark=dark),
    "neurons": lambda dark: neurons_figure(_run(20), dark=dark),
    "gradients": _gradients,
    "depth spread": lambda dark: depth_spread_figure(
        depth_spread(depth=20, width=64, seeds=range(2), batch_size=64), dark=dark
    ),
}

_RUNS: dict[int, Run] = {}


def _run(units: int) -> Run:
    """A trained net of ``units`` hidden units, as the gallery's (1,000 steps of SGD)."""
    if units not in _RUNS:
        _RUNS[units] = train(Experiment(hidden=(units,), frames=2))
    return _RUNS[units]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("name", list(FIGURES))
def test_texts_of_a_narrow_figure_stay_inside_it_and_apart(name: str, dark: bool) -> None:
    """Titles, labels, header lines, legends, tick labels: inside the narrow figure, none over
    another, none smaller than the wide figure's smallest text."""
    fig = FIGURES[name](dark)
    floor = smallest_text_px(fig)
    assert narrow_variant(fig)
    fig.canvas.draw()  # laid out at the narrow size
    assert round(float(fig.get_size_inches()[0] * fig.dpi)) == NARROW_WIDTH
    assert smallest_text_px(fig) >= floor - 0.01
    _assert_inside_and_apart(fig, fig.canvas.get_renderer())  # type: ignore[attr-defined]
    plt.close("all")


def _lines_under_legends(fig: Figure, renderer: Any) -> list[tuple[str, str]]:
    """(legend's first entry, line's label) of every line, not faint, that a legend inside the
    line's panel lies on."""
    found = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer)
        for line in ax.get_lines():
            if (line.get_alpha() or 1.0) < 0.5 or len(np.asarray(line.get_xydata())) < 2:
                continue
            path = line.get_transform().transform_path(line.get_path())
            if path.intersects_bbox(box, filled=False):
                found.append((legend.texts[0].get_text(), str(line.get_label())))
    return found


@pytest.mark.parametrize("name", ["gradients", "depth spread", "sawtooth"])
def test_a_legend_on_the_data_of_a_narrow_figure_moves_below_it(name: str) -> None:
    """Narrowed, these panels' legends lay on their lines (the sigmoid's, the ReLU's, the
    sawtooth's): they move below the panels, in both themes alike, and the figure grows
    taller by as much as they take, so the panels keep their height."""
    light, dark = FIGURES[name](False), FIGURES[name](True)
    fit = narrow_variant(light)
    assert fit is not None
    assert narrow_variant(dark, like=fit) is fit  # the twin takes the light one's words
    for fig in (light, dark):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        assert _lines_under_legends(fig, renderer) == []
        below = [legend for f in (fig, *fig.subfigs) for legend in f.legends]
        assert len(below) == 1
        assert getattr(below[0], "_outside_loc", None) == "lower"
        _assert_inside_and_apart(fig, renderer)
    assert tuple(light.get_size_inches()) == tuple(dark.get_size_inches())
    assert light.get_size_inches()[1] * light.dpi > NARROW_WIDTH  # grown, not squeezed
    plt.close("all")


def test_headings_that_run_into_each_other_wrap_one_at_a_time() -> None:
    """Of two panel titles that touch once narrowed, the wider is wrapped; the other, free
    then, keeps its lines (it was wrapped too: "tanh / MSE / 3.39")."""
    fig = FIGURES["gradients"](False)
    narrow_variant(fig)
    titles = {ax.get_title(loc="left").split("\n")[0]: ax.get_title(loc="left") for ax in fig.axes}
    assert titles["tanh"].count("\n") == 1, titles["tanh"]
    assert titles["sigmoid,"].count("\n") == 2  # "sigmoid, scaled" itself was wrapped
    plt.close(fig)


def _assert_inside_and_apart(fig: Figure, renderer: object) -> None:
    """Every text inside the figure, none over another, headings a gap apart."""
    frame = fig.bbox
    shown = [(t, t.get_window_extent(renderer)) for t in _text_boxes(fig)]
    for t, box in shown:
        assert frame.x0 - 1 <= box.x0, (_name(t), box)
        assert box.x1 <= frame.x1 + 1, (_name(t), box)
        assert frame.y0 - 1 <= box.y0, (_name(t), box)
        assert box.y1 <= frame.y1 + 1, (_name(t), box)
    headings = _headings(fig)
    for i, (a, box_a) in enumerate(shown):
        spaced = _with_space(a, box_a, fig.dpi) if any(a is h for h in headings) else box_a
        for b, box_b in shown[i + 1 :]:
            both = spaced is not box_a and any(b is h for h in headings)
            assert not (spaced if both else box_a).overlaps(box_b), (_name(a), _name(b))


#: The views (fit, layers, neurons) draw their header line in the blank line their title keeps
#: for it: two boxes that overlap by design, not ink on ink.
WIDE = [n for n in FIGURES if n not in ("fit", "layers", "neurons")]


@pytest.mark.parametrize("name", WIDE)
def test_texts_of_a_wide_figure_stay_inside_it_and_apart(name: str) -> None:
    """The desktop figure too, as the scraper draws it: at FIGURE_SCALE times its dpi."""
    fig = FIGURES[name](False)
    with drawn_at(fig, FIGURE_SCALE * float(fig.dpi)):
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        fig.draw(renderer)
        _assert_inside_and_apart(fig, renderer)
    plt.close("all")


def _name(artist: object) -> str:
    text = getattr(artist, "get_text", None)
    return str(text()) if callable(text) else type(artist).__name__


@pytest.mark.parametrize("name", ["hats", "depth", "all activations"])
def test_a_figure_fitted_at_the_drawing_dpi_is_drawn_with_the_fitted_layout(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scraper fits a narrow figure at the dpi it draws it at; the drawing then takes the
    layout of the fit's last round instead of computing it again, and what it draws keeps every
    text inside the figure and apart at that dpi."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from relu_guide.drawing.raster import rasterize

    fig = FIGURES[name](False)
    dpi = 1.25 * float(fig.dpi)
    fit = narrow_variant(fig, dpi=dpi)
    assert fit is not None
    assert fit.layout is not None
    calls: list[object] = []
    execute = ConstrainedLayoutEngine.execute

    def counted(self: ConstrainedLayoutEngine, figure: Figure) -> object:
        calls.append(figure)
        return execute(self, figure)

    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", counted)
    rgb, layout = rasterize(fig, dpi, like=fit.layout)
    assert calls == []  # copied, not computed
    assert layout is not None
    assert rgb.shape[1] == round(NARROW_WIDTH * 1.25)
    fig.dpi = dpi  # measured where the pixels were drawn
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    shown = [(t, t.get_window_extent(renderer)) for t in _text_boxes(fig)]
    frame = fig.bbox
    for t, box in shown:
        inside = frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1
        inside = inside and frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1
        assert inside, (_name(t), box)
    plt.close(fig)
