"""The study figures draw what they are given, in both themes, with alt text."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from relu_guide import Experiment, train
from relu_guide.core.sawtooth import depth_table
from relu_guide.drawing.study_figures import (
    activation_fits_figure,
    census_figure,
    depth_figure,
    gradient_norms_figure,
    kink_paths_figure,
    sawtooth_figure,
    width_sweep_figure,
)
from relu_guide.drawing.style import theme_colors
from relu_guide.studies.dead import dead_relu_census
from relu_guide.studies.depth import shallow_comparison
from relu_guide.studies.gradients import activation_fits, vanishing_gradient_study
from relu_guide.studies.widths import WidthSweep, width_sweep


@pytest.fixture(scope="module")
def sweep() -> WidthSweep:
    return width_sweep((2, 4, 8, 16), seeds=2, steps=60)


def _y(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_ydata())


def _check(fig: Figure, dark: bool) -> None:
    assert isinstance(fig, Figure)
    label = fig.get_label()
    assert isinstance(label, str)
    assert len(label) > 40  # alt text for the gallery scraper
    assert fig.get_facecolor()[:3] == pytest.approx(
        matplotlib.colors.to_rgb(theme_colors(dark)["bg"])
    )
    fig.canvas.draw()  # lays out without error
    plt.close(fig)


@pytest.mark.parametrize("dark", [False, True])
def test_width_sweep_figure(sweep: WidthSweep, dark: bool) -> None:
    fig = width_sweep_figure(sweep, min_width=4, dark=dark)
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    assert f"slope {sweep.slope('sgd', 4):.1f}" in labels[0]
    assert f"slope {sweep.slope('best', 4):.1f}" in labels[1]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "4", "8", "16"]
    _check(fig, dark)


@pytest.mark.parametrize("dark", [False, True])
def test_census_figure(dark: bool) -> None:
    censuses = dead_relu_census(seeds=3, steps=40, frames=4)
    fig = census_figure(censuses, best=0.7, mark_step=20, dark=dark)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks[0].startswith("ReLU\n")
    assert ticks[1].startswith("leaky ReLU\n")
    points = sum(len(np.asarray(c.get_offsets())) for c in fig.axes[0].collections)
    assert points == 6
    _check(fig, dark)


@pytest.mark.parametrize("dark", [False, True])
def test_gradient_norms_figure(dark: bool) -> None:
    studies = vanishing_gradient_study(
        [("sigmoid", "sigmoid", 1.0), ("ReLU", "relu", 1.0)], seeds=2, depth=3, steps=6, every=2
    )
    fig = gradient_norms_figure(studies, dark=dark)
    assert len(fig.axes) == 4  # profile, two maps, colour bar
    profile = fig.axes[0]
    assert len(profile.get_lines()) == 2
    np.testing.assert_allclose(_y(profile.get_lines()[0]), studies[0].median_norms[0])
    _check(fig, dark)


def test_activation_fits_figure() -> None:
    runs = activation_fits(("tanh", "relu", "leaky_relu"), steps=30)
    fig = activation_fits_figure(runs)
    assert [ax.get_title(loc="left") for ax in fig.axes[:3]] == ["tanh", "ReLU", "leaky ReLU"]
    assert len(fig.axes[3].get_lines()) == 4  # three errors and the zero line
    _check(fig, False)


@pytest.mark.parametrize("dark", [False, True])
def test_sawtooth_and_depth_figures(dark: bool) -> None:
    fig = sawtooth_figure((1, 2), dark=dark)
    assert fig.axes[2].get_title(loc="left").startswith("$f_1$: 2 pieces")
    _check(fig, dark)
    rows = depth_table(4)
    cmp = shallow_comparison((1, 2, 3, 4), seeds=1, steps=20)
    fig = depth_figure(rows, cmp, dark=dark)
    pieces = _y(fig.axes[0].get_lines()[0])
    assert list(pieces) == [2, 4, 8, 16]
    _check(fig, dark)


def test_kink_paths_figure() -> None:
    run = train(Experiment(hidden=(6,), steps=40, frames=4, seed=3))
    fig = kink_paths_figure(run, optimal=np.linspace(-4, 4, 5))
    assert fig.axes[0].get_title(loc="left").startswith("6 units:")
    _check(fig, False)
