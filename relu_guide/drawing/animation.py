"""Training animations: frames drawn by blitting, piped straight into ffmpeg.

:func:`animate` returns an :class:`Animation`, a light object that renders nothing until asked.
Saving draws the static background of a :mod:`~relu_guide.drawing.views` view once, then for every
frame restores it, updates the changing artists, draws only them, and writes the raw pixels to
the standard input of ffmpeg (from :mod:`imageio_ffmpeg`): an H.264 ``.mp4`` (yuv420p,
faststart), a VP9 ``.webm`` or a ``.gif``, chosen by suffix. Files are written atomically, and
two saves of the same animation give the same bytes.

Examples
--------
>>> from relu_guide import Experiment, train, animate
>>> run = train(Experiment(hidden=(20,), steps=40, frames=4))
>>> anim = animate(run, "fit", size=(320, 240))
>>> anim.n_frames, anim.size, anim.fps
(5, (320, 240), 20)
>>> anim.alt.startswith("Training animation of Linear(1, 20) → ReLU → Linear(20, 1) fitting x²")
True
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from relu_guide.core.checks import check_output_path
from relu_guide.core.training import Run
from relu_guide.drawing import style
from relu_guide.drawing.encoding import PNG_COLORS, atomic, encode, palette_png
from relu_guide.drawing.options import (
    VIDEO_SUFFIXES,
    VIEW_NAMES,
    check_animation,
    check_text_floor,
)
from relu_guide.drawing.views import View, describe, make_view

__all__ = ["SUFFIXES", "VIEWS", "Animation", "animate"]

#: Views an animation can show.
VIEWS: tuple[str, ...] = VIEW_NAMES
#: Video formats, by file suffix.
SUFFIXES: tuple[str, ...] = VIDEO_SUFFIXES
#: Default width and height, in pixels: the original post's.
SIZE = (700, 500)
Size = tuple[int, int]
#: Key of the last frame's RGB pixels in an animation's cache, kept by a save for the poster.
_LAST_FRAME = "last-frame"


class Animation:
    """A training animation of a run: knows its frames, renders them only when saved or shown.

    Make one with :func:`animate`.

    Attributes
    ----------
    run : Run
        The training run shown.
    view : str
        One of :data:`VIEWS`.
    n_frames : int
        Number of frames: one per stored state of the run (``run.n_frames``).
    size : (int, int)
        Width and height in pixels.
    fps : int or float
        Frames per second.
    dark : bool
        Whether the dark theme is used.
    min_text_px : float or None
        Smallest text size in pixels (None: text scales with the frame).
    alt : str
        One sentence describing the animation (for alt text and captions).

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> anim = animate(train(Experiment(hidden=(2,), steps=20, frames=2)), "layers")
    >>> anim
    <Animation 'layers' of Linear(1, 2) → ReLU → Linear(2, 1): 3 frames, 700x500 px, 20 fps>
    """

    #: Colours of the poster's palette: line art needs few (see
    #: :func:`~relu_guide.drawing.encoding.palette_png`).
    poster_colors: int = PNG_COLORS

    def __init__(
        self,
        run: Run,
        view: str = "fit",
        *,
        size: Size = SIZE,
        fps: float = 20,
        dark: bool = False,
        min_text_px: float | None = None,
    ) -> None:
        if not isinstance(run, Run):
            msg = f"run must be a relu_guide Run (from train()), got {run!r}"
            raise ValueError(msg)
        self.run = run
        self.view, self.size, self.fps = check_animation(run.experiment, view, size=size, fps=fps)
        self.dark = bool(dark)
        self.min_text_px = check_text_floor(min_text_px)
        self._cache: dict[str, bytes] = {}

    @property
    def n_frames(self) -> int:
        """Number of frames, one per stored state of the run."""
        return self.run.n_frames

    @property
    def duration(self) -> float:
        """Length of the video in seconds."""
        return self.n_frames / self.fps

    def __repr__(self) -> str:
        w, h = self.size
        return (
            f"<Animation {self.view!r} of {self.run.experiment.describe()}: "
            f"{self.n_frames} frames, {w}x{h} px, {self.fps} fps>"
        )

    @property
    def alt(self) -> str:
        """One sentence describing the animation: network, target, what the view shows."""
        return describe(self.run, self.view)

    # -- rendering ------------------------------------------------------------------------

    def _view(self) -> View:
        return make_view(
            self.run,
            self.view,
            size=self.size,
            dark=self.dark,
            animated=True,
            min_text_px=self.min_text_px,
        )

    def _render(self, frames: Sequence[int]) -> Iterator[memoryview]:
        """Draw the given frames by blitting, yielding each frame's RGBA buffer (reused)."""
        view = self._view()
        fig = view.figure
        canvas = fig.canvas
        w, h = self.size
        with style.figure_style(self.dark):
            canvas.draw()  # the background: every artist but the animated ones
            background = canvas.copy_from_bbox(fig.bbox)  # type: ignore[attr-defined]
            # Opaque overlays (legends over data) are drawn once; their pixels are pasted back
            # over each frame, which is what drawing them last would give, for free.
            renderer = canvas.get_renderer()  # type: ignore[attr-defined]
            patches = []
            for artist in view.overlays:
                fig.draw_artist(artist)
                inner = artist.get_window_extent(renderer).padded(-1.0)
                patches.append(canvas.copy_from_bbox(inner))  # type: ignore[attr-defined]
            for f in frames:
                canvas.restore_region(background)  # type: ignore[attr-defined]
                for artist in view.update(f):
                    fig.draw_artist(artist)
                for patch in patches:
                    canvas.restore_region(patch)  # type: ignore[attr-defined]
                buf = canvas.buffer_rgba()  # type: ignore[attr-defined]
                if buf.shape[:2] != (h, w):
                    msg = f"rendered {buf.shape[1]}x{buf.shape[0]}, not {w}x{h}"
                    raise RuntimeError(msg)
                yield buf
        # No fig.clear(): it rebuilds every axes (Axes.clear) only to drop them (5% of the
        # benchmark's save in one profile); the unreferenced figure goes with the garbage collector.

    def frames(self, indices: Sequence[int] | None = None) -> Iterator[np.ndarray]:
        """The frames as RGB arrays of shape ``(height, width, 3)`` (all by default).

        Examples
        --------
        >>> from relu_guide import Experiment, train
        >>> anim = animate(train(Experiment(hidden=(3,), steps=20, frames=2)), size=(320, 240))
        >>> [f.shape for f in anim.frames([0, -1])]
        [(240, 320, 3), (240, 320, 3)]
        """
        idx = range(self.n_frames) if indices is None else list(indices)
        return iter([np.asarray(buf)[..., :3].copy() for buf in self._render(idx)])

    def _encode(
        self, tmp: Path, suffix: str, progress: Callable[[int, int], object] | None = None
    ) -> None:
        n = self.n_frames

        def frames() -> Iterator[memoryview]:
            for done, buf in enumerate(self._render(range(n)), start=1):
                yield buf
                if done == n and "poster" not in self._cache:
                    # The poster is the last frame: keep its pixels rather than draw it again,
                    # and encode them only if the poster is asked for.
                    self._cache[_LAST_FRAME] = np.asarray(buf)[..., :3].tobytes()
                if progress is not None:
                    progress(done, n)

        encode(tmp, frames(), size=self.size, fps=self.fps, suffix=suffix)

    def save(
        self,
        path: str | os.PathLike[str],
        *,
        progress: Callable[[int, int], object] | None = None,
    ) -> Path:
        """Render and save the animation; the format follows the suffix.

        ``.mp4`` is H.264 (yuv420p, faststart), ``.webm`` is VP9, ``.gif`` uses one palette
        made for the whole animation. The file is written to a temporary file in the same
        folder and moved into place only when complete.

        Parameters
        ----------
        path : str or path-like
            Ends in ``.mp4``, ``.webm`` or ``.gif``.
        progress : callable, optional
            Called as ``progress(frames_done, n_frames)`` after each frame is rendered.

        Returns
        -------
        Path
            The path written.

        Raises
        ------
        ValueError
            For an unknown suffix or a folder that is missing or not writable, before any
            rendering; nothing is left behind.
        RuntimeError
            If ffmpeg fails (no partial file is left behind either).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from relu_guide import Experiment, train
        >>> anim = animate(train(Experiment(hidden=(2,), steps=20, frames=2)), size=(320, 240))
        >>> with tempfile.TemporaryDirectory() as d:
        ...     out = anim.save(pathlib.Path(d) / "fit.mp4")
        ...     out.name, out.stat().st_size > 1000
        ('fit.mp4', True)
        >>> anim.save("fit.avi")
        Traceback (most recent call last):
        ...
        ValueError: unknown suffix '.avi' in 'fit.avi'; use one of: .mp4, .webm, .gif
        """
        p = check_output_path(path, SUFFIXES)
        suffix = p.suffix.lower()
        if suffix in self._cache:
            with atomic(p) as tmp:
                tmp.write_bytes(self._cache[suffix])
            if progress is not None:
                progress(self.n_frames, self.n_frames)
            return p
        with atomic(p) as tmp:
            self._encode(tmp, suffix, progress)
        return p

    def to_bytes(self, suffix: str = ".mp4") -> bytes:
        """The encoded video as bytes (kept after the first call).

        Examples
        --------
        >>> from relu_guide import Experiment, train
        >>> anim = animate(train(Experiment(hidden=(2,), steps=20, frames=2)), size=(320, 240))
        >>> anim.to_bytes()[4:8]
        b'ftyp'
        """
        key = suffix.lower()
        if key not in SUFFIXES:
            msg = f"unknown suffix {suffix!r}; use one of: {', '.join(SUFFIXES)}"
            raise ValueError(msg)
        if key not in self._cache:
            with tempfile.TemporaryDirectory() as d:
                tmp = Path(d) / f"video{key}"
                self._encode(tmp, key)
                self._cache[key] = tmp.read_bytes()
        return self._cache[key]

    def poster_png(self) -> bytes:
        """The last frame (the trained network) as PNG bytes: the video's poster.

        Examples
        --------
        >>> from relu_guide import Experiment, train
        >>> anim = animate(train(Experiment(hidden=(2,), steps=20, frames=2)), size=(320, 240))
        >>> anim.poster_png()[:8]
        b'\\x89PNG\\r\\n\\x1a\\n'
        """
        if "poster" not in self._cache:
            last = self._cache.pop(_LAST_FRAME, None)
            if last is not None:  # kept by the last save
                w, h = self.size
                rgb = np.frombuffer(last, np.uint8).reshape(h, w, 3)
            else:
                (rgb,) = self.frames([-1])
            self._cache["poster"] = palette_png(rgb, self.poster_colors)
        return self._cache["poster"]

    def save_poster(self, path: str | os.PathLike[str]) -> Path:
        """Save :meth:`poster_png` to a ``.png`` file, atomically; returns the path.

        Raises
        ------
        ValueError
            If the suffix is not ``.png`` or the folder is missing or not writable.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from relu_guide import Experiment, train
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> run = train(Experiment(hidden=(2,), steps=20, frames=2))
        >>> animate(run, size=(320, 240)).save_poster(folder / "poster.png").stat().st_size > 500
        True
        """
        p = check_output_path(path, (".png",))
        data = self.poster_png()
        with atomic(p) as tmp:
            tmp.write_bytes(data)
        return p

    def _repr_html_(self) -> str:
        """A ``<video>`` with controls and the last frame as poster, all inline (for Jupyter)."""
        w, h = self.size
        poster = base64.b64encode(self.poster_png()).decode("ascii")
        video = base64.b64encode(self.to_bytes(".mp4")).decode("ascii")
        alt = html.escape(self.alt)
        return (
            f'<video controls loop muted playsinline preload="metadata" width="{w}" '
            f'height="{h}" style="max-width: 100%; height: auto" aria-label="{alt}" '
            f'poster="data:image/png;base64,{poster}">'
            f'<source src="data:video/mp4;base64,{video}" type="video/mp4">{alt}</video>'
        )


def animate(
    run: Run,
    view: str = "fit",
    *,
    size: Size = SIZE,
    fps: float = 20,
    dark: bool = False,
    min_text_px: float | None = None,
) -> Animation:
    """An animation of a training run, one frame per stored state.

    Parameters
    ----------
    run : Run
        From :func:`relu_guide.train`.
    view : {"fit", "layers", "neurons"}, default "fit"
        What to show (see :mod:`relu_guide.drawing.views`).
    size : (int, int), default (700, 500)
        Width and height in pixels; even, between 200 and 4000.
    fps : float, default 20
        Frames per second.
    dark : bool, default False
        Use the dark theme.
    min_text_px : float, optional
        Smallest text size in pixels; by default text scales with the frame. A floor keeps a
        narrow video legible where it is shown small: ``size=(560, 600), min_text_px=14.1``
        reads on a 390 px phone, whose column shows it 358 px wide (9 CSS px text).

    Returns
    -------
    Animation
        Nothing is rendered until it is saved or displayed.

    Raises
    ------
    ValueError
        For an unknown view, a view that cannot show this network, or a bad size or fps.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> run = train(Experiment(hidden=(20,), steps=40, frames=4))
    >>> animate(run, "neurons").n_frames
    5
    >>> animate(run, "movie")
    Traceback (most recent call last):
    ...
    ValueError: unknown view 'movie'; choose one of: fit, layers, neurons
    >>> animate(run, size=(701, 500))
    Traceback (most recent call last):
    ...
    ValueError: size must have an even width and height (for H.264), got (701, 500)
    """
    return Animation(run, view, size=size, fps=fps, dark=dark, min_text_px=min_text_px)
