"""Input checks shared by the whole package: one function, one message, per kind of value.

Every public function that takes a count, an interval, an output path or a frame index checks
it here, before any work is done, so that the same mistake gets the same message everywhere
(the API, the figures, the animations and the ``relu-guide`` command). Each check returns the
value normalised (a plain ``int``, a pair of floats, a :class:`~pathlib.Path`) and raises
:class:`ValueError` naming the value otherwise. Nothing here imports torch or matplotlib.

Examples
--------
>>> from relu_guide.core.checks import check_count, check_interval, frame_index
>>> check_count(3, "steps")
3
>>> check_count(True, "steps")
Traceback (most recent call last):
...
ValueError: steps must be a positive integer, got True
>>> check_interval((-5, 5))
(-5.0, 5.0)
>>> frame_index(-1, 101)
100
"""

from __future__ import annotations

import math
import numbers
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from relu_guide.core.names import OPTIMIZERS

_E = TypeVar("_E")

__all__ = [
    "FrameError",
    "check_count",
    "check_experiments",
    "check_interval",
    "check_number",
    "check_output_path",
    "check_training",
    "check_widths",
    "frame_index",
    "is_int",
]


def is_int(value: object) -> bool:
    """True for Python and numpy integers, False for bools (which Python counts as ints).

    Examples
    --------
    >>> is_int(3), is_int(True), is_int(3.0)
    (True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_count(value: object, name: str, *, minimum: int = 1) -> int:
    """An integer (not a bool) of at least ``minimum``, as a plain ``int``.

    Parameters
    ----------
    value : object
    name : str
        How the message calls the value (``"steps"``, ``"every hidden width"``).
    minimum : int, default 1
        Smallest accepted value: 1 for a positive integer, 0 for a non-negative one.

    Raises
    ------
    ValueError
        Naming ``name`` and the value.

    Examples
    --------
    >>> check_count(0, "seed", minimum=0)
    0
    >>> check_count(-1, "seed", minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: seed must be a non-negative integer, got -1
    >>> check_count(2.5, "width")
    Traceback (most recent call last):
    ...
    ValueError: width must be a positive integer, got 2.5
    """
    if not is_int(value) or int(cast(numbers.Integral, value)) < minimum:
        kind = {1: "a positive integer", 0: "a non-negative integer"}.get(
            minimum, f"an integer >= {minimum}"
        )
        msg = f"{name} must be {kind}, got {value!r}"
        raise ValueError(msg)
    return int(cast(numbers.Integral, value))


def check_number(
    value: object, name: str, *, low: float = 0.0, high: float = math.inf
) -> int | float:
    """A finite real number (not a bool) in ``(low, high]``; integers stay integers.

    Examples
    --------
    >>> check_number(0.01, "lr")
    0.01
    >>> check_number(0, "lr")
    Traceback (most recent call last):
    ...
    ValueError: lr must be a positive finite number, got 0
    >>> check_number(200, "fps", high=120)
    Traceback (most recent call last):
    ...
    ValueError: fps must be a number in (0, 120], got 200
    """
    ok = (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and low < float(value) <= high
    )
    if not ok:
        if low == 0 and high == math.inf:
            msg = f"{name} must be a positive finite number, got {value!r}"
            raise ValueError(msg)
        msg = f"{name} must be a number in ({low:g}, {high:g}], got {value!r}"
        raise ValueError(msg)
    number = float(value)  # type: ignore[arg-type]
    return int(number) if is_int(value) else number


def check_interval(value: object, name: str = "domain") -> tuple[float, float]:
    """An interval ``(low, high)`` of finite numbers with ``low < high``, as floats.

    Examples
    --------
    >>> check_interval((1, -1), "x_range")
    Traceback (most recent call last):
    ...
    ValueError: x_range must be finite with low < high, got (1, -1)
    """
    try:
        lo, hi = (float(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        msg = f"{name} must be two numbers (low, high), got {value!r}"
        raise ValueError(msg) from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        msg = f"{name} must be finite with low < high, got {value!r}"
        raise ValueError(msg)
    return lo, hi


class FrameError(ValueError, IndexError):
    """A frame index that is not an integer or out of range (both a ValueError and an
    IndexError, so that it reads as bad input and as a bad index alike)."""


def check_experiments(experiments: Iterable[object], kind: type[_E]) -> list[_E]:
    """A non-empty list of experiments, every one a ``kind``.

    Examples
    --------
    >>> check_experiments([1, 2], int)
    [1, 2]
    >>> check_experiments([], int)
    Traceback (most recent call last):
    ...
    ValueError: experiments must not be empty, got []
    >>> check_experiments([1, "2"], int)
    Traceback (most recent call last):
    ...
    ValueError: every experiment must be of type int, got '2'
    """
    exps: list[_E] = []
    for e in experiments:
        if not isinstance(e, kind):
            msg = f"every experiment must be of type {kind.__name__}, got {e!r}"
            raise ValueError(msg)
        exps.append(e)
    if not exps:
        msg = "experiments must not be empty, got []"
        raise ValueError(msg)
    return exps


def check_widths(hidden: object, *, allow_empty: bool = True) -> tuple[int, ...]:
    """Hidden-layer widths (one int or a sequence of them) as a tuple of positive ints.

    Examples
    --------
    >>> check_widths(20), check_widths([8, 8]), check_widths(())
    ((20,), (8, 8), ())
    >>> check_widths((), allow_empty=False)
    Traceback (most recent call last):
    ...
    ValueError: hidden must hold at least one width, got ()
    >>> check_widths("20")
    Traceback (most recent call last):
    ...
    ValueError: hidden must be a tuple of widths, got '20'
    """
    if is_int(hidden):
        hidden = (hidden,)
    if isinstance(hidden, str | bytes):
        msg = f"hidden must be a tuple of widths, got {hidden!r}"
        raise ValueError(msg)
    try:
        widths: tuple[object, ...] = tuple(hidden)  # type: ignore[arg-type]
    except TypeError:
        msg = f"hidden must be a tuple of widths, got {hidden!r}"
        raise ValueError(msg) from None
    if not widths and not allow_empty:
        msg = "hidden must hold at least one width, got ()"
        raise ValueError(msg)
    return tuple(check_count(w, "every hidden width") for w in widths)


def check_training(spec: Any) -> dict[str, int | float | str]:
    """The training schedule of an experiment spec, checked: its fields normalised, by name.

    ``spec`` has ``optimizer``, ``lr``, ``batch_size``, ``steps``, ``frames`` and ``seed``
    (:class:`~relu_guide.core.experiment.Experiment` and
    :class:`~relu_guide.core.plane.PlaneExperiment` both call this).

    Examples
    --------
    >>> from types import SimpleNamespace as Spec
    >>> check_training(Spec(optimizer="sgd", lr=0.01, batch_size=256, steps=10, frames=20, seed=0))
    Traceback (most recent call last):
    ...
    ValueError: frames must not exceed steps, got frames=20 > steps=10
    """
    optimizer = spec.optimizer
    if optimizer not in OPTIMIZERS:
        msg = f"unknown optimizer {optimizer!r}; choose one of: {', '.join(OPTIMIZERS)}"
        raise ValueError(msg)
    checked: dict[str, int | float | str] = {"optimizer": optimizer}
    checked["lr"] = check_number(spec.lr, "lr")
    for name in ("batch_size", "steps", "frames"):
        checked[name] = check_count(getattr(spec, name), name)
    if checked["frames"] > checked["steps"]:  # type: ignore[operator]
        msg = f"frames must not exceed steps, got frames={checked['frames']} > steps={checked['steps']}"
        raise ValueError(msg)
    checked["seed"] = check_count(spec.seed, "seed", minimum=0)
    return checked


def frame_index(frame: object, n_frames: int) -> int:
    """Normalise a frame index among ``n_frames`` (negative counts from the end).

    Raises
    ------
    FrameError
        If ``frame`` is not an integer or not in ``[-n_frames, n_frames)``.

    Examples
    --------
    >>> frame_index(2, 5), frame_index(-5, 5)
    (2, 0)
    >>> frame_index(5, 5)
    Traceback (most recent call last):
    ...
    relu_guide.core.checks.FrameError: frame 5 out of range for a run of 5 frames (0 to 4, or -5 to -1 from the end)
    """
    if not is_int(frame):
        msg = f"frame must be an integer, got {frame!r}"
        raise FrameError(msg)
    f = int(cast(numbers.Integral, frame))
    if not -n_frames <= f < n_frames:
        msg = (
            f"frame {f} out of range for a run of {n_frames} frames "
            f"(0 to {n_frames - 1}, or {-n_frames} to -1 from the end)"
        )
        raise FrameError(msg)
    return f % n_frames


def check_output_path(path: str | os.PathLike[str], suffixes: Sequence[str]) -> Path:
    """An output path that can be written: a known suffix, in an existing, writable folder.

    Writability is tested the one way that is right for every user and file system: by
    creating (and removing) a temporary file in the folder. Nothing is left behind.

    Parameters
    ----------
    path : str or path-like
    suffixes : sequence of str
        Accepted suffixes, lower case with the dot (``".svg"``); the path's is compared
        case-insensitively.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        Naming the path and what is wrong with it.

    Examples
    --------
    >>> check_output_path("fig.txt", (".svg", ".png"))
    Traceback (most recent call last):
    ...
    ValueError: unknown suffix '.txt' in 'fig.txt'; use one of: .svg, .png
    >>> check_output_path("missing/fig.svg", (".svg",))
    Traceback (most recent call last):
    ...
    ValueError: cannot write 'missing/fig.svg': folder 'missing' does not exist
    """
    p = Path(os.fspath(path))
    name = str(p)
    if p.suffix.lower() not in suffixes:
        what = f"unknown suffix {p.suffix!r} in" if p.suffix else "no suffix in"
        msg = f"{what} {name!r}; use one of: {', '.join(suffixes)}"
        raise ValueError(msg)
    folder = p.parent
    if not folder.exists():
        msg = f"cannot write {name!r}: folder {str(folder)!r} does not exist"
        raise ValueError(msg)
    if not folder.is_dir():
        msg = f"cannot write {name!r}: {str(folder)!r} is not a folder"
        raise ValueError(msg)
    if p.is_dir():
        msg = f"cannot write {name!r}: it is a folder"
        raise ValueError(msg)
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".probe", dir=folder)
    except OSError as exc:
        reason = exc.strerror or "refused"
        msg = f"cannot write {name!r}: folder {str(folder)!r} is not writable ({reason})"
        raise ValueError(msg) from None
    os.close(fd)
    Path(probe).unlink()
    return p
