"""The views: fixed limits over all frames, correct data at every frame, clear refusals."""

from __future__ import annotations

from typing import TypedDict, cast

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D

from relu_guide import Experiment, Run, train
from relu_guide.drawing.style import theme_colors, unit_colors
from relu_guide.drawing.text import smallest_text_px
from relu_guide.drawing.views import (
    VIEW_NAMES,
    FitView,
    LayersView,
    NeuronsView,
    View,
    make_view,
)


class _Net(TypedDict, total=False):
    """The architecture keywords of an :class:`Experiment`."""

    hidden: tuple[int, ...]
    activation: str
    output_activation: str


SIZE = (480, 360)
SEED_NETS: dict[str, _Net] = {
    "linear": {"hidden": ()},
    "one relu": {"hidden": (), "output_activation": "relu"},
    "two": {"hidden": (2,)},
    "twenty": {"hidden": (20,)},
}


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    return {
        name: train(Experiment(**kw, steps=40, frames=8, seed=0)) for name, kw in SEED_NETS.items()
    }


def _limits(view: View) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [(ax.get_xlim(), ax.get_ylim()) for ax in view.figure.axes]


def _y(line: Line2D) -> np.ndarray:
    return np.asarray(line.get_ydata())


def _close(view: View) -> None:
    view.figure.clear()


@pytest.mark.parametrize("net", list(SEED_NETS))
@pytest.mark.parametrize("name", ["fit", "layers"])
def test_limits_are_fixed_over_all_frames(runs: dict[str, Run], net: str, name: str) -> None:
    view = make_view(runs[net], name, size=SIZE, animated=True)
    before = _limits(view)
    for f in range(view.n_frames):
        view.update(f)
        assert _limits(view) == before
    _close(view)


@pytest.mark.parametrize("net", list(SEED_NETS))
def test_fit_view_shows_the_run_at_every_frame(runs: dict[str, Run], net: str) -> None:
    run = runs[net]
    view = FitView(run, size=SIZE)
    lo, hi = view.ax.get_ylim()
    for f in range(run.n_frames):
        view.update(f)
        y = _y(view.prediction)
        np.testing.assert_array_equal(y, run.predict(view.x, f))
        assert lo <= y.min()
        assert y.max() <= hi
        assert f"step {run.steps[f]:,} / 40" in view._status.get_text()
    _close(view)


def test_fit_view_of_a_straight_line_tracks_its_slope(runs: dict[str, Run]) -> None:
    run = runs["linear"]
    view = FitView(run, size=SIZE)
    view.update(3)
    w = float(run.weights[0][3, 0, 0])
    np.testing.assert_array_equal(view.slope_line.get_ydata(), run.weights[0][:4, 0, 0])
    assert f"ŷ = {w:+.2f}x".replace("-", "−") in view._status.get_text()
    assert not hasattr(FitView(runs["twenty"], size=SIZE), "slope_line")


@pytest.mark.parametrize(
    ("net", "titles"),
    [
        ("linear", ["Linear(1, 1): output"]),
        ("one relu", ["Linear(1, 1): pre-activation", "ReLU: output"]),
        (
            "two",
            ["Linear(1, 2): pre-activations", "ReLU: activations", "Linear(2, 1): output"],
        ),
        (
            "twenty",
            ["Linear(1, 20): pre-activations", "ReLU: activations", "Linear(20, 1): output"],
        ),
    ],
)
def test_layers_view_has_one_panel_per_module(
    runs: dict[str, Run], net: str, titles: list[str]
) -> None:
    run = runs[net]
    view = LayersView(run, size=SIZE)
    assert [ax.get_title(loc="left") for ax in view.axes] == titles
    outputs = run.forward(view.x)
    view.update(5)
    for lines, (_, out) in zip(view.lines, outputs, strict=True):
        assert len(lines) == out.shape[-1]  # one line per neuron
        for j, line in enumerate(lines):
            np.testing.assert_array_equal(line.get_ydata(), out[5, :, j])
    dashed = [line for line in view.axes[-1].lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1  # the target, in the last panel only
    assert all(line.get_linestyle() != "--" for ax in view.axes[:-1] for line in ax.get_lines())
    _close(view)


@pytest.mark.parametrize("net", ["two", "twenty"])
def test_neuron_pieces_sum_to_the_prediction(runs: dict[str, Run], net: str) -> None:
    run = runs[net]
    view = NeuronsView(run, size=SIZE)
    for f in range(run.n_frames):
        view.update(f)
        pieces = np.array([segment[:, 1] for segment in view.pieces.get_segments()])
        total = pieces.sum(axis=0) + run.biases[1][f, 0]
        np.testing.assert_allclose(total, _y(view.output), atol=1e-5)
        np.testing.assert_allclose(total, run.predict(view.x, f), atol=1e-5)
    _close(view)


def test_neuron_pieces_of_dead_or_always_on_units_are_faded_and_dashed(
    runs: dict[str, Run],
) -> None:
    from relu_guide.core.analysis import kinks

    run = runs["twenty"]
    view = NeuronsView(run, size=SIZE)
    seen = set()
    for f in range(run.n_frames):
        view.update(f)
        alphas = np.asarray(view.pieces.get_edgecolor())[:, 3]
        # One (offset, dashes) pair per piece; dashes is None for a solid line.
        styles = cast("list[tuple[float, list[float] | None]]", view.pieces.get_linestyle())
        assert len(alphas) == len(styles) == run.experiment.hidden[0]
        for k, alpha, (_, dashes) in zip(kinks(run, f), alphas, styles, strict=True):
            inside = k.state == "kink"
            seen.add(inside)
            assert alpha == pytest.approx(1.0 if inside else 0.45)
            assert (dashes is None) == inside
    assert seen == {True, False}  # both kinds shown
    _close(view)


def test_neuron_kink_markers_follow_the_kinks(runs: dict[str, Run]) -> None:
    from relu_guide.core.analysis import kinks

    run = runs["twenty"]
    view = NeuronsView(run, size=SIZE)
    lo, hi = run.experiment.domain
    for f in (0, 4, -1):
        view.update(f)
        xs = np.asarray(view.kink_marks.get_offsets())[:, 0]
        for k, x in zip(kinks(run, f), xs, strict=True):
            if k.state == "kink":
                assert x == pytest.approx(k.x)
            else:  # outside the domain: pinned to the nearest edge
                assert x in (lo, hi)
    _close(view)


def test_staircase_is_the_slope_of_the_prediction(runs: dict[str, Run]) -> None:
    run = runs["twenty"]
    view = NeuronsView(run, size=SIZE)
    xs, ys = view.staircase(-1)
    assert xs[0] == -5
    assert xs[-1] == 5
    assert np.all(np.diff(xs) >= 0)
    # Midpoint of each step against a finite difference of the network's output.
    for a, b, s in zip(xs[::2], xs[1::2], ys[::2], strict=True):
        if b - a > 1e-3:
            m, h = 0.5 * (a + b), 0.25 * (b - a)
            slope = (run.predict([m + h])[0] - run.predict([m - h])[0]) / (2 * h)
            assert s == pytest.approx(slope, rel=1e-3, abs=1e-3)
    np.testing.assert_allclose(view.target_slope, 2 * view.x, atol=1e-9)
    _close(view)


@pytest.mark.parametrize(
    "kw",
    [
        {"hidden": ()},
        {"hidden": (), "output_activation": "relu"},
        {"hidden": (3, 3)},
        {"hidden": (3,), "activation": "tanh"},
        {"hidden": (3,), "output_activation": "relu"},
    ],
)
def test_neurons_view_refuses_other_networks(kw: _Net) -> None:
    run = train(Experiment(**kw, steps=4, frames=2))
    with pytest.raises(ValueError, match="'neurons' view needs one hidden layer") as exc:
        make_view(run, "neurons")
    assert run.experiment.describe() in str(exc.value)


def test_unknown_view_is_named() -> None:
    run = train(Experiment(hidden=(), steps=2, frames=1))
    with pytest.raises(ValueError, match="unknown view 'movie'"):
        make_view(run, "movie")


def test_layers_view_refuses_too_many_modules() -> None:
    run = train(Experiment(hidden=(2,) * 7, steps=2, frames=1))
    with pytest.raises(ValueError, match="at most 12 modules, got 15"):
        make_view(run, "layers")


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_dark_theme_and_exact_pixel_size(runs: dict[str, Run], name: str) -> None:
    view = make_view(runs["twenty"], name, size=(500, 400), dark=True)
    canvas = view.figure.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    canvas.draw()
    buf = np.asarray(canvas.buffer_rgba())
    assert buf.shape == (400, 500, 4)
    assert mpl.colors.to_hex(view.figure.get_facecolor()) == theme_colors(True)["bg"]
    _close(view)


def test_animated_views_leave_changing_artists_out_of_a_normal_draw(runs: dict[str, Run]) -> None:
    view = make_view(runs["twenty"], "fit", size=SIZE, animated=True)
    artists = view.update(2)
    assert artists
    assert all(a.get_animated() for a in artists)
    assert [a.get_zorder() for a in artists] == sorted(a.get_zorder() for a in artists)
    _close(view)


def test_fit_legend_covers_no_data_so_is_static(runs: dict[str, Run]) -> None:
    # For x² the legend fits between the arms: it need not be redrawn over each frame.
    view = make_view(runs["twenty"], "fit", size=(700, 500), animated=True)
    assert view.overlays == []
    _close(view)


def test_unit_colors_are_distinct() -> None:
    for n in (1, 2, 4, 5, 20, 64):
        for dark in (False, True):
            colors = unit_colors(n, dark)
            assert len(colors) == n == len(set(colors))


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_text_floor_enlarges_text_and_keeps_the_pixel_size(runs: dict[str, Run], name: str) -> None:
    """A narrow frame shown on a phone: its smallest text reaches the floor, the frame its size."""
    plain = make_view(runs["twenty"], name, size=(560, 600))
    floored = make_view(runs["twenty"], name, size=(560, 600), min_text_px=14.1)
    assert smallest_text_px(plain.figure) < 12.5
    assert smallest_text_px(floored.figure) == pytest.approx(14.1)
    assert floored.figure.canvas.get_width_height() == (560, 600)
    for view in (plain, floored):
        _close(view)


@pytest.mark.parametrize("name", VIEW_NAMES)
@pytest.mark.parametrize(("size", "floor"), [((700, 500), None), ((560, 600), 14.1)])
def test_headings_of_a_frame_stay_inside_it_and_apart(
    runs: dict[str, Run], name: str, size: tuple[int, int], floor: float | None
) -> None:
    """Titles, the status line, the census: inside the frame and clear of each other, also in
    the narrow frame with a text floor that the site's videos use (the neurons view shortens
    its slope title and census there)."""
    view = make_view(runs["twenty"], name, size=size, min_text_px=floor)
    fig = view.figure
    renderer = fig._get_renderer()  # type: ignore[attr-defined]
    titles = [ax._left_title for ax in fig.axes]  # type: ignore[attr-defined]
    headings = [*titles, view._suptitle, view._status, view._subtitle]
    if isinstance(view, NeuronsView):
        headings.append(view.census)
    shown = [t for t in headings if t is not None and t.get_visible() and t.get_text().strip()]
    frame = fig.bbox
    for t in shown:
        box = t.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0, (t.get_text(), box, frame)
        assert box.x1 <= frame.x1 + 1, (t.get_text(), box, frame)
    # the title's blank second line is where the setup and the status sit, by design
    beside_title = {id(view._status), id(view._subtitle)}
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            if a is view._suptitle and id(b) in beside_title:
                continue
            box_a, box_b = a.get_window_extent(renderer), b.get_window_extent(renderer)
            assert not box_a.overlaps(box_b), (a.get_text(), b.get_text())
    _close(view)


def test_text_floor_is_checked() -> None:
    run = train(Experiment(steps=2, frames=1))
    with pytest.raises(ValueError, match="min_text_px must be a number in \\(0, 200\\], got -1"):
        make_view(run, "fit", min_text_px=-1)
