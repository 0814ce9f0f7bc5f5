"""Static figures: each is the animation's frame, saved atomically in three formats."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from relu_guide import Experiment, Run, animate, train
from relu_guide.drawing.figures import (
    fit_figure,
    layers_figure,
    neurons_figure,
    run_view,
    save_figure,
)
from relu_guide.drawing.views import make_view
from relu_guide.drawing.views.neurons import NeuronsView

FIGURES = {"fit": fit_figure, "layers": layers_figure, "neurons": neurons_figure}


@pytest.fixture(scope="module")
def run() -> Run:
    return train(Experiment(hidden=(20,), steps=40, frames=8, seed=0))


@pytest.fixture
def close_figures() -> Iterator[None]:
    before = set(plt.get_fignums())
    yield
    for num in set(plt.get_fignums()) - before:
        plt.close(num)


@pytest.mark.usefixtures("close_figures")
@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_is_a_pyplot_figure_of_the_guide_size(run: Run, name: str) -> None:
    fig = FIGURES[name](run)
    assert fig.number in plt.get_fignums()
    assert fig.get_size_inches().tolist() == [7.0, 5.0]


@pytest.mark.usefixtures("close_figures")
@pytest.mark.parametrize("name", list(FIGURES))
@pytest.mark.parametrize("frame", [0, 3, -1])
def test_figure_at_a_frame_is_the_view_at_that_frame(run: Run, name: str, frame: int) -> None:
    fig = FIGURES[name](run, frame)
    view = make_view(run, name, animated=True)
    view.update(frame)
    ours = [line.get_xydata() for ax in fig.axes for line in ax.get_lines()]
    theirs = [line.get_xydata() for ax in view.figure.axes for line in ax.get_lines()]
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)
    assert [ax.get_ylim() for ax in fig.axes] == [ax.get_ylim() for ax in view.figure.axes]


@pytest.mark.usefixtures("close_figures")
@pytest.mark.parametrize("name", list(FIGURES))
@pytest.mark.parametrize("dark", [False, True])
def test_figure_pixels_match_the_animation_frame(run: Run, name: str, dark: bool) -> None:
    fig = FIGURES[name](run, 4, dark=dark)
    assert isinstance(fig.canvas, FigureCanvasAgg)
    fig.canvas.draw()
    ours = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    (frame,) = animate(run, name, dark=dark).frames([4])
    differ = np.abs(ours - frame).max(axis=-1) > 0
    assert differ.mean() < 0.005  # blitting draws a few edge pixels in another order


@pytest.mark.usefixtures("close_figures")
def test_frame_out_of_range_is_a_value_error(run: Run) -> None:
    with pytest.raises(ValueError, match="frame 9 out of range"):
        fit_figure(run, 9)
    with pytest.raises(ValueError, match="'neurons' view needs"):
        neurons_figure(train(Experiment(hidden=(), steps=2, frames=1)))


@pytest.mark.usefixtures("close_figures")
@pytest.mark.parametrize(
    ("suffix", "magic"), [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")]
)
def test_save_figure_formats(run: Run, tmp_path: Path, suffix: str, magic: bytes) -> None:
    fig = fit_figure(run)
    out = save_figure(fig, tmp_path / f"fit{suffix}")
    assert out == tmp_path / f"fit{suffix}"
    assert out.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [f"fit{suffix}"]
    assert fig.number in plt.get_fignums()  # the caller's figure stays open
    again = save_figure(fig, tmp_path / f"again{suffix}")
    assert again.read_bytes() == out.read_bytes()  # no dates: the same bytes


@pytest.mark.usefixtures("close_figures")
def test_png_is_saved_at_twice_the_size(run: Run, tmp_path: Path) -> None:
    from PIL import Image

    out = save_figure(layers_figure(run, dark=True), tmp_path / "layers.png")
    with Image.open(out) as im:
        assert im.size == (1400, 1000)


@pytest.mark.usefixtures("close_figures")
def test_save_figure_errors_leave_nothing(run: Run, tmp_path: Path) -> None:
    fig = fit_figure(run)
    with pytest.raises(ValueError, match=r"unknown suffix '\.jpg' in '.*fit\.jpg'"):
        save_figure(fig, tmp_path / "fit.jpg")
    with pytest.raises(ValueError, match="does not exist"):
        save_figure(fig, tmp_path / "nowhere" / "fit.svg")
    assert not any(tmp_path.iterdir())


@pytest.mark.usefixtures("close_figures")
def test_run_view_gives_the_view_behind_a_figure(run: Run) -> None:
    view = run_view(run, "neurons", 2)
    assert isinstance(view, NeuronsView)
    assert view.figure.number in plt.get_fignums()
    np.testing.assert_allclose(
        np.asarray(view.output.get_ydata()), run.predict(view.x, 2), atol=1e-6
    )
