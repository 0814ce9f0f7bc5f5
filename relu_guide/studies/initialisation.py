"""Where training starts: symmetric starts, where kinks land at initialisation, and how the
signal spreads forward and backward through depth under three initialisations.

Three studies, one job each:

- :func:`symmetric_runs` trains one-hidden-layer nets whose hidden units all start identical
  (then nudged by a perturbation of a given size), many at once, on the batches
  :func:`relu_guide.train` would use. Identical units get identical gradients, so with no
  perturbation they stay identical for ever (in float32 too when the width is a multiple of 8;
  at other widths the vectorised sums round differently for some units, a perturbation of
  about ``1e-7`` of their own).
- :func:`initial_kinks` reads the kinks ``-b/w`` of the first layer of the guide's nets at
  initialisation (torch's default: ``w`` and ``b`` uniform on ``±1`` for one input) over many
  seeds. The ratio of two independent uniforms on ``[-1, 1]`` has density ``1/4`` on
  ``[-1, 1]`` and ``1 / (4 k^2)`` beyond, so ``P(|k| > t) = 1 / (2 t)`` for ``t >= 1``
  (:func:`kink_tail`): a tenth of the kinks fall outside ``[-5, 5]``, and half of those units
  (the ones facing away from the domain) are dead from the start.
- :func:`depth_spread` measures, layer by layer at initialisation, the spread of each layer's
  output over the inputs (forward) and the norm of the loss gradient of each layer's weights
  (backward) for deep nets with default, Glorot and He initialisation and tanh or ReLU.

Examples
--------
>>> from relu_guide.studies.initialisation import kink_tail, symmetric_runs
>>> kink_tail(5.0)
0.1
>>> runs = symmetric_runs(width=4, seeds=range(2), perturbations=(0.0,), steps=30, frames=3)
>>> w = runs[0.0][0].weights[0][-1, :, 0]
>>> bool((w == w[0]).all())  # still identical after training
True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from relu_guide.core.experiment import Experiment
from relu_guide.core.training import Run, build_model

__all__ = [
    "INITS",
    "DepthSpread",
    "InitialKinks",
    "depth_spread",
    "initial_kinks",
    "kink_spread",
    "kink_tail",
    "random_starts",
    "symmetric_runs",
]

#: Initialisations of :func:`depth_spread`: the bound of the uniform weights and whether biases
#: are drawn (torch's default) or zero.
INITS: dict[str, str] = {
    "default": "torch's default: w, b ~ U(±1/sqrt(fan_in))",
    "glorot": "Glorot (Xavier) uniform: w ~ U(±sqrt(6/(fan_in + fan_out))), b = 0",
    "he": "He (Kaiming) uniform: w ~ U(±sqrt(6/fan_in)), b = 0",
}


def kink_tail(t: float) -> float:
    """``P(|k| > t)`` for ``k = -b/w`` with ``w, b`` independent and uniform on ``[-a, a]``.

    ``|k| <= t`` means ``|b| <= t |w|``: the area of that part of the unit square of
    ``(|w|, |b|)`` is ``t/2`` for ``t <= 1`` and ``1 - 1/(2t)`` beyond.

    Examples
    --------
    >>> kink_tail(0.5), kink_tail(1.0), kink_tail(10.0)
    (0.75, 0.5, 0.05)
    """
    t = float(t)
    if not (t >= 0):
        msg = f"t must be a non-negative number, got {t!r}"
        raise ValueError(msg)
    return 1.0 - t / 2.0 if t <= 1.0 else 1.0 / (2.0 * t)


def kink_density(k: np.ndarray) -> np.ndarray:
    """Density of ``-b/w`` for independent uniforms: ``1/4`` on ``[-1, 1]``, ``1/(4k^2)`` beyond."""
    k = np.abs(np.asarray(k, dtype=float))
    return np.where(k <= 1.0, 0.25, 0.25 / np.maximum(k, 1.0) ** 2)


# Symmetric starts --------------------------------------------------------------------------


def _symmetric_start(exp: Experiment, eps: float) -> list[torch.Tensor]:
    """Every hidden unit a copy of unit 0 of the seeded default init, plus ``eps`` noise."""
    lin = [m for m in build_model(exp) if isinstance(m, torch.nn.Linear)]
    n = exp.hidden[0]
    w1 = lin[0].weight.detach()[0, 0].repeat(n)
    b1 = lin[0].bias.detach()[0].repeat(n)
    w2 = lin[1].weight.detach()[0, 0].repeat(n)
    b2 = lin[1].bias.detach().clone()
    if eps > 0:
        gen = torch.Generator().manual_seed(exp.seed + 7_000_001)
        w1, b1, w2 = (t + eps * torch.randn(n, generator=gen) for t in (w1, b1, w2))
    return [w1, b1, w2, b2]


def _train_from(exps: list[Experiment], starts: list[list[torch.Tensor]]) -> list[Run]:
    """SGD from given starts: ``M`` one-hidden-layer nets stacked, each its own batches."""
    exp = exps[0]
    w1, b1, w2, b2 = (torch.stack([s[i] for s in starts]).requires_grad_() for i in range(4))
    params = [w1, b1, w2, b2]
    gens = [torch.Generator().manual_seed(e.seed + 1_000_003) for e in exps]
    lo, hi = exp.domain
    snaps = exp.snapshot_steps
    states = [[p.detach().numpy().copy() for p in params]]
    batch_losses = np.empty((exp.steps, len(exps)))
    k = 1
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for c0 in range(0, exp.steps, 250):
            n = min(250, exp.steps - c0)
            xs = torch.stack([torch.rand((n, exp.batch_size), generator=g) for g in gens], dim=1)
            xs = xs.mul_(hi - lo).add_(lo)
            ys = torch.from_numpy(exp.target_fn(xs.numpy().astype(float)).astype(np.float32))
            for j in range(n):
                for p in params:
                    p.grad = None
                x = xs[j]
                h = torch.relu(x[:, :, None] * w1[:, None, :] + b1[:, None, :])
                y = (h * w2[:, None, :]).sum(-1) + b2
                per_model = ((y - ys[j]) ** 2).mean(dim=1)
                per_model.sum().backward()
                with torch.no_grad():
                    for p in params:
                        p.add_(p.grad, alpha=-exp.lr)  # type: ignore[arg-type]
                batch_losses[c0 + j] = per_model.detach().numpy()
                if c0 + j + 1 == snaps[k]:
                    states.append([p.detach().numpy().copy() for p in params])
                    k += 1
    finally:
        torch.set_num_threads(before)
    runs = []
    for m, e in enumerate(exps):
        s = [[st[i][m] for st in states] for i in range(4)]
        weights = [np.stack(s[0])[:, :, None], np.stack(s[2])[:, None, :]]
        biases = [np.stack(s[1]), np.stack(s[3])]
        runs.append(Run.from_snapshots(e, weights, biases, batch_losses[:, m].copy()))
    return runs


def symmetric_runs(
    width: int = 8,
    seeds: Iterable[int] = range(20),
    perturbations: Sequence[float] = (0.0, 1e-6, 1e-3),
    *,
    steps: int = 1000,
    frames: int = 50,
    target: str = "square",
    lr: float = 0.01,
) -> dict[float, list[Run]]:
    """Nets whose units start identical (plus noise of each size), trained with plain SGD.

    Returns
    -------
    dict
        ``{perturbation: [Run per seed]}``.
    """
    seed_list = [int(s) for s in seeds]
    out: dict[float, list[Run]] = {}
    for eps in perturbations:
        if not (math.isfinite(eps) and eps >= 0):
            msg = f"perturbations must be finite and >= 0, got {eps!r}"
            raise ValueError(msg)
        exps = [
            Experiment(target=target, hidden=(width,), steps=steps, frames=frames, lr=lr, seed=s)
            for s in seed_list
        ]
        out[float(eps)] = _train_from(exps, [_symmetric_start(e, float(eps)) for e in exps])
    return out


def random_starts(
    width: int = 8,
    seeds: Iterable[int] = range(20),
    *,
    steps: int = 1000,
    frames: int = 50,
    target: str = "square",
    lr: float = 0.01,
) -> list[Run]:
    """The nets of :func:`symmetric_runs` from torch's random start instead, batched."""
    from relu_guide.studies.engine import train_many

    return train_many(
        [
            Experiment(
                target=target, hidden=(width,), steps=steps, frames=frames, lr=lr, seed=int(s)
            )
            for s in seeds
        ]
    )


def kink_spread(run: Run) -> np.ndarray:
    """At every frame, the largest distance between two units' kinks ``-b/w``.

    Examples
    --------
    >>> runs = symmetric_runs(width=3, seeds=[0], perturbations=(0.0,), steps=10, frames=2)
    >>> kink_spread(runs[0.0][0]).tolist()
    [0.0, 0.0, 0.0]
    """
    w = run.weights[0][:, :, 0].astype(float)
    b = run.biases[0].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = -b / w
    return np.asarray(np.max(k, axis=1) - np.min(k, axis=1))


# Kinks at initialisation -------------------------------------------------------------------


@dataclass(frozen=True)
class InitialKinks:
    """The first layer's kinks of the guide's nets at initialisation, over many seeds.

    Attributes
    ----------
    kinks : ndarray, shape (seeds, width)
    dead : ndarray of bool, shape (seeds, width)
        Zero on the whole domain from the start (the kink outside, facing away).
    domain : (float, float)
    seeds : tuple of int
    """

    kinks: np.ndarray
    dead: np.ndarray
    domain: tuple[float, float]
    seeds: tuple[int, ...]

    @property
    def outside(self) -> float:
        """Fraction of all kinks outside the domain."""
        return self.fraction_outside()

    def fraction_outside(self, seeds: Iterable[int] | None = None) -> float:
        """Fraction of the kinks outside the domain, over all seeds or the given ones.

        Examples
        --------
        >>> ik = initial_kinks(range(4), width=2)
        >>> ik.fraction_outside(), ik.fraction_outside(range(2))
        (0.125, 0.25)
        """
        rows = self.kinks if seeds is None else self.kinks[[self.seeds.index(s) for s in seeds]]
        lo, hi = self.domain
        return float(np.mean((rows <= lo) | (rows >= hi)))


def initial_kinks(seeds: Iterable[int] = range(2000), width: int = 20) -> InitialKinks:
    """Kinks ``-b1/w1`` and dead units of ``Experiment(hidden=(width,), seed=s)`` at step 0.

    Examples
    --------
    >>> ik = initial_kinks(range(3), width=4)
    >>> ik.kinks.shape, ik.dead.dtype
    ((3, 4), dtype('bool'))
    """
    seed_list = tuple(int(s) for s in seeds)
    ks, dead = [], []
    exp = Experiment(hidden=(width,), steps=1, frames=1)
    lo, hi = exp.domain
    for s in seed_list:
        # The first draws of build_model's generator: the first layer's weight, then its bias.
        gen = torch.Generator().manual_seed(s)
        w = torch.empty(width, 1).uniform_(-1.0, 1.0, generator=gen).numpy()[:, 0].astype(float)
        b = torch.empty(width).uniform_(-1.0, 1.0, generator=gen).numpy().astype(float)
        ks.append(-b / w)
        dead.append(np.maximum(w * lo + b, w * hi + b) <= 0)
    return InitialKinks(np.array(ks), np.array(dead), (lo, hi), seed_list)


# Depth -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepthSpread:
    """Forward and backward spread, layer by layer, at initialisation.

    Attributes
    ----------
    labels : tuple of (init, activation)
    forward : ndarray, shape (configs, seeds, depth)
        For each hidden layer, the root mean square over its units of each unit's standard
        deviation over the batch of inputs: how much the layer's output still depends on x.
    backward : ndarray, shape (configs, seeds, depth + 1)
        ``||dL/dW_i||`` for every weight matrix, first to last.
    depth, width : int
    seeds : tuple of int
    """

    labels: tuple[tuple[str, str], ...]
    forward: np.ndarray
    backward: np.ndarray
    depth: int
    width: int
    seeds: tuple[int, ...]

    def median(self, which: str, init: str, activation: str) -> np.ndarray:
        """Median over seeds of ``forward`` or ``backward`` for one configuration."""
        i = self.labels.index((init, activation))
        return np.asarray(np.median(getattr(self, which)[i], axis=0))


def _bound(init: str, fan_in: int, fan_out: int) -> float:
    if init == "default":
        return 1.0 / math.sqrt(fan_in)
    if init == "glorot":
        return math.sqrt(6.0 / (fan_in + fan_out))
    if init == "he":
        return math.sqrt(6.0 / fan_in)
    msg = f"unknown initialisation {init!r}; choose one of: {', '.join(INITS)}"
    raise ValueError(msg)


def depth_spread(
    inits: Sequence[str] = ("default", "glorot", "he"),
    activations: Sequence[str] = ("tanh", "relu"),
    *,
    depth: int = 20,
    width: int = 64,
    seeds: Iterable[int] = range(20),
    batch_size: int = 512,
) -> DepthSpread:
    """One forward and backward pass at initialisation, all seeds of a configuration at once.

    For one seed, every initialisation scales the *same* uniform draws (``U(-1, 1)`` times its
    bound), so the configurations differ only in their scale and biases. Inputs are uniform on
    ``[-5, 5]``, the loss is the mean squared error against ``x^2``.

    Examples
    --------
    >>> s = depth_spread(depth=3, width=8, seeds=range(2))
    >>> s.forward.shape, s.backward.shape
    ((6, 2, 3), (6, 2, 4))
    """
    seed_list = tuple(int(s) for s in seeds)
    acts = {"tanh": torch.tanh, "relu": torch.relu}
    widths = [1, *[width] * depth, 1]
    x = torch.linspace(-5, 5, batch_size)
    y = x**2
    labels, forward, backward = [], [], []
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for init in inits:
            for act in activations:
                if act not in acts:
                    msg = f"unknown activation {act!r}; choose one of: tanh, relu"
                    raise ValueError(msg)
                ws, bs = [], []
                for a, b in itertools.pairwise(widths):
                    draws = []
                    for s in seed_list:
                        gen = torch.Generator().manual_seed(s * 1009 + a * 31 + b)
                        draws.append(torch.rand((b, a + 1), generator=gen) * 2 - 1)
                    u = torch.stack(draws)
                    bound = _bound(init, a, b)
                    ws.append((u[:, :, :a] * bound).requires_grad_())
                    bias = (
                        u[:, :, a] / math.sqrt(a)
                        if init == "default"
                        else torch.zeros(len(seed_list), b)
                    )
                    bs.append(bias)
                h = x.expand(len(seed_list), batch_size)[:, :, None]
                spreads = []
                for i, (w, bias) in enumerate(zip(ws, bs, strict=True)):
                    h = torch.baddbmm(bias[:, None, :], h, w.transpose(1, 2))
                    if i < len(ws) - 1:
                        h = acts[act](h)
                        spreads.append(h.detach().std(dim=1).pow(2).mean(dim=1).sqrt())
                loss = ((h[..., 0] - y) ** 2).mean(dim=1).sum()
                loss.backward()
                labels.append((init, act))
                forward.append(torch.stack(spreads, dim=1).numpy())
                grads = [w.grad for w in ws]
                backward.append(
                    torch.stack(
                        [g.flatten(1).norm(dim=1) for g in grads if g is not None], 1
                    ).numpy()
                )
    finally:
        torch.set_num_threads(before)
    return DepthSpread(
        tuple(labels), np.array(forward), np.array(backward), depth, width, seed_list
    )
