"""Views of a training run: one drawer per view, shared by static figures and animations.

A view builds a matplotlib figure for a :class:`~relu_guide.core.training.Run` once: every artist is
created up front, with axis limits computed from all the frames of the run so that nothing
jumps during an animation. :meth:`View.update` then only sets the data of the artists that
change and returns them, in drawing order. A static figure at frame ``k``
(:mod:`relu_guide.drawing.figures`) and frame ``k`` of an animation (:mod:`relu_guide.drawing.animation`) are
therefore drawn by the same code.

Three views exist (:data:`VIEW_NAMES`):

``"fit"``
    The target (dashed) and the network's output, with the loss so far on a log scale below.
``"layers"``
    One panel per module (each Linear layer, each activation), one line per neuron, the target
    dashed in the last panel: the network read layer by layer.
``"neurons"``
    For a one-hidden-layer ReLU net: each hidden unit's weighted piece
    ``w2_j * relu(w1_j x + b1_j)`` in its own colour, their sum, the target, the kinks on the
    x axis; below, the network's slope (a staircase) against the target's.

Examples
--------
>>> from relu_guide import Experiment, train
>>> from relu_guide.drawing.views import make_view
>>> run = train(Experiment(hidden=(3,), steps=30, frames=3))
>>> view = make_view(run, "fit", size=(400, 300))
>>> artists = view.update(-1)
>>> view.n_frames, len(artists) > 0
(4, True)
"""

from __future__ import annotations

from relu_guide.core.training import Run
from relu_guide.drawing.captions import describe, target_label, target_text
from relu_guide.drawing.options import VIEW_NAMES
from relu_guide.drawing.text import FastText
from relu_guide.drawing.views.base import View
from relu_guide.drawing.views.fit import FitView
from relu_guide.drawing.views.layers import LayersView
from relu_guide.drawing.views.neurons import NeuronsView

__all__ = [
    "VIEW_NAMES",
    "FastText",
    "FitView",
    "LayersView",
    "NeuronsView",
    "View",
    "describe",
    "make_view",
    "target_label",
    "target_text",
    "view_class",
]

_VIEWS: dict[str, type[View]] = {"fit": FitView, "layers": LayersView, "neurons": NeuronsView}


def make_view(
    run: Run,
    view: str = "fit",
    *,
    size: tuple[int, int] = (700, 500),
    dark: bool = False,
    animated: bool = False,
    pyplot: bool = False,
    min_text_px: float | None = None,
) -> View:
    """Build the named view of a run (see :class:`View` for the parameters).

    Raises
    ------
    ValueError
        If ``view`` is not one of :data:`VIEW_NAMES`, or the view cannot show this network.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> make_view(train(Experiment(hidden=(), steps=2, frames=1)), "neurons")
    Traceback (most recent call last):
    ...
    ValueError: the 'neurons' view needs one hidden layer of ReLU units and a linear output, got Linear(1, 1); try view='layers'
    """
    cls = view_class(view)
    return cls(run, size=size, dark=dark, animated=animated, pyplot=pyplot, min_text_px=min_text_px)


def view_class(view: str) -> type[View]:
    """The class drawing the named view.

    Raises
    ------
    ValueError
        If ``view`` is not one of :data:`VIEW_NAMES`.

    Examples
    --------
    >>> view_class("layers").__name__
    'LayersView'
    """
    if not isinstance(view, str) or view not in _VIEWS:
        msg = f"unknown view {view!r}; choose one of: {', '.join(VIEW_NAMES)}"
        raise ValueError(msg)
    return _VIEWS[view]
