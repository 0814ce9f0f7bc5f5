"""Static figures of a training run, each the frame of an animation, and how to save them.

:func:`fit_figure`, :func:`layers_figure` and :func:`neurons_figure` draw one frame of the
matching view of :mod:`relu_guide.drawing.views`: the figure at frame ``k`` is frame ``k`` of
``animate(run, view)``, drawn by the same code with the same (fixed) axis limits.

The figures are made with pyplot, like :func:`matplotlib.pyplot.figure`, so Jupyter and
sphinx-gallery show them; close them with ``plt.close(fig)`` when you are done.
:func:`save_figure` writes SVG, PNG (at twice the screen resolution) or PDF, atomically, and
leaves the figure open: it belongs to the caller.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> from relu_guide import Experiment, train
>>> from relu_guide.drawing.figures import fit_figure
>>> fig = fit_figure(train(Experiment(hidden=(20,), steps=40, frames=4)))
>>> fig.get_size_inches().tolist()
[7.0, 5.0]
>>> plt.close(fig)
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from relu_guide.core.checks import check_output_path
from relu_guide.core.training import Run
from relu_guide.drawing.encoding import atomic
from relu_guide.drawing.options import FIGURE_SUFFIXES
from relu_guide.drawing.style import redrawable
from relu_guide.drawing.views import View, describe, make_view

__all__ = [
    "FIGURE_SUFFIXES",
    "fit_figure",
    "layers_figure",
    "neurons_figure",
    "run_view",
    "save_figure",
]


def run_view(
    run: Run,
    view: str,
    frame: int = -1,
    *,
    dark: bool = False,
    size: tuple[int, int] = (700, 500),
) -> View:
    """The named view of a run showing one frame, drawn on a pyplot figure.

    A ``ValueError`` names an unknown view, a view that cannot show the network, or a frame
    out of range, before anything is drawn.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from relu_guide import Experiment, train
    >>> view = run_view(train(Experiment(hidden=(2,), steps=20, frames=2)), "layers", 1)
    >>> len(view.axes)
    3
    >>> plt.close(view.figure)
    """
    run.frame_index(frame)  # a FrameError (a ValueError) names a bad frame before drawing
    v = make_view(run, view, size=size, dark=dark, pyplot=True)
    v.update(frame)
    v.figure.set_label(describe(run, view, frame))
    return v


@redrawable
def fit_figure(
    run: Run, frame: int = -1, *, dark: bool = False, size: tuple[int, int] = (700, 500)
) -> Figure:
    """The fit at one frame: target (dashed), the network's output, the loss so far.

    Parameters
    ----------
    run : Run
    frame : int, default -1
        Stored state to show (negative counts from the end; -1 is the trained network).
    dark : bool, default False
        Dark theme.
    size : (int, int), default (700, 500)
        Size in pixels at 100 dpi (PNG files are saved at twice that).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from relu_guide import Experiment, train
    >>> fig = fit_figure(train(Experiment(hidden=(), steps=20, frames=2)), frame=0)
    >>> fig.axes[0].get_xlabel()
    'x'
    >>> plt.close(fig)
    """
    return run_view(run, "fit", frame, dark=dark, size=size).figure


@redrawable
def layers_figure(
    run: Run, frame: int = -1, *, dark: bool = False, size: tuple[int, int] = (700, 500)
) -> Figure:
    """The network layer by layer at one frame: one panel per module, one line per neuron.

    Parameters are those of :func:`fit_figure`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from relu_guide import Experiment, train
    >>> fig = layers_figure(train(Experiment(hidden=(2,), steps=20, frames=2)))
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['Linear(1, 2): pre-activations', 'ReLU: activations', 'Linear(2, 1): output']
    >>> plt.close(fig)
    """
    return run_view(run, "layers", frame, dark=dark, size=size).figure


@redrawable
def neurons_figure(
    run: Run, frame: int = -1, *, dark: bool = False, size: tuple[int, int] = (700, 500)
) -> Figure:
    """Each hidden unit's piece, their sum, the kinks, and the slopes, at one frame.

    Only for one hidden layer of ReLU units with a linear output (else ``ValueError``).
    Parameters are those of :func:`fit_figure`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from relu_guide import Experiment, train
    >>> fig = neurons_figure(train(Experiment(hidden=(20,), steps=40, frames=4)))
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    return run_view(run, "neurons", frame, dark=dark, size=size).figure


def save_figure(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Save a figure as ``.svg``, ``.png`` (at twice its pixel size) or ``.pdf``, by suffix.

    The file is written to a temporary file in the same folder and moved into place when
    complete, so a failure leaves nothing behind. Metadata that would change from run to run
    (dates) is left out, so the same figure gives the same bytes. The figure is not closed:
    it belongs to the caller.

    Returns the path written, and raises ``ValueError``, naming the path, for an unknown suffix
    or a folder that is missing or not writable (:func:`~relu_guide.core.checks.check_output_path`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     save_figure(fig, pathlib.Path(d) / "empty.svg").suffix
    '.svg'
    >>> save_figure(fig, "figure.jpg")
    Traceback (most recent call last):
    ...
    ValueError: unknown suffix '.jpg' in 'figure.jpg'; use one of: .svg, .png, .pdf
    >>> plt.close(fig)
    """
    p = check_output_path(path, FIGURE_SUFFIXES)
    fmt = p.suffix.lower()[1:]
    metadata = {
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
        "png": {},
    }[fmt]
    with (
        atomic(p) as tmp,
        mpl.rc_context({"svg.hashsalt": "relu-guide", "svg.fonttype": "path"}),
    ):
        fig.savefig(
            tmp,
            format=fmt,
            dpi=2 * fig.dpi,
            facecolor=fig.get_facecolor(),
            metadata=metadata,
        )
    return p
