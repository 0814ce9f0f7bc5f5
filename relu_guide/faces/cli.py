"""The ``relu-guide`` command: train a network and save its animation or figures; list options.

This module holds one idea, over 400 lines: the command line, from its parser and the checks
of its arguments to the commands that train, draw and report.

Subcommands::

    relu-guide animate --target square --hidden 20 --steps 1000 --frames 100 --out fit.mp4
    relu-guide figure activation tanh --out tanh.svg
    relu-guide figure activations --out all.svg
    relu-guide figure neurons --hidden 20 --out neurons.png
    relu-guide list

``--hidden`` takes the widths of the hidden layers, comma-separated (``20``, ``20,20``), or
``none`` for no hidden layer at all (the seed's single ``Linear(1, 1)``). ``--target`` takes a
registry name or a formula in ``x`` such as ``"sin(3*x) + x**2/4"``.

Bad input (an unknown target or activation, a non-positive width, ``lr <= 0``, more frames
than steps, a bad formula, an output path with an unknown suffix or in a missing or read-only
folder, a diverging training) ends the command with exit status 2 and one line on stderr,
``relu-guide: error: <message>``, naming the bad value; everything is checked before training
starts, and files are written atomically, so no partial file is ever left behind.

Examples
--------
>>> from relu_guide.faces.cli import main
>>> main(["list"])  # doctest: +ELLIPSIS
targets (--target NAME, or a formula in x such as "sin(3*x) + x**2/4"):
  square    x²
...
0
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

# Only modules that import neither torch nor matplotlib: --help and list stay fast. Training
# and drawing are imported by the commands that need them.
from relu_guide.core.checks import check_output_path, frame_index
from relu_guide.core.names import (
    ACTIVATION_NAMES,
    ACTIVATION_TEXT,
    CONSTANTS,
    FORMULA_FUNCTIONS,
    OPTIMIZERS,
    TARGET_NAMES,
    TARGET_TEXT,
)
from relu_guide.drawing.options import (
    FIGURE_SUFFIXES,
    FORMAT_HELP,
    VIDEO_SUFFIXES,
    VIEW_HELP,
    VIEW_NAMES,
    check_animation,
    check_view,
)

if TYPE_CHECKING:
    from relu_guide.core.experiment import Experiment
    from relu_guide.core.training import Run

__all__ = ["FIGURE_KINDS", "FIGURE_SUFFIXES", "VIDEO_SUFFIXES", "main"]

PROG = "relu-guide"
#: What ``relu-guide figure`` can draw.
FIGURE_KINDS: tuple[str, ...] = ("activation", "activations", *VIEW_NAMES)


class CommandError(Exception):
    """Bad input to the command: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr, with exit status 2."""

    def error(self, message: str) -> NoReturn:
        _fail(message)


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _fail(message: object, status: int = 2) -> NoReturn:
    sys.stderr.write(f"{PROG}: error: {_one_line(message)}\n")
    sys.stderr.flush()
    raise SystemExit(status)


# --- argument types -----------------------------------------------------------------------


def _hidden(text: str) -> tuple[int, ...]:
    """``"20"`` -> (20,), ``"2,3"`` -> (2, 3), ``"none"`` -> (): no hidden layer."""
    key = text.strip().lower()
    if key in {"none", ""}:
        return ()
    widths = []
    for part in key.split(","):
        try:
            widths.append(int(part.strip()))
        except ValueError:
            msg = f"hidden widths must be integers separated by commas, or 'none', got {text!r}"
            raise argparse.ArgumentTypeError(msg) from None
    return tuple(widths)


def _domain(text: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in text.split(","))
    except ValueError:
        msg = f"domain must be two numbers 'LOW,HIGH' (write --domain=-3,3), got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    return lo, hi


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        msg = f"size must be WIDTHxHEIGHT in pixels such as 700x500, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    return w, h


def _optional_activation(text: str) -> str | None:
    return None if text.strip().lower() in {"none", ""} else text


# --- the parser ---------------------------------------------------------------------------


def _add_training_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("training (see relu_guide.Experiment)")
    g.add_argument(
        "--target", default="square",
        help="a target name (see 'relu-guide list') or a formula in x, e.g. \"sin(3*x) + x**2/4\""
        " (default: square)",
    )  # fmt: skip
    g.add_argument(
        "--domain", type=_domain, default=(-5.0, 5.0), metavar="LOW,HIGH",
        help="interval x is drawn from; write --domain=-3,3 (default: -5,5)",
    )  # fmt: skip
    g.add_argument(
        "--hidden", type=_hidden, default=(20,), metavar="WIDTHS",
        help="hidden layer widths: 20, or 20,20 for two layers, or none for no hidden layer"
        " (default: 20)",
    )  # fmt: skip
    g.add_argument(
        "--activation", default="relu",
        help=f"after each hidden layer: {', '.join(ACTIVATION_NAMES)}, or e.g. "
        "'leaky_relu(slope=0.05)' (default: relu)",
    )  # fmt: skip
    g.add_argument(
        "--output-activation", type=_optional_activation, default=None, metavar="ACTIVATION",
        help="after the last layer, or none (default: none)",
    )  # fmt: skip
    g.add_argument("--optimizer", default="sgd", help=f"{' or '.join(OPTIMIZERS)} (default: sgd)")
    g.add_argument("--lr", type=float, default=0.01, help="learning rate (default: 0.01)")
    g.add_argument(
        "--batch-size", type=int, default=256, help="fresh samples per step (default: 256)"
    )
    g.add_argument("--steps", type=int, default=1000, help="optimizer steps (default: 1000)")
    g.add_argument(
        "--frames", type=int, default=100,
        help="snapshots, evenly spaced; the video has frames + 1 (default: 100)",
    )  # fmt: skip
    g.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="show a progress bar on stderr (default: only when stderr is a terminal)",
    )  # fmt: skip


def _add_output_options(p: argparse.ArgumentParser, suffixes: Sequence[str]) -> None:
    p.add_argument("--dark", action="store_true", help="use the dark theme")
    p.add_argument(
        "--out", "-o", required=True, metavar="PATH",
        help=f"file to write; its suffix picks the format: {', '.join(suffixes)}",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``relu-guide`` (usage errors: one line, exit status 2).

    Examples
    --------
    >>> args = build_parser().parse_args(["animate", "--hidden", "2,3", "--out", "a.mp4"])
    >>> args.hidden, args.size, args.view
    ((2, 3), (700, 500), 'fit')
    >>> build_parser().parse_args(["figure", "activation", "tanh", "--out", "t.svg"]).name
    'tanh'
    """
    parser = _Parser(
        prog=PROG,
        description="Figures and training animations of the illustrated guide to ReLUs.",
        epilog="Bad input exits with status 2 and one line on stderr naming the bad value.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    anim = sub.add_parser(
        "animate", help="train a network and save a video of its training",
        description="Train a network and save an animation of its training (one frame per "
        "snapshot). Example: relu-guide animate --target square --hidden 20 --out fit.mp4",
    )  # fmt: skip
    _add_training_options(anim)
    g = anim.add_argument_group("video")
    g.add_argument(
        "--view", choices=VIEW_NAMES, default="fit",
        help="; ".join(f"{k}: {v}" for k, v in VIEW_HELP.items()) + " (default: fit)",
    )  # fmt: skip
    g.add_argument(
        "--size", type=_size, default=(700, 500), metavar="WxH",
        help="video size in pixels, even numbers (default: 700x500)",
    )  # fmt: skip
    g.add_argument("--fps", type=float, default=20.0, help="frames per second (default: 20)")
    _add_output_options(anim, VIDEO_SUFFIXES)

    fig = sub.add_parser(
        "figure", help="save a static figure",
        description="Save a static figure: an activation and its gradient, all activations "
        "compared, or a trained network (fit, layers, neurons) at one frame.",
    )  # fmt: skip
    kinds = fig.add_subparsers(dest="kind", required=True, metavar="KIND")
    one = kinds.add_parser("activation", help="one activation and its gradient")
    one.add_argument("name", help=f"one of: {', '.join(ACTIVATION_NAMES)}")
    one.add_argument(
        "--slope", type=float, default=0.1, help="slope of leaky_relu for x < 0 (default: 0.1)"
    )
    _add_output_options(one, FIGURE_SUFFIXES)
    every = kinds.add_parser("activations", help="all activations and their gradients")
    _add_output_options(every, FIGURE_SUFFIXES)
    for view in VIEW_NAMES:
        k = kinds.add_parser(view, help=f"a trained network: {VIEW_HELP.get(view, view)}")
        _add_training_options(k)
        k.add_argument(
            "--frame", type=int, default=-1,
            help="snapshot to draw, 0 to frames; negative counts from the end (default: -1)",
        )  # fmt: skip
        _add_output_options(k, FIGURE_SUFFIXES)

    sub.add_parser("list", help="list targets, activations, views and output formats")
    return parser


# --- checks done before any work -------------------------------------------------------------


def _experiment(args: argparse.Namespace) -> Experiment:
    """Build the Experiment through the real class, so its validation messages are used."""
    from relu_guide.core.experiment import Experiment

    try:
        return Experiment(
            target=args.target,
            domain=args.domain,
            hidden=args.hidden,
            activation=args.activation,
            output_activation=args.output_activation,
            optimizer=args.optimizer,
            lr=args.lr,
            batch_size=args.batch_size,
            steps=args.steps,
            frames=args.frames,
            seed=args.seed,
        )
    except ValueError as exc:
        message = str(exc)
        if message.startswith("every hidden width") and 0 in args.hidden:
            message += " (use --hidden none for no hidden layer)"
        raise CommandError(message) from None


# --- progress -------------------------------------------------------------------------------


class ProgressBar:
    """``[#########           ] 45% training`` on one line of a stream, redrawn in place.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = ProgressBar("training", stream=out, enabled=True, width=10)
    >>> bar(45, 100)
    >>> out.getvalue()
    '\\r[####      ]  45% training'
    >>> bar.done()
    """

    def __init__(
        self, label: str, *, stream: IO[str] | None = None, enabled: bool = True, width: int = 30
    ) -> None:
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.enabled = enabled
        self.width = width
        self._shown = False
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        """Show ``done`` of ``total``; redraws only when the percentage changes."""
        if not self.enabled or total <= 0:
            return
        pct = min(100, max(0, int(100 * done / total)))
        if pct == self._last:
            return
        self._last = pct
        filled = self.width * pct // 100
        bar = "#" * filled + " " * (self.width - filled)
        self.stream.write(f"\r[{bar}] {pct:3d}% {self.label}")
        self.stream.flush()
        self._shown = True

    def done(self) -> None:
        """End the bar's line (if it was drawn)."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False

    def clear(self) -> None:
        """Erase the bar's line (before an error message)."""
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._shown = False


def _progress_enabled(args: argparse.Namespace) -> bool:
    if args.progress is not None:
        return bool(args.progress)
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def _train(exp: Experiment, args: argparse.Namespace) -> Run:
    from relu_guide.core.training import train

    bar = ProgressBar("training", enabled=_progress_enabled(args))
    try:
        run = train(exp, progress=bar)
    except BaseException:
        bar.clear()
        raise
    bar.done()
    return run


def _save_animation(anim: Any, out: Path, args: argparse.Namespace) -> Path:
    """Save, with a rendering progress bar."""
    bar = ProgressBar(f"rendering {anim.n_frames} frames", enabled=_progress_enabled(args))
    try:
        path: Path = anim.save(out, progress=bar)
    except BaseException:
        bar.clear()
        raise
    bar.done()
    return path


def _report(path: Path, details: str) -> None:
    size = path.stat().st_size
    print(f"wrote {path} ({details}, {size / 1024:.0f} KB)")


# --- commands -------------------------------------------------------------------------------


def _cmd_animate(args: argparse.Namespace) -> None:
    exp = _experiment(args)
    out = check_output_path(args.out, VIDEO_SUFFIXES)
    view, size, fps = check_animation(exp, args.view, size=args.size, fps=args.fps)
    run = _train(exp, args)
    from relu_guide.drawing.animation import animate

    anim = animate(run, view, size=size, fps=fps, dark=args.dark)
    path = _save_animation(anim, out, args)
    w, h = anim.size
    _report(path, f"{anim.n_frames} frames, {w}x{h} px, {anim.fps:g} fps")


def _cmd_figure(args: argparse.Namespace) -> None:
    out = check_output_path(args.out, FIGURE_SUFFIXES)
    if args.kind == "activation":
        from relu_guide.drawing.activation_figures import activation_figure

        fig = activation_figure(args.name, dark=args.dark, slope=args.slope)
    elif args.kind == "activations":
        from relu_guide.drawing.activation_figures import activations_comparison_figure

        fig = activations_comparison_figure(dark=args.dark)
    else:
        fig = _run_figure(args)
    from relu_guide.drawing.figures import save_figure

    path = save_figure(fig, out)
    _report(Path(path), f"{args.kind} figure")


def _run_figure(args: argparse.Namespace) -> Any:
    exp = _experiment(args)
    frame = frame_index(args.frame, exp.n_frames)
    check_view(exp, args.kind)  # e.g. 'neurons' needs one ReLU layer
    run = _train(exp, args)
    from relu_guide.drawing import figures

    draw: Callable[..., Any] = getattr(figures, f"{args.kind}_figure")
    return draw(run, frame=frame, dark=args.dark)


def _cmd_list(_args: argparse.Namespace) -> None:
    lines = ['targets (--target NAME, or a formula in x such as "sin(3*x) + x**2/4"):']
    lines += [f"  {name:<9} {TARGET_TEXT[name][1]}" for name in TARGET_NAMES]
    lines += textwrap.wrap(
        f"formulas may use x, {', '.join(CONSTANTS)}, + - * / ** (a constant exponent) and "
        f"the functions {', '.join(FORMULA_FUNCTIONS)}",
        width=96,
        initial_indent="  ",
        subsequent_indent="    ",
    )
    lines.append("activations (--activation, --output-activation; figure activation NAME):")
    lines += [f"  {name:<11} {ACTIVATION_TEXT[name][2]}" for name in ACTIVATION_NAMES]
    lines.append("views (animate --view; figure VIEW):")
    lines += [f"  {view:<8} {VIEW_HELP.get(view, '')}" for view in VIEW_NAMES]
    lines.append("output formats (--out, chosen by suffix):")
    lines += [f"  {s:<6} {FORMAT_HELP[s]}" for s in (*VIDEO_SUFFIXES, *FIGURE_SUFFIXES)]
    print("\n".join(lines))


_COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "animate": _cmd_animate,
    "figure": _cmd_figure,
    "list": _cmd_list,
}


def main(argv: list[str] | None = None) -> int:
    """Run ``relu-guide`` with the given arguments (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        0 on success. Bad input exits with status 2 (``SystemExit``) after one line on stderr.

    Examples
    --------
    >>> main(["animate", "--lr", "0", "--out", "fit.mp4"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    args = build_parser().parse_args(argv)
    try:
        _COMMANDS[args.command](args)
    except (CommandError, ValueError) as exc:
        _fail(exc)
    except RuntimeError as exc:
        from relu_guide.core.training import TrainingDivergedError

        _fail(exc, status=2 if isinstance(exc, TrainingDivergedError) else 1)
    except KeyboardInterrupt:
        _fail("interrupted", status=130)
    except OSError as exc:
        _fail(exc, status=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
