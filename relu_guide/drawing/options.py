"""What the drawing can make, and the checks of a request, before anything is trained or drawn.

The views, the file formats, the sizes and frame rates an animation accepts, and what each view
needs of a network, checked against an :class:`~relu_guide.core.experiment.Experiment`: a
request is refused before training starts, with no trained run needed. This module imports
neither matplotlib nor torch, so that ``relu-guide --help`` stays fast.

Examples
--------
>>> from relu_guide import Experiment
>>> from relu_guide.drawing.options import check_animation, check_view
>>> check_animation(Experiment(hidden=(2,)), "neurons", size=(320, 240), fps=20)
('neurons', (320, 240), 20)
>>> check_view(Experiment(hidden=()), "neurons")
Traceback (most recent call last):
...
ValueError: the 'neurons' view needs one hidden layer of ReLU units and a linear output, got Linear(1, 1); try view='layers'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relu_guide.core.checks import check_number, is_int

if TYPE_CHECKING:
    from relu_guide.core.experiment import Experiment

__all__ = [
    "FIGURE_SUFFIXES",
    "FORMAT_HELP",
    "MAX_PANELS",
    "VIDEO_SUFFIXES",
    "VIEW_HELP",
    "VIEW_NAMES",
    "check_animation",
    "check_fps",
    "check_size",
    "check_text_floor",
    "check_view",
]

#: Names of the views, in the order the guide introduces them.
VIEW_NAMES: tuple[str, ...] = ("fit", "layers", "neurons")
#: What each view shows, in one line.
VIEW_HELP: dict[str, str] = {
    "fit": "the target (dashed) and the network's output, the loss below",
    "layers": "one panel per module, one line per neuron, the target dashed in the last",
    "neurons": "each hidden ReLU unit's weighted piece, their sum, the kinks on the x axis",
}
#: Video formats of :meth:`relu_guide.drawing.animation.Animation.save`, by suffix.
VIDEO_SUFFIXES: tuple[str, ...] = (".mp4", ".webm", ".gif")
#: File formats of :func:`relu_guide.drawing.figures.save_figure`, by suffix.
FIGURE_SUFFIXES: tuple[str, ...] = (".svg", ".png", ".pdf")
#: What each suffix writes.
FORMAT_HELP: dict[str, str] = {
    ".mp4": "H.264 video (animate)",
    ".webm": "VP9 video (animate)",
    ".gif": "animated GIF (animate)",
    ".svg": "vector figure (figure)",
    ".png": "figure at 2x resolution (figure)",
    ".pdf": "vector figure (figure)",
}
#: Most modules the layer view draws (one panel each).
MAX_PANELS = 12
#: Smallest and largest accepted width or height of an animation, in pixels.
MIN_SIDE, MAX_SIDE = 200, 4000
#: Largest accepted frame rate.
MAX_FPS = 120


def check_view(experiment: Experiment, view: str) -> str:
    """Check that ``view`` names a view that can show the experiment's network.

    Raises
    ------
    ValueError
        For an unknown view, or a view that cannot show this network (naming both).

    Examples
    --------
    >>> from relu_guide import Experiment
    >>> check_view(Experiment(), "movie")
    Traceback (most recent call last):
    ...
    ValueError: unknown view 'movie'; choose one of: fit, layers, neurons
    """
    from relu_guide.core.experiment import is_shallow_relu

    if not isinstance(view, str) or view not in VIEW_NAMES:
        msg = f"unknown view {view!r}; choose one of: {', '.join(VIEW_NAMES)}"
        raise ValueError(msg)
    if view == "neurons" and not is_shallow_relu(experiment):
        msg = (
            "the 'neurons' view needs one hidden layer of ReLU units and a linear output, "
            f"got {experiment.describe()}; try view='layers'"
        )
        raise ValueError(msg)
    n = len(experiment.module_labels())
    if view == "layers" and n > MAX_PANELS:
        msg = (
            f"the 'layers' view draws at most {MAX_PANELS} modules, got {n} for "
            f"{experiment.describe()}"
        )
        raise ValueError(msg)
    return view


def check_size(size: object) -> tuple[int, int]:
    """A video size ``(width, height)``: whole, even pixels between 200 and 4000.

    Examples
    --------
    >>> check_size((701, 500))
    Traceback (most recent call last):
    ...
    ValueError: size must have an even width and height (for H.264), got (701, 500)
    """
    values = tuple(size) if isinstance(size, tuple | list) else ()
    if not (
        len(values) == 2
        and all(is_int(v) for v in values)
        and all(MIN_SIDE <= int(v) <= MAX_SIDE for v in values)
    ):
        msg = (
            f"size must be (width, height) in whole pixels between {MIN_SIDE} and {MAX_SIDE}, "
            f"got {size!r}"
        )
        raise ValueError(msg)
    w, h = int(values[0]), int(values[1])
    if w % 2 or h % 2:
        msg = f"size must have an even width and height (for H.264), got {size!r}"
        raise ValueError(msg)
    return w, h


def check_fps(fps: object) -> int | float:
    """A frame rate in ``(0, 120]``; whole rates become ints.

    Examples
    --------
    >>> check_fps(20.0), check_fps(12.5)
    (20, 12.5)
    """
    value = check_number(fps, "fps", high=MAX_FPS)
    return int(value) if float(value).is_integer() else float(value)


def check_text_floor(min_text_px: object) -> float | None:
    """A smallest text size in pixels, in ``(0, 200]``, or None (text scales with the frame).

    Examples
    --------
    >>> check_text_floor(14.4), check_text_floor(None)
    (14.4, None)
    >>> check_text_floor(0)
    Traceback (most recent call last):
    ...
    ValueError: min_text_px must be a number in (0, 200], got 0
    """
    if min_text_px is None:
        return None
    return float(check_number(min_text_px, "min_text_px", high=200))


def check_animation(
    experiment: Experiment, view: str, *, size: object, fps: object
) -> tuple[str, tuple[int, int], int | float]:
    """Check every option of an animation of the experiment: ``(view, size, fps)`` normalised."""
    return check_view(experiment, view), check_size(size), check_fps(fps)
