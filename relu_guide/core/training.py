"""Train an :class:`~relu_guide.Experiment` into a :class:`Run`, deterministically.

This module holds one idea, over 400 lines: one experiment trained into one run, and the run's
record.

All the batches of a run are drawn at once from a seeded torch generator, and the target is
evaluated on them in one numpy call, so the loop itself only does forward, backward and step;
for plain SGD on the guide's ReLU nets those are written by hand
(:mod:`relu_guide.core.backprop`), with no autograd graph.
Snapshots of the parameters are kept at ``frames + 1`` evenly spaced steps; everything a figure
or an animation needs is then computed from those snapshots in numpy, with no autograd.

Examples
--------
>>> from relu_guide import Experiment, train
>>> run = train(Experiment(hidden=(2,), steps=200, frames=4, seed=1))
>>> run.n_frames, run.losses.shape
(5, (5,))
>>> bool(run.losses[-1] < run.losses[0])
True
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from relu_guide.core.backprop import SgdMlp, supports
from relu_guide.core.checks import frame_index
from relu_guide.core.experiment import Experiment
from relu_guide.core.optimizers import make_optimizer

__all__ = [
    "BATCH_SEED_OFFSET",
    "Run",
    "TrainingDivergedError",
    "batch_generator",
    "build_model",
    "evaluation_grid",
    "forward_frames",
    "train",
]

#: Points of the evaluation grid on which :attr:`Run.losses` are measured.
GRID_POINTS = 1000
#: Added to an experiment's seed to seed its batches, so that weights and batches come from
#: two independent streams: :func:`batch_generator`.
BATCH_SEED_OFFSET = 1_000_003


class TrainingDivergedError(RuntimeError):
    """The loss became NaN or infinite during training."""


def evaluation_grid(domain: tuple[float, float], n: int = GRID_POINTS) -> np.ndarray:
    """Midpoints of ``n`` equal cells of the domain: the points losses are measured on.

    Their mean of any smooth function approximates its average over the domain
    (midpoint rule), which is what the batches estimate too.

    Examples
    --------
    >>> evaluation_grid((0.0, 1.0), 4)
    array([0.125, 0.375, 0.625, 0.875])
    """
    lo, hi = domain
    return lo + (np.arange(n) + 0.5) * (hi - lo) / n


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def build_model(experiment: Experiment) -> nn.Sequential:
    """The network of an experiment, with its seeded initial weights.

    Layers are initialised by torch's default (uniform, scaled by fan-in) from a generator
    seeded with ``experiment.seed``, without touching the global random state.

    Examples
    --------
    >>> build_model(Experiment(hidden=(2,)))
    Sequential(
      (0): Linear(in_features=1, out_features=2, bias=True)
      (1): ReLU()
      (2): Linear(in_features=2, out_features=1, bias=True)
    )
    """
    modules: list[nn.Module] = []
    w = experiment.widths
    # torch's own initialisation draws from the global generator: put its state back (ours
    # follows). Cheaper than skipping it on the meta device, whose first use imports sympy (1 s).
    with torch.random.fork_rng(devices=[]):
        linears = [nn.Linear(a, b) for a, b in itertools.pairwise(w)]
    for i, linear in enumerate(linears):
        modules.append(linear)
        act = experiment.output_activation_fn if i == len(w) - 2 else experiment.activation_fn
        if act is not None:
            modules.append(act.module())
    model = nn.Sequential(*modules)
    gen = torch.Generator().manual_seed(experiment.seed)
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Linear):
                bound = 1.0 / np.sqrt(m.in_features)
                m.weight.uniform_(-bound, bound, generator=gen)
                m.bias.uniform_(-bound, bound, generator=gen)
    return model


def batch_generator(seed: int) -> torch.Generator:
    """The torch generator the batches of a run with this seed are drawn from.

    Examples
    --------
    >>> a, b = batch_generator(0), batch_generator(0)
    >>> bool(torch.equal(torch.rand(3, generator=a), torch.rand(3, generator=b)))
    True
    """
    return torch.Generator().manual_seed(seed + BATCH_SEED_OFFSET)


def forward_frames(
    experiment: Experiment,
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray | Sequence[float],
) -> list[tuple[str, np.ndarray]]:
    """Every module's output on ``x`` for stacked parameters (numpy, float64).

    ``weights[i]`` has shape ``(frames, out, in)`` and ``biases[i]`` ``(frames, out)``; the
    outputs have shape ``(frames, len(x), units)``, labelled as
    :meth:`Experiment.module_labels`.
    """
    h = np.asarray(x, dtype=float).reshape(1, -1, 1)
    labels = iter(experiment.module_labels())
    out: list[tuple[str, np.ndarray]] = []
    n_layers = len(weights)
    for i in range(n_layers):
        w = np.asarray(weights[i], dtype=float)
        b = np.asarray(biases[i], dtype=float)
        h = h @ w.transpose(0, 2, 1)
        h += b[:, None, :]  # in place: no second array of frames x points x units
        out.append((next(labels), h))
        act = experiment.output_activation_fn if i == n_layers - 1 else experiment.activation_fn
        if act is not None:
            h = act(h)
            out.append((next(labels), h))
    return out


@dataclass(frozen=True, eq=False)
class Run:
    """The result of :func:`train`: parameters and loss at every snapshot.

    Attributes
    ----------
    experiment : Experiment
    steps : ndarray of int, shape (frames + 1,)
        The optimizer step of each snapshot (0 is the initial state).
    weights : list of ndarray
        One entry per Linear layer, the frame axis first:
        ``weights[i].shape == (frames + 1, out, in)``.
    biases : list of ndarray
        One entry per Linear layer, the frame axis first:
        ``biases[i].shape == (frames + 1, out)``.
    losses : ndarray, shape (frames + 1,)
        Mean squared error on :func:`evaluation_grid` at each snapshot.
    batch_losses : ndarray, shape (steps,)
        The training loss of every step's batch.
    seconds : float
        Wall time of training (not reproducible; never shown in the guide).

    Raises
    ------
    ValueError
        If the arrays do not have the shapes the experiment implies.

    Examples
    --------
    :func:`train` makes runs; :meth:`from_snapshots` makes one from parameters, computing
    its losses:

    >>> exp = Experiment(hidden=(), steps=2, frames=1)
    >>> w, b = np.array([[[1.0]], [[0.5]]]), np.array([[0.0], [0.0]])
    >>> run = Run.from_snapshots(exp, [w], [b], batch_losses=np.zeros(2))
    >>> [round(float(v), 2) for v in run.losses]  # x² against x, then x/2
    [133.33, 127.08]
    """

    experiment: Experiment
    steps: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    losses: np.ndarray
    batch_losses: np.ndarray
    seconds: float = field(default=0.0)

    def __post_init__(self) -> None:
        exp, n = self.experiment, self.experiment.n_frames
        shapes = [(n, b, a) for a, b in itertools.pairwise(exp.widths)]
        if (
            [w.shape for w in self.weights] != shapes
            or [b.shape for b in self.biases] != [s[:2] for s in shapes]
            or np.shape(self.steps) != (n,)
            or np.shape(self.losses) != (n,)
            or np.shape(self.batch_losses) != (exp.steps,)
        ):
            msg = (
                f"a run of {exp.describe()} with {n} frames needs weights of shapes {shapes}, "
                f"got {[w.shape for w in self.weights]} (and losses {np.shape(self.losses)})"
            )
            raise ValueError(msg)

    @classmethod
    def from_snapshots(
        cls,
        experiment: Experiment,
        weights: list[np.ndarray],
        biases: list[np.ndarray],
        batch_losses: np.ndarray,
        seconds: float = 0.0,
    ) -> Run:
        """A run from its parameters at every snapshot; the losses are measured here."""
        grid = evaluation_grid(experiment.domain)
        prediction = forward_frames(experiment, weights, biases, grid)[-1][1][..., 0]
        losses = np.mean((prediction - experiment.target_fn(grid)) ** 2, axis=1)
        return cls(
            experiment=experiment,
            steps=experiment.snapshot_steps,
            weights=weights,
            biases=biases,
            losses=losses,
            batch_losses=np.asarray(batch_losses, dtype=float),
            seconds=seconds,
        )

    @property
    def n_frames(self) -> int:
        """Number of stored states: ``experiment.frames + 1``."""
        return len(self.steps)

    def frame_index(self, frame: int) -> int:
        """Normalise a frame index (negative counts from the end), checking its range.

        Raises :class:`~relu_guide.core.checks.FrameError` (a ValueError and an IndexError).
        """
        return frame_index(frame, self.n_frames)

    def forward(
        self, x: np.ndarray | Sequence[float], frames: Sequence[int] | None = None
    ) -> list[tuple[str, np.ndarray]]:
        """Every module's output on ``x``, at several frames at once (numpy, float64).

        Parameters
        ----------
        x : array_like, shape (n,)
        frames : sequence of int, optional
            Frames to evaluate; all of them by default.

        Returns
        -------
        list of (label, ndarray of shape (len(frames), n, units))
        """
        idx = np.arange(self.n_frames) if frames is None else [self.frame_index(f) for f in frames]
        weights = [w[idx] for w in self.weights]
        biases = [b[idx] for b in self.biases]
        return forward_frames(self.experiment, weights, biases, x)

    def predict_frames(
        self, x: np.ndarray | Sequence[float], frames: Sequence[int] | None = None
    ) -> np.ndarray:
        """The network's output on ``x`` at several frames: shape ``(len(frames), n)``."""
        return self.forward(x, frames)[-1][1][..., 0]

    def predict(self, x: np.ndarray | Sequence[float], frame: int = -1) -> np.ndarray:
        """The network's output on ``x`` at one frame.

        Examples
        --------
        >>> run = train(Experiment(hidden=(), steps=10, frames=2))
        >>> run.predict([0.0, 1.0]).shape
        (2,)
        """
        y: np.ndarray = self.predict_frames(x, [frame])[0]
        return y

    def layer_outputs(
        self, x: np.ndarray | Sequence[float], frame: int = -1
    ) -> list[tuple[str, np.ndarray]]:
        """Every module's output on ``x`` at one frame, one column per neuron.

        Examples
        --------
        >>> run = train(Experiment(hidden=(2,), steps=10, frames=2))
        >>> [(label, out.shape) for label, out in run.layer_outputs([0.0, 1.0, 2.0])]
        [('Linear(1, 2)', (3, 2)), ('ReLU', (3, 2)), ('Linear(2, 1)', (3, 1))]
        """
        return [(label, out[0]) for label, out in self.forward(x, [frame])]

    def model(self, frame: int = -1) -> nn.Sequential:
        """A torch model holding the parameters of one frame.

        Examples
        --------
        >>> import torch
        >>> run = train(Experiment(hidden=(2,), steps=10, frames=2))
        >>> with torch.no_grad():
        ...     y = run.model()(torch.tensor([[1.0]]))
        >>> bool(abs(float(y) - run.predict([1.0])[0]) < 1e-5)
        True
        """
        f = self.frame_index(frame)
        model = build_model(self.experiment)
        linears = [m for m in model if isinstance(m, nn.Linear)]
        with torch.no_grad():
            for m, w, b in zip(linears, self.weights, self.biases, strict=True):
                m.weight.copy_(torch.from_numpy(w[f]))
                m.bias.copy_(torch.from_numpy(b[f]))
        return model


def _batches(experiment: Experiment) -> tuple[torch.Tensor, torch.Tensor]:
    """All inputs and targets of a run, drawn at once: shape (steps, batch, 1) each."""
    lo, hi = experiment.domain
    gen = batch_generator(experiment.seed)
    x = torch.rand((experiment.steps, experiment.batch_size, 1), generator=gen)
    x = x.mul_(hi - lo).add_(lo)
    y = experiment.target_fn(x.numpy().astype(float))
    return x, torch.from_numpy(y.astype(np.float32))


def _step_function(
    exp: Experiment, model: nn.Sequential, linears: list[nn.Linear]
) -> Callable[[torch.Tensor, torch.Tensor, torch.Tensor], object]:
    """One optimizer step on a batch, writing the batch's loss before the step to a 0-d tensor.

    Plain SGD on a ReLU-family net runs the hand-written backward of
    :class:`~relu_guide.core.backprop.SgdMlp` (no autograd graph, about three times faster
    here); Adam and other activations run torch autograd.
    """
    hidden = exp.activation_fn.name if exp.hidden else None
    output = None if exp.output_activation_fn is None else exp.output_activation_fn.name
    if exp.optimizer == "sgd" and supports(hidden, output):
        mlp = SgdMlp(
            [m.weight.data for m in linears],
            [m.bias.data for m in linears],
            hidden=hidden,
            output=output,
            batch=exp.batch_size,
        )
        return functools.partial(_sgd_step, mlp, exp.lr)
    params = list(model.parameters())
    optimizer = make_optimizer(exp.optimizer, params, exp.lr)

    def autograd_step(x: torch.Tensor, y: torch.Tensor, loss_out: torch.Tensor) -> None:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        loss_out.copy_(loss.detach())

    return autograd_step


def _sgd_step(
    mlp: SgdMlp, lr: float, x: torch.Tensor, y: torch.Tensor, loss_out: torch.Tensor
) -> torch.Tensor:
    return mlp.step(x, y, lr, loss_out)


def train(experiment: Experiment, progress: Callable[[int, int], None] | None = None) -> Run:
    """Train the experiment's network; deterministic for a given experiment.

    Parameters
    ----------
    experiment : Experiment
    progress : callable, optional
        Called as ``progress(step, total_steps)`` at every snapshot.

    Returns
    -------
    Run

    Raises
    ------
    TrainingDivergedError
        If the loss becomes NaN or infinite; the message names the step and the learning rate.

    Examples
    --------
    >>> a = train(Experiment(hidden=(3,), steps=50, frames=5, seed=7))
    >>> b = train(Experiment(hidden=(3,), steps=50, frames=5, seed=7))
    >>> bool((a.losses == b.losses).all())
    True
    """
    exp = experiment
    start = time.perf_counter()
    with _one_thread():
        model = build_model(exp)
        linears = [m for m in model if isinstance(m, nn.Linear)]
        step_fn = _step_function(exp, model, linears)
        xs, ys = _batches(exp)
        batch_losses = torch.empty(exp.steps)
        snap_steps = exp.snapshot_steps
        weights = [np.empty((len(snap_steps), *m.weight.shape), np.float32) for m in linears]
        biases = [np.empty((len(snap_steps), *m.bias.shape), np.float32) for m in linears]

        def snapshot(k: int) -> None:
            with torch.no_grad():
                for i, m in enumerate(linears):
                    weights[i][k] = m.weight.numpy()
                    biases[i][k] = m.bias.numpy()

        # One view per step, made at once: the loop only calls the step.
        batches = list(zip(xs.unbind(0), ys.unbind(0), batch_losses.unbind(0), strict=True))

        snapshot(0)
        for k in range(1, len(snap_steps)):
            first, until = int(snap_steps[k - 1]), int(snap_steps[k])
            for x, y, loss_out in batches[first:until]:
                step_fn(x, y, loss_out)
            finite = torch.isfinite(batch_losses[first:until])
            if not bool(finite.all()):
                bad = first + int((~finite).nonzero()[0, 0])
                msg = (
                    f"loss became {float(batch_losses[bad])} at step {bad} of {exp.steps} "
                    f"with lr={exp.lr:g}; try a lower learning rate"
                )
                raise TrainingDivergedError(msg)
            snapshot(k)
            if progress is not None:
                progress(until, exp.steps)
    seconds = time.perf_counter() - start
    return Run.from_snapshots(exp, weights, biases, batch_losses.numpy(), seconds)
