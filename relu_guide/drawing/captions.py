"""Words for what a view shows: the target as text and mathtext, one-sentence alt text.

Alt text and captions of figures and animations, and the status line of a frame, all come from
here, computed from the run (numbers included), so that a description cannot drift from the
picture it describes.

Examples
--------
>>> from relu_guide import Experiment, train
>>> from relu_guide.drawing.captions import describe, status
>>> run = train(Experiment(hidden=(2,), steps=20, frames=2))
>>> describe(run, "layers", -1)[:60]
'Figure of Linear(1, 2) → ReLU → Linear(2, 1) fitting x² on ['
>>> status(run, 1)[:14]
'step 10 / 20 ·'
"""

from __future__ import annotations

import math

from matplotlib.mathtext import MathTextParser

from relu_guide.core.analysis import kinks, sign_flips
from relu_guide.core.targets import Target
from relu_guide.core.training import Run

__all__ = ["describe", "format_mse", "status", "target_label", "target_slope_text", "target_text"]

_MATH = MathTextParser("path")
#: The target's slope, in words, for the registry's targets.
_TARGET_SLOPES = {"square": "2x", "abs": "sign(x)", "sin": "cos(x)", "cube": "3x²/5"}


def _mathtext_ok(text: str) -> bool:
    try:
        _MATH.parse(text)
    except ValueError:
        return False
    return True


def target_text(run: Run) -> str:
    """The target in plain text (for alt text): ``"x²"`` for ``"square"``, else its name.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> target_text(train(Experiment(hidden=(), steps=2, frames=1)))
    'x²'
    """
    return run.experiment.target_fn.text


def target_label(run: Run) -> str:
    """The target as matplotlib mathtext (``"$x^2$"``), or plain text if it cannot be typeset.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> target_label(train(Experiment(hidden=(), steps=2, frames=1)))
    '$x^2$'
    """
    t = run.experiment.target_fn
    math_text = f"${t.latex}$"
    if t.latex and t.latex != "f(x)" and _mathtext_ok(math_text):
        return math_text
    return target_text(run)


def describe(run: Run, view: str, frame: int | None = None) -> str:
    """One sentence describing a view of a run, for alt text and captions.

    Parameters
    ----------
    run : Run
    view : str
        One of :data:`~relu_guide.drawing.options.VIEW_NAMES`.
    frame : int, optional
        The frame a static figure shows; ``None`` describes the whole animation.

    Examples
    --------
    >>> from relu_guide import Experiment, train
    >>> describe(train(Experiment(hidden=(2,), steps=20, frames=2)), "layers", -1)[:60]
    'Figure of Linear(1, 2) → ReLU → Linear(2, 1) fitting x² on ['
    """
    exp = run.experiment
    lo, hi = exp.domain
    shown = range(run.n_frames) if frame is None else [run.frame_index(frame)]
    kind = "Training animation" if frame is None else "Figure"
    when = (
        f"over {exp.steps:,} {exp.optimizer.upper()} steps"
        if frame is None
        else f"after {int(run.steps[shown[0]]):,} of {exp.steps:,} {exp.optimizer.upper()} steps"
    )
    head = f"{kind} of {exp.describe()} fitting {target_text(run)} on [{lo:g}, {hi:g}] {when}"
    if view == "fit":
        body = "the network's output (solid) against the dashed target, the loss below"
        if not exp.hidden and exp.output_activation_fn is None and frame is None:
            flips = sign_flips(run.weights[0][:, 0, 0])
            body = (
                "the output stays a straight line, its slope flipping sign "
                f"{flips} times between frames, against the dashed target, the loss below"
            )
    elif view == "layers":
        labels = exp.module_labels()
        body = (
            f"one panel per module ({', '.join(labels)}) with one line per "
            "neuron, the last panel comparing the output with the dashed target"
            if len(labels) > 1
            else f"a single panel ({labels[0]}) comparing the output with the dashed target"
        )
    else:
        final = kinks(run, shown[-1])
        inside = sum(k.state == "kink" for k in final)
        moving = "the kinks moving along the x axis, " if frame is None else "the kinks marked, "
        body = (
            "each hidden unit's weighted ReLU piece in its own colour, their sum against "
            f"the dashed target, {moving}and below, the network's "
            f"staircase slope against the target's; {inside} of the "
            f"{len(final)} kinks {'lies' if inside == 1 else 'lie'} inside the domain"
        )
    first, last = float(run.losses[0]), float(run.losses[shown[-1]])
    if frame is None:
        verb = "falls" if last < first else "goes"
        return f"{head}: {body}; the mean squared error {verb} from {first:.3g} to {last:.3g}."
    return f"{head}: {body}; the mean squared error is {last:.3g}."


def target_slope_text(target: Target) -> str | None:
    """The slope of a registry target in words (``"2x"`` for ``"square"``), else None.

    Examples
    --------
    >>> from relu_guide.core.targets import get_target
    >>> target_slope_text(get_target("square")), target_slope_text(get_target("x**4"))
    ('2x', None)
    """
    return _TARGET_SLOPES.get(target.name)


def format_mse(value: float) -> str:
    """A mean squared error for a status line: three digits, thousands separated."""
    if not math.isfinite(value):
        return str(value)
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def status(run: Run, frame: int) -> str:
    """The status line of a frame: its step and its error."""
    return (
        f"step {int(run.steps[frame]):,} / {run.experiment.steps:,}"
        f" · MSE {format_mse(float(run.losses[frame]))}"
    )
