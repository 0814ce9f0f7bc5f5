"""Train many small networks at once, each with its own seed, as one batched model.

This module holds one idea, over 400 lines: many runs trained as one batched model.

Experiments that differ only in their seed (and, for one-hidden-layer nets, in their width) are
trained together: one-hidden-layer nets of any widths have their hidden units packed along one
axis (:class:`PackedShallowNets`), deeper nets of one architecture are stacked on a model axis
and every layer is a batched matrix product (:class:`StackedNets`). A sweep over widths and
seeds then costs about as many Python steps as a single run. For ReLU, leaky ReLU, sigmoid and
tanh nets the gradients are written by hand (:mod:`relu_guide.studies.backprop`: no autograd
graph, buffers allocated once; packed nets as one stack per run of equal widths); nets with
other activations run autograd.

What is the same as :func:`relu_guide.train`, exactly: every model starts from the weights of
:func:`relu_guide.core.training.build_model` for its experiment, sees the very same batches (drawn
from a generator seeded the same way), and is updated by the same optimizer (SGD and Adam act
element by element, so a stacked parameter tensor is updated as the separate ones would be).
What is not guaranteed: bit-identical results. The sums inside the forward and backward
passes run through batched kernels (``baddbmm``, ``bmm``) whose float32 rounding may differ
from ``nn.Linear``'s in the last bit, and training amplifies such differences over many steps.
Batched runs agree with :func:`~relu_guide.train` to float32 precision over short horizons and
in distribution over long ones; both are tested. ``train_many(..., exact=True)`` calls
:func:`~relu_guide.train` for each experiment instead, when bit-identical runs matter more than
speed.

Examples
--------
>>> from relu_guide import Experiment
>>> from relu_guide.studies.engine import train_many
>>> exps = [Experiment(hidden=(w,), steps=200, frames=2, seed=s) for w in (1, 4) for s in (0, 1)]
>>> runs = train_many(exps)
>>> [run.experiment.hidden for run in runs]
[(1,), (1,), (4,), (4,)]
>>> bool(runs[2].losses[-1] < runs[2].losses[0])
True
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from relu_guide.core.activations import Activation
from relu_guide.core.checks import check_experiments
from relu_guide.core.experiment import Experiment
from relu_guide.core.optimizers import make_optimizer
from relu_guide.core.training import (
    Run,
    TrainingDivergedError,
    _one_thread,
    batch_generator,
    build_model,
    evaluation_grid,
    train,
)
from relu_guide.studies.backprop import StackedBackprop, supported
from relu_guide.studies.batches import draw_batches

__all__ = [
    "PackedShallowNets",
    "StackedNets",
    "sweep_final_losses",
    "train_many",
]

#: Steps of batches drawn at a time (keeps memory small for long sweeps).
_CHUNK = 250

#: Called after every backward pass as ``hook(step, nets)`` (gradients are then filled).
StepHook = Callable[[int, "_Nets"], None]


def _group_key(exp: Experiment) -> tuple[object, ...]:
    """Experiments with equal keys train together."""
    hidden: object = "shallow" if len(exp.hidden) == 1 else exp.hidden
    return (
        hidden,
        None if exp.output_activation_fn is None else exp.output_activation_fn.name,
        exp.optimizer,
        exp.lr,
        exp.batch_size,
        exp.steps,
        exp.frames,
        exp.domain,
        exp.target_fn.name,
        id(exp.target_fn.fn),
    )


def _linears(exp: Experiment) -> list[torch.nn.Linear]:
    return [m for m in build_model(exp) if isinstance(m, torch.nn.Linear)]


#: Rows ``[start, stop)`` of a stacked tensor that share one hidden activation.
_Blocks = list[tuple[int, int, Activation]]


def _blocks(sizes: Sequence[int], exps: Sequence[Experiment]) -> _Blocks:
    """Runs of consecutive models with the same activation, as row ranges (``sizes`` rows each)."""
    out: _Blocks = []
    start = 0
    for size, exp in zip(sizes, exps, strict=True):
        act = exp.activation_fn
        if out and out[-1][2].name == act.name:
            out[-1] = (out[-1][0], start + size, out[-1][2])
        else:
            out.append((start, start + size, act))
        start += size
    return out


def _activate(blocks: _Blocks, h: torch.Tensor) -> torch.Tensor:
    """Apply each block's activation to its rows (the first axis) of ``h``."""
    if len(blocks) == 1:
        return blocks[0][2].torch_fn(h)
    return torch.cat([act.torch_fn(h[a:b]) for a, b, act in blocks], dim=0)


class _Nets:
    """What a group of stacked models offers the training loop."""

    experiments: list[Experiment]

    @property
    def parameters(self) -> list[torch.Tensor]:
        raise NotImplementedError

    @property
    def weight_tensors(self) -> list[torch.Tensor]:
        """The weights (not the biases) of every layer."""
        raise NotImplementedError

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def _snapshot(self) -> list[np.ndarray]:
        """A copy of every parameter tensor (as :attr:`parameters` orders them), in numpy."""
        with torch.no_grad():
            return [p.numpy().copy() for p in self.parameters]

    def _per_model(
        self, stacked: list[np.ndarray]
    ) -> tuple[list[list[np.ndarray]], list[list[np.ndarray]]]:
        """Snapshots of every parameter tensor stacked on a frame axis, split into every model's
        weights and biases, layer by layer, each ``(frames, ...)``."""
        raise NotImplementedError

    def _backprops(self, batch: int) -> list[tuple[slice, StackedBackprop]] | None:
        """Hand-written gradients of runs of models, writing into every parameter's ``.grad``
        (set here to zeroed buffers); None if an activation has no hand-written backward."""
        raise NotImplementedError


@dataclass
class StackedNets(_Nets):
    """``M`` networks of one architecture, parameters stacked on a leading model axis.

    Every layer is one batched matrix product over the model axis.

    Attributes
    ----------
    experiments : list of Experiment
    weights : list of Tensor, each ``(M, out, in)``, requiring grad
    biases : list of Tensor, each ``(M, out)``, requiring grad

    Examples
    --------
    >>> stack = StackedNets.build([Experiment(hidden=(3, 3), seed=s) for s in range(2)])
    >>> [tuple(w.shape) for w in stack.weights]
    [(2, 3, 1), (2, 3, 3), (2, 1, 3)]
    >>> tuple(stack(torch.zeros(2, 5)).shape)
    (2, 5)
    """

    experiments: list[Experiment]
    weights: list[torch.Tensor]
    biases: list[torch.Tensor]

    @classmethod
    def build(cls, experiments: Sequence[Experiment]) -> StackedNets:
        """Stack the seeded initial weights of :func:`build_model` of each experiment."""
        exps = list(experiments)
        if len({e.hidden for e in exps}) != 1:
            msg = f"experiments must share hidden widths, got {[e.hidden for e in exps]}"
            raise ValueError(msg)
        layers = [_linears(e) for e in exps]
        weights = [
            torch.stack([ls[i].weight.detach() for ls in layers]) for i in range(len(layers[0]))
        ]
        biases = [
            torch.stack([ls[i].bias.detach() for ls in layers]) for i in range(len(layers[0]))
        ]
        for t in (*weights, *biases):
            t.requires_grad_(True)
        return cls(exps, weights, biases)

    @property
    def parameters(self) -> list[torch.Tensor]:
        """Weights and biases, layer by layer (as ``nn.Sequential.parameters()`` orders them)."""
        return [t for pair in zip(self.weights, self.biases, strict=True) for t in pair]

    @property
    def weight_tensors(self) -> list[torch.Tensor]:
        """The stacked weights, layer by layer."""
        return list(self.weights)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Forward pass: inputs ``(M, batch)`` to outputs ``(M, batch)``."""
        exp = self.experiments[0]
        blocks = _blocks([1] * len(self.experiments), self.experiments)
        h = x[..., None]
        n = len(self.weights)
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = torch.baddbmm(b[:, None, :], h, w.transpose(1, 2))
            if i < n - 1:
                h = _activate(blocks, h)
            elif exp.output_activation_fn is not None:
                h = exp.output_activation_fn.torch_fn(h)
        return h[..., 0]

    def _per_model(
        self, stacked: list[np.ndarray]
    ) -> tuple[list[list[np.ndarray]], list[list[np.ndarray]]]:
        per_model = [np.ascontiguousarray(np.moveaxis(t, 1, 0)) for t in stacked]
        ws, bs = per_model[0::2], per_model[1::2]
        m = len(self.experiments)
        return [[w[k] for w in ws] for k in range(m)], [[b[k] for b in bs] for k in range(m)]

    def _backprops(self, batch: int) -> list[tuple[slice, StackedBackprop]] | None:
        blocks = _blocks([1] * len(self.experiments), self.experiments)
        output = self.experiments[0].output_activation_fn
        if not all(supported(act) for *_, act in blocks) or not supported(output):
            return None
        for p in self.parameters:
            p.grad = torch.zeros_like(p)
        grad_w = [w.grad for w in self.weights if w.grad is not None]
        grad_b = [b.grad for b in self.biases if b.grad is not None]
        bp = StackedBackprop(
            self.weights, self.biases, blocks, output, batch=batch, grad_w=grad_w, grad_b=grad_b
        )
        return [(slice(0, len(self.experiments)), bp)]


@dataclass
class PackedShallowNets(_Nets):
    """``M`` one-hidden-layer networks of any widths, their hidden units packed in one axis.

    Unit ``u`` belongs to model ``owner[u]``; the output of model ``m`` sums its own units
    (:meth:`torch.Tensor.index_add`). No padding, so the cost is that of the total width.

    Attributes
    ----------
    experiments : list of Experiment
    owner : Tensor of int, shape (units,)
    w1, b1, w2 : Tensor, shape (units,), requiring grad
    b2 : Tensor, shape (M,), requiring grad

    Examples
    --------
    >>> nets = PackedShallowNets.build([Experiment(hidden=(w,)) for w in (1, 3)])
    >>> nets.owner.tolist()
    [0, 1, 1, 1]
    >>> tuple(nets(torch.zeros(2, 5)).shape)
    (2, 5)
    """

    experiments: list[Experiment]
    owner: torch.Tensor
    w1: torch.Tensor
    b1: torch.Tensor
    w2: torch.Tensor
    b2: torch.Tensor

    @classmethod
    def build(cls, experiments: Sequence[Experiment]) -> PackedShallowNets:
        """Pack the seeded initial weights of :func:`build_model` of each experiment."""
        exps = list(experiments)
        if any(len(e.hidden) != 1 for e in exps):
            msg = f"experiments must have one hidden layer, got {[e.hidden for e in exps]}"
            raise ValueError(msg)
        layers = [_linears(e) for e in exps]
        owner = torch.cat([torch.full((e.hidden[0],), k) for k, e in enumerate(exps)])
        w1 = torch.cat([ls[0].weight.detach()[:, 0] for ls in layers])
        b1 = torch.cat([ls[0].bias.detach() for ls in layers])
        w2 = torch.cat([ls[1].weight.detach()[0] for ls in layers])
        b2 = torch.cat([ls[1].bias.detach() for ls in layers])
        for t in (w1, b1, w2, b2):
            t.requires_grad_(True)
        return cls(exps, owner, w1, b1, w2, b2)

    @property
    def parameters(self) -> list[torch.Tensor]:
        """``[w1, b1, w2, b2]``."""
        return [self.w1, self.b1, self.w2, self.b2]

    @property
    def weight_tensors(self) -> list[torch.Tensor]:
        """``[w1, w2]``."""
        return [self.w1, self.w2]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Forward pass: inputs ``(M, batch)`` to outputs ``(M, batch)``."""
        exp = self.experiments[0]
        blocks = _blocks([e.hidden[0] for e in self.experiments], self.experiments)
        h = x.index_select(0, self.owner) * self.w1[:, None] + self.b1[:, None]
        a = _activate(blocks, h) * self.w2[:, None]
        y = torch.zeros_like(x).index_add(0, self.owner, a) + self.b2[:, None]
        out = exp.output_activation_fn
        return y if out is None else out.torch_fn(y)

    def _per_model(
        self, stacked: list[np.ndarray]
    ) -> tuple[list[list[np.ndarray]], list[list[np.ndarray]]]:
        w1, b1, w2, b2 = stacked
        counts = torch.bincount(self.owner, minlength=len(self.experiments)).tolist()
        ends = np.cumsum([0, *counts])
        weights, biases = [], []
        for k in range(len(self.experiments)):
            s = slice(ends[k], ends[k + 1])
            weights.append(
                [np.ascontiguousarray(w1[:, s, None]), np.ascontiguousarray(w2[:, None, s])]
            )
            biases.append([np.ascontiguousarray(b1[:, s]), np.ascontiguousarray(b2[:, k : k + 1])])
        return weights, biases

    def _backprops(self, batch: int) -> list[tuple[slice, StackedBackprop]] | None:
        """One stack per run of consecutive models of one width and one activation: their
        packed parameters (and gradients) viewed as ``(models, width, 1)`` and so on."""
        exps = self.experiments
        output = exps[0].output_activation_fn
        if not all(supported(e.activation_fn) for e in exps) or not supported(output):
            return None
        for p in self.parameters:
            p.grad = torch.zeros_like(p)
        params = [self.w1, self.b1, self.w2, self.b2]
        grads = [p.grad for p in params if p.grad is not None]
        out = []
        m0 = u0 = 0
        while m0 < len(exps):
            width, act = exps[m0].hidden[0], exps[m0].activation_fn
            m1 = m0 + 1
            while m1 < len(exps) and exps[m1].hidden[0] == width and exps[m1].activation_fn == act:
                m1 += 1
            models, units = slice(m0, m1), slice(u0, u0 + (m1 - m0) * width)
            ws, bs = _shallow_views(params, models, units, width)
            gw, gb = _shallow_views(grads, models, units, width)
            k = m1 - m0
            bp = StackedBackprop(ws, bs, [(0, k, act)], output, batch=batch, grad_w=gw, grad_b=gb)
            out.append((models, bp))
            m0, u0 = m1, units.stop
        return out


def _shallow_views(
    packed: list[torch.Tensor], models: slice, units: slice, width: int
) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """``[w1, b1, w2, b2]`` of a run of models of one width, viewed as stacked layers."""
    w1, b1, w2, b2 = packed
    k = models.stop - models.start
    weights = [w1[units].view(k, width, 1), w2[units].view(k, 1, width)]
    return weights, [b1[units].view(k, width), b2[models].view(k, 1)]


def _build(exps: list[Experiment], scales: list[float]) -> _Nets:
    shallow = len(exps[0].hidden) == 1
    nets: _Nets = PackedShallowNets.build(exps) if shallow else StackedNets.build(exps)
    if any(s != 1.0 for s in scales):
        per_model = torch.tensor(scales, dtype=torch.float32)
        with torch.no_grad():
            for w in nets.weight_tensors:
                if isinstance(nets, PackedShallowNets):
                    w.mul_(per_model[nets.owner])
                else:
                    w.mul_(per_model[:, None, None])
    return nets


def _train_group(exps: list[Experiment], hook: StepHook | None, scales: list[float]) -> list[Run]:
    exp = exps[0]
    start = time.perf_counter()
    nets = _build(exps, scales)
    optimizer = make_optimizer(exp.optimizer, nets.parameters, exp.lr)
    gens = [batch_generator(e.seed) for e in exps]
    snap_steps = exp.snapshot_steps
    snaps = [nets._snapshot()]
    batch_losses = torch.empty(exp.steps, len(exps))
    backprops = nets._backprops(exp.batch_size)
    shape = (len(exps), min(_CHUNK, exp.steps), exp.batch_size)
    buffers = (torch.empty(shape), torch.empty(shape))
    for c0 in range(0, exp.steps, _CHUNK):
        n = min(_CHUNK, exp.steps - c0)
        xs, ys = draw_batches(gens, exp, n, buffers)
        for j in range(n):
            step = c0 + j
            if backprops is not None:
                with torch.no_grad():
                    row = batch_losses[step]
                    for part, bp in backprops:
                        bp.gradients(xs[part, j], ys[part, j], loss=row[part])
            else:
                optimizer.zero_grad()
                # Mean over each model's batch, summed over models: each its own gradient.
                per_model = ((nets(xs[:, j]) - ys[:, j]) ** 2).mean(dim=1)
                per_model.sum().backward()
                batch_losses[step] = per_model.detach()
            if hook is not None:
                hook(step, nets)
            optimizer.step()
            if step + 1 == snap_steps[len(snaps)]:
                snaps.append(nets._snapshot())
    bad = ~torch.isfinite(batch_losses)
    if bool(bad.any()):
        s, k = (int(v) for v in bad.nonzero()[0])
        msg = (
            f"loss became {float(batch_losses[s, k])} at step {s} of {exp.steps} "
            f"with lr={exp.lr:g} for {exps[k]!r}; try a lower learning rate"
        )
        raise TrainingDivergedError(msg)
    seconds = (time.perf_counter() - start) / len(exps)
    weights, biases = nets._per_model([np.stack(t) for t in zip(*snaps, strict=True)])
    return [
        Run(
            experiment=e,
            steps=snap_steps,
            weights=weights[k],
            biases=biases[k],
            losses=_grid_losses(e, weights[k], biases[k]),
            batch_losses=batch_losses[:, k].numpy().astype(float),
            seconds=seconds,
        )
        for k, e in enumerate(exps)
    ]


def _grid_losses(
    exp: Experiment, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]
) -> np.ndarray:
    """The losses :meth:`Run.from_snapshots` measures, up to float64 rounding.

    The mean squared error on :func:`~relu_guide.core.training.evaluation_grid` at every
    snapshot, with the forward pass in float64 torch, features-major (the snapshots on the
    batch axis): several times faster than numpy for deep nets and the sigmoid.
    """
    grid = evaluation_grid(exp.domain)
    h = torch.from_numpy(grid).expand(len(weights[0]), 1, len(grid))
    last = len(weights) - 1
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        bias = torch.from_numpy(b).double()[:, :, None]
        h = torch.baddbmm(bias, torch.from_numpy(w).double(), h)
        act = exp.output_activation_fn if i == last else exp.activation_fn
        if act is not None:
            h = act.torch_fn(h)
    prediction = h[:, 0, :].numpy()
    losses: np.ndarray = np.mean((prediction - exp.target_fn(grid)) ** 2, axis=1)
    return losses


def _scales(weight_scale: float | Sequence[float], n: int) -> list[float]:
    values = [weight_scale] * n if isinstance(weight_scale, int | float) else list(weight_scale)
    if len(values) != n:
        msg = f"weight_scale must be one number or one per experiment, got {n} != {len(values)}"
        raise ValueError(msg)
    for v in values:
        if isinstance(v, bool) or not (isinstance(v, int | float) and np.isfinite(v) and v > 0):
            msg = f"weight_scale must be a positive finite number, got {v!r}"
            raise ValueError(msg)
    return [float(v) for v in values]


def train_many(
    experiments: Sequence[Experiment],
    *,
    exact: bool = False,
    weight_scale: float | Sequence[float] = 1.0,
    hook: StepHook | None = None,
) -> list[Run]:
    """Train many experiments in batched groups; one :class:`~relu_guide.Run` each, in order.

    Experiments that share the output activation, optimizer, learning rate, batch size, steps,
    frames, domain and target train together as one stack of models, whatever their seeds,
    hidden activations and (for one-hidden-layer nets) widths; deeper nets also share their
    hidden widths. Deterministic: the same list gives the same runs.

    Parameters
    ----------
    experiments : sequence of Experiment
    exact : bool, default False
        Train each experiment alone with :func:`relu_guide.train` (bit-identical to it, one
        Python loop per experiment); ``hook`` and ``weight_scale`` then cannot be used.
    weight_scale : float or sequence of float, default 1.0
        Multiplies every initial weight (not the biases), for all experiments or one value
        each. torch's default draws weights uniformly in ``±1/sqrt(fan_in)``; ``sqrt(6)``
        turns that into He (Kaiming) uniform initialisation, ``±sqrt(6/fan_in)``, made for
        ReLU nets. Runs keep every snapshot, the scaled initial state included.
    hook : callable, optional
        ``hook(step, nets)`` after every backward pass, before the optimizer step, with the
        group's :class:`StackedNets` or :class:`PackedShallowNets` (gradients filled in).

    Returns
    -------
    list of Run
        In the order of ``experiments``.

    Raises
    ------
    TrainingDivergedError
        If any model's loss becomes NaN or infinite, naming it.
    ValueError
        If ``experiments`` is empty or holds something else than experiments, or on a bad
        ``weight_scale``.

    Examples
    --------
    >>> from relu_guide import Experiment
    >>> runs = train_many([Experiment(hidden=(2,), steps=50, frames=5, seed=s) for s in range(3)])
    >>> len(runs), runs[0].n_frames
    (3, 6)
    """
    exps = check_experiments(experiments, Experiment)
    scales = _scales(weight_scale, len(exps))
    if exact:
        if hook is not None or any(v != 1.0 for v in scales):
            msg = "exact=True trains with relu_guide.train: no hook, no weight_scale"
            raise ValueError(msg)
        return [train(e) for e in exps]
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, e in enumerate(exps):
        groups.setdefault(_group_key(e), []).append(i)
    out: list[Run | None] = [None] * len(exps)
    with _one_thread():
        for members in groups.values():
            # Models with the same activation (and width) side by side: one block each.
            idx = sorted(members, key=lambda i: (exps[i].activation_fn.name, exps[i].hidden))
            group_runs = _train_group([exps[i] for i in idx], hook, [scales[i] for i in idx])
            for i, run in zip(idx, group_runs, strict=True):
                out[i] = run
    return [r for r in out if r is not None]


def sweep_final_losses(runs: Sequence[Run]) -> dict[tuple[int, ...], np.ndarray]:
    """Final losses grouped by hidden widths, seeds in the order given.

    Examples
    --------
    >>> from relu_guide import Experiment
    >>> runs = train_many([Experiment(hidden=(w,), steps=20, frames=1, seed=s)
    ...                    for w in (1, 2) for s in (0, 1)])
    >>> {k: v.shape for k, v in sweep_final_losses(runs).items()}
    {(1,): (2,), (2,): (2,)}
    """
    out: dict[tuple[int, ...], list[float]] = {}
    for run in runs:
        out.setdefault(run.experiment.hidden, []).append(float(run.losses[-1]))
    return {k: np.array(v) for k, v in out.items()}
