"""Animations: saved videos decode to the right frames and size; errors leave nothing behind."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

import imageio_ffmpeg
import numpy as np
import pytest

from relu_guide import Experiment, Run, animate, train
from relu_guide.drawing import encoding
from relu_guide.drawing.animation import VIEWS, Animation

SIZE = (320, 240)


@pytest.fixture(scope="module")
def run() -> Run:
    return train(Experiment(hidden=(20,), steps=40, frames=8, seed=0))


@pytest.fixture(scope="module")
def anim(run: Run) -> Animation:
    return animate(run, "fit", size=SIZE)


def _decode(path: Path) -> tuple[int, tuple[int, int]]:
    """Frame count and (width, height) of a video, read back with ffmpeg."""
    gen = imageio_ffmpeg.read_frames(str(path))
    meta = next(gen)
    gen.close()
    n, _ = imageio_ffmpeg.count_frames_and_secs(str(path))  # decodes every frame
    return n, tuple(meta["size"])


def test_views_are_the_three_of_the_guide() -> None:
    assert VIEWS == ("fit", "layers", "neurons")


@pytest.mark.parametrize("view", VIEWS)
def test_mp4_decodes_to_every_frame_at_the_right_size(run: Run, tmp_path: Path, view: str) -> None:
    a = animate(run, view, size=SIZE)
    out = a.save(tmp_path / f"{view}.mp4")
    assert out == tmp_path / f"{view}.mp4"
    assert _decode(out) == (run.n_frames, SIZE) == (a.n_frames, a.size)
    n, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert n == 9
    assert seconds == pytest.approx(9 / 20)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{view}.mp4"]  # no temporary file left


def test_mp4_is_h264_yuv420p_with_faststart(anim: Animation, tmp_path: Path) -> None:
    data = anim.save(tmp_path / "a.mp4").read_bytes()
    assert data[4:8] == b"ftyp"
    assert data.index(b"moov") < data.index(b"mdat")  # faststart: the index comes first
    assert b"avc1" in data
    gen = imageio_ffmpeg.read_frames(str(tmp_path / "a.mp4"))
    meta = next(gen)
    gen.close()
    assert meta["codec"] == "h264"
    assert meta["pix_fmt"].startswith("yuv420p")


@pytest.mark.parametrize("suffix", [".webm", ".gif"])
def test_webm_and_gif_save_every_frame(anim: Animation, tmp_path: Path, suffix: str) -> None:
    out = anim.save(tmp_path / f"a{suffix}")
    assert _decode(out) == (anim.n_frames, SIZE)
    head = out.read_bytes()[:6]
    assert head.startswith(b"GIF89a" if suffix == ".gif" else b"\x1a\x45\xdf\xa3")


def test_suffix_is_case_insensitive(anim: Animation, tmp_path: Path) -> None:
    out = anim.save(tmp_path / "A.MP4")
    assert _decode(out)[0] == anim.n_frames


def test_two_saves_give_identical_bytes(run: Run, tmp_path: Path) -> None:
    a = animate(run, "neurons", size=SIZE).save(tmp_path / "a.mp4").read_bytes()
    b = animate(run, "neurons", size=SIZE).save(tmp_path / "b.mp4").read_bytes()
    assert a == b


def test_frames_are_rgb_arrays_of_the_size(anim: Animation) -> None:
    frames = list(anim.frames())
    assert len(frames) == anim.n_frames
    assert all(f.shape == (240, 320, 3) and f.dtype == np.uint8 for f in frames)
    assert not np.array_equal(frames[0], frames[-1])  # the network learned something


def test_poster_is_the_last_frame(anim: Animation, tmp_path: Path) -> None:
    from PIL import Image

    png = anim.poster_png()
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    (last,) = anim.frames([-1])
    assert image.shape == last.shape
    assert np.abs(image - last).mean() < 1.0  # a palette of the same pixels
    out = anim.save_poster(tmp_path / "poster.png")
    assert out.read_bytes() == png


def test_repr_html_is_a_video_with_controls_and_poster(anim: Animation) -> None:
    html = anim._repr_html_()
    assert html.startswith("<video ")
    assert html.endswith("</video>")
    for part in ("controls", "loop", "muted", "playsinline", 'aria-label="Training animation'):
        assert part in html
    assert 'poster="data:image/png;base64,' in html
    assert '<source src="data:video/mp4;base64,' in html
    assert 'type="video/mp4"' in html


def test_alt_describes_network_target_and_view(run: Run) -> None:
    alt = animate(run, "neurons").alt
    assert alt.startswith("Training animation of Linear(1, 20) → ReLU → Linear(20, 1) fitting x²")
    assert "kinks" in alt
    assert alt.endswith(".")
    linear = train(Experiment(hidden=(), steps=40, frames=8))
    assert "slope flipping sign" in animate(linear).alt
    assert "a single panel (Linear(1, 1))" in animate(linear, "layers").alt


def test_attributes(run: Run, anim: Animation) -> None:
    assert (anim.n_frames, anim.size, anim.fps, anim.view) == (9, SIZE, 20, "fit")
    assert anim.run is run
    assert anim.duration == pytest.approx(0.45)
    assert "9 frames, 320x240 px, 20 fps" in repr(anim)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"view": "movie"}, "unknown view 'movie'"),
        ({"size": (701, 500)}, r"even width and height .*\(701, 500\)"),
        ({"size": (100, 100)}, r"between 200 and 4000, got \(100, 100\)"),
        ({"size": (320.0, 240)}, r"got \(320.0, 240\)"),
        ({"size": "big"}, "got 'big'"),
        ({"fps": 0}, r"fps must be a number in \(0, 120\], got 0"),
        ({"fps": float("nan")}, "got nan"),
        ({"fps": True}, "got True"),
    ],
)
def test_bad_arguments_are_named(run: Run, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        animate(run, **kwargs)


def test_view_that_cannot_show_the_network_fails_at_once() -> None:
    linear = train(Experiment(hidden=(), steps=4, frames=2))
    with pytest.raises(ValueError, match="'neurons' view needs one hidden layer"):
        animate(linear, "neurons")


def test_not_a_run() -> None:
    with pytest.raises(ValueError, match="run must be a relu_guide Run"):
        Animation("run")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["fit.avi", "fit", "fit.mp4.part"])
def test_unknown_suffix_fails_before_rendering(
    anim: Animation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(Animation, "_render", _fail_if_called)
    with pytest.raises(ValueError, match=r"(unknown|no) suffix") as exc:
        anim.save(tmp_path / name)
    assert name in str(exc.value)
    assert not any(tmp_path.iterdir())


def _fail_if_called(*args: object, **kwargs: object) -> NoReturn:
    msg = "rendered before checking the path"
    raise AssertionError(msg)


def test_missing_or_unwritable_folder_fails_before_rendering(
    anim: Animation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Animation, "_render", _fail_if_called)
    missing = tmp_path / "missing" / "fit.mp4"
    with pytest.raises(ValueError, match="does not exist") as exc:
        anim.save(missing)
    assert str(missing) in str(exc.value)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(ValueError, match="is not a folder"):
        anim.save(a_file / "fit.mp4")
    (tmp_path / "folder.mp4").mkdir()
    with pytest.raises(ValueError, match="is a folder"):
        anim.save(tmp_path / "folder.mp4")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "folder.mp4"]


@pytest.mark.skipif(sys.platform != "linux", reason="/proc refuses new files on Linux")
def test_folder_refusing_files_is_a_value_error(
    anim: Animation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Animation, "_render", _fail_if_called)
    with pytest.raises(ValueError, match=r"/proc/fit\.mp4"):
        anim.save("/proc/fit.mp4")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_read_only_folder(anim: Animation, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ValueError, match="not writable"):
            anim.save(folder / "fit.mp4")
    finally:
        folder.chmod(0o755)


def test_failure_while_rendering_leaves_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = animate(run, "layers", size=SIZE)

    def broken(self: Animation, frames: Sequence[int]) -> Iterator[memoryview]:
        yield memoryview(b"\0" * (SIZE[0] * SIZE[1] * 4))
        raise KeyboardInterrupt

    monkeypatch.setattr(Animation, "_render", broken)
    with pytest.raises(KeyboardInterrupt):
        a.save(tmp_path / "fit.mp4")
    assert not any(tmp_path.iterdir())


def test_ffmpeg_failure_is_reported_and_leaves_nothing(
    anim: Animation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encoding, "_encoder_args", lambda suffix: ["-c:v", "nonesuch"])
    fresh = animate(anim.run, "fit", size=SIZE)
    with pytest.raises(RuntimeError, match="ffmpeg failed"):
        fresh.save(tmp_path / "fit.mp4")
    assert not any(tmp_path.iterdir())


def test_existing_file_is_replaced_whole(anim: Animation, tmp_path: Path) -> None:
    out = tmp_path / "fit.mp4"
    out.write_bytes(b"old")
    anim.save(out)
    assert _decode(out)[0] == anim.n_frames
    assert [p.name for p in tmp_path.iterdir()] == ["fit.mp4"]


def test_progress_is_reported_per_frame(run: Run, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    animate(run, "layers", size=SIZE).save(tmp_path / "a.gif", progress=lambda *a: calls.append(a))
    assert calls == [(k, 9) for k in range(1, 10)]


def test_a_save_keeps_the_last_frame_for_the_poster_without_encoding_it(
    run: Run, tmp_path: Path
) -> None:
    anim = animate(run, "fit", size=SIZE)
    anim.save(tmp_path / "fit.mp4")
    assert "poster" not in anim._cache  # encoded only when asked for
    fresh = animate(run, "fit", size=SIZE)
    assert anim.poster_png() == fresh.poster_png()  # the same bytes as drawing it again
