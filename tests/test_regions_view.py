"""The regions view and its animation: what is drawn matches the exact regions; videos decode."""

from __future__ import annotations

import io
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from relu_guide.core.plane import PlaneExperiment, PlaneRun, fixed_run
from relu_guide.core.plane_training import train_plane
from relu_guide.core.regions import diamond_net, general_position_net
from relu_guide.drawing.plane_figures import region_counts_figure
from relu_guide.drawing.regions import (
    RegionsView,
    animate_regions,
    region_color,
    regions_figure,
)
from relu_guide.drawing.text import smallest_text_px
from relu_guide.studies.regions import region_counts


@pytest.fixture(scope="module")
def run() -> PlaneRun:
    (r,) = train_plane([PlaneExperiment(hidden=(5,), steps=60, frames=6, seed=1)])
    return r


def test_view_draws_one_polygon_per_region_with_its_colour() -> None:
    view = RegionsView(fixed_run(*general_position_net(4)))
    view.update(0)
    assert len(view._polys.get_paths()) == 11
    faces = {tuple(np.round(c[:3], 6)) for c in np.asarray(view._polys.get_facecolor())}
    assert len(faces) == 11  # every region its own colour here
    assert view._status.get_text().endswith("\n11 regions")  # hand-built: no step, no error
    fitted = RegionsView(fixed_run(*diamond_net(), target="diamond"))
    assert fitted._status.get_text().endswith("4 regions    MSE 0")


def test_unit_lines_cross_the_square() -> None:
    view = RegionsView(fixed_run(*diamond_net(), target="diamond"))
    segs = view._lines.get_segments()
    assert len(segs) == 4
    vertical = [
        s for s in segs if np.allclose(s[:, 0], 0) and np.allclose(sorted(s[:, 1]), [-2, 2])
    ]
    flat = [s for s in segs if np.allclose(s[:, 1], 0) and np.allclose(sorted(s[:, 0]), [-2, 2])]
    assert len(vertical) == len(flat) == 2  # x = 0 and y = 0, each drawn for two units


def test_colours_follow_the_pattern() -> None:
    assert region_color((True, False, True)) == region_color((True, False, True))
    assert region_color((True,), dark=True) != region_color((True,))


def test_animation_frames_decode(tmp_path: Path, run: PlaneRun) -> None:
    anim = animate_regions(run, size=(400, 220))
    out = anim.save(tmp_path / "regions.mp4")
    n, _ = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert n == run.n_frames == anim.n_frames
    first, last = anim.frames([0, -1])
    assert first.shape == (220, 400, 3)
    assert not np.array_equal(first, last)
    assert anim.alt.startswith("Training animation: The input square of Linear(2, 5)")


def test_a_portrait_frame_stacks_the_panels_with_its_text_floor(run: PlaneRun) -> None:
    """As the site's videos are drawn: regions above the output map, text at the floor."""
    view = RegionsView(run, size=(440, 760), min_text_px=16.0)
    regions, output = view.figure.axes[:2]
    top, bottom = regions.get_position(), output.get_position()
    assert bottom.y1 < top.y0  # one above the other, not side by side
    assert smallest_text_px(view.figure) == pytest.approx(16.0)
    assert view.figure.canvas.get_width_height() == (440, 760)
    wide = RegionsView(run).figure.axes
    assert wide[0].get_position().x1 < wide[1].get_position().x0  # the default: side by side


def test_poster_keeps_the_colours_of_the_output_map(run: PlaneRun) -> None:
    """The poster is the last frame in a palette: the map's gradient must keep its own hues
    (with 64 colours, rings of the regions' pink and green appeared in it)."""
    anim = animate_regions(run, size=(400, 220))
    (frame,) = anim.frames([-1])
    with Image.open(io.BytesIO(anim.poster_png())) as image:
        poster = np.asarray(image.convert("RGB")).astype(int)
    error = np.abs(poster - frame.astype(int)).sum(axis=-1)  # per pixel, R + G + B
    assert np.percentile(error, 99) <= 20, np.percentile(error, 99)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="PlaneRun"):
        RegionsView("run")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="even"):
        animate_regions(fixed_run(*diamond_net()), size=(401, 200))
    with pytest.raises(ValueError, match="fps must be a number in"):
        animate_regions(fixed_run(*diamond_net()), fps=0)
    with pytest.raises(ValueError, match="min_text_px must be"):
        animate_regions(fixed_run(*diamond_net()), min_text_px=True)


def test_figures_have_alt_text(run: PlaneRun) -> None:
    fig = regions_figure(run, 0)
    label = fig.get_label()
    assert isinstance(label, str)
    assert "linear regions" in label
    study = region_counts(hidden=((2,), (3,)), seeds=range(2), steps=10)
    deep = region_counts(hidden=((4,), (2, 2)), seeds=range(2), steps=10)
    assert len(region_counts_figure(study, deep).axes) == 2
