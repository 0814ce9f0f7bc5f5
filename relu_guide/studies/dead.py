"""The dead-ReLU census: how one kind of net places its kinks, over many seeds.

Examples
--------
>>> from relu_guide.studies.dead import dead_relu_census
>>> (relu,) = dead_relu_census(("relu",), seeds=2, steps=10, frames=2)
>>> sum(relu.counts.values())
2
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from relu_guide.core.analysis import kinks
from relu_guide.core.experiment import Experiment
from relu_guide.core.training import Run
from relu_guide.studies.engine import train_many

__all__ = [
    "OUTCOMES",
    "VARIANTS",
    "WARM_UP_STEPS",
    "Census",
    "Death",
    "DeathCensus",
    "dead_relu_census",
    "death_census",
    "outcome",
]


#: Outcomes of :func:`outcome`, best first.
OUTCOMES: tuple[str, ...] = ("both sides", "one side", "always on", "dead")


def outcome(run: Run, frame: int = -1) -> str:
    """How a one-hidden-layer (leaky) ReLU net placed its kinks, in one word or two.

    ``"dead"`` if some unit's kink left the domain on its inactive side (a ReLU unit is then
    zero on the whole domain; a leaky one keeps its small slope and its gradient), else
    ``"always on"`` if some unit's kink left on its active side (the unit is linear), else
    ``"one side"`` if all kinks lie on one side of the middle of the domain, else
    ``"both sides"``.

    Examples
    --------
    >>> from relu_guide import train
    >>> outcome(train(Experiment(hidden=(2,), steps=1000, frames=1, seed=2)))
    'both sides'
    """
    ks = kinks(run, frame)
    states = {k.state for k in ks}
    if "dead" in states:
        return "dead"
    if "always on" in states:
        return "always on"
    lo, hi = run.experiment.domain
    sides = {k.x > 0.5 * (lo + hi) for k in ks}
    return "both sides" if len(sides) == 2 else "one side"


@dataclass(frozen=True)
class Census:
    """Outcomes and final errors of one kind of net over many seeds.

    Attributes
    ----------
    label : str
    runs : list of Run
    outcomes : tuple of str
        :func:`outcome` of each run.
    losses : ndarray
        Final mean squared error of each run.
    """

    label: str
    runs: list[Run]
    outcomes: tuple[str, ...]
    losses: np.ndarray

    @property
    def counts(self) -> dict[str, int]:
        """How many runs ended in each of :data:`OUTCOMES`."""
        return {o: self.outcomes.count(o) for o in OUTCOMES}

    def fraction(self, *names: str) -> float:
        """Fraction of runs whose outcome is one of ``names``."""
        return sum(self.outcomes.count(n) for n in names) / len(self.outcomes)

    def at_step(self, step: int) -> Census:
        """The census at an earlier snapshot of the same runs, by training step.

        Raises
        ------
        ValueError
            If no snapshot was taken at that step.

        Examples
        --------
        >>> (relu,) = dead_relu_census(("relu",), seeds=2, steps=20, frames=4)
        >>> relu.at_step(10).losses.shape
        (2,)
        >>> relu.at_step(11)
        Traceback (most recent call last):
        ...
        ValueError: no snapshot at step 11; snapshots: 0, 5, 10, 15, 20
        """
        steps = self.runs[0].steps
        hits = np.flatnonzero(steps == step)
        if not len(hits):
            msg = f"no snapshot at step {step}; snapshots: {', '.join(str(int(s)) for s in steps)}"
            raise ValueError(msg)
        frame = int(hits[0])
        return Census(
            self.label,
            self.runs,
            tuple(outcome(r, frame) for r in self.runs),
            np.array([r.losses[frame] for r in self.runs]),
        )


def dead_relu_census(
    activations: Sequence[str] = ("relu", "leaky_relu"),
    *,
    seeds: int = 24,
    hidden: tuple[int, ...] = (2,),
    steps: int = 3000,
    frames: int = 150,
) -> list[Census]:
    """Train the same net over many seeds with each activation, and take the census.

    The default snapshots (every 20 steps) include step 1000, the guide's usual training
    length: :meth:`Census.at_step` gives the census there.

    Examples
    --------
    >>> relu, leaky = dead_relu_census(seeds=3, steps=100, frames=10)
    >>> relu.label, leaky.label, sum(relu.counts.values())
    ('ReLU', 'leaky ReLU', 3)
    """
    exps = [
        Experiment(hidden=hidden, activation=a, steps=steps, frames=min(frames, steps), seed=s)
        for a in activations
        for s in range(seeds)
    ]
    runs = train_many(exps)
    out = []
    for i in range(len(activations)):
        group = runs[i * seeds : (i + 1) * seeds]
        out.append(
            Census(
                label=group[0].experiment.activation_fn.label,
                runs=group,
                outcomes=tuple(outcome(r) for r in group),
                losses=np.array([r.losses[-1] for r in group]),
            )
        )
    return out


@dataclass(frozen=True)
class Death:
    """One unit that was alive at step 0 and dead at the end of training.

    Attributes
    ----------
    seed : int
    unit : int
    step : int
        The first snapshot step from which the unit stayed dead.
    start_weight : float
        Its output weight ``v_j`` (``w2``) at step 0.
    death_weight : float
        Its output weight at ``step``, the snapshot where it is first seen dead for good (a dead
        unit's weights get no gradient, so this is also its final value).
    """

    seed: int
    unit: int
    step: int
    start_weight: float
    death_weight: float


@dataclass(frozen=True)
class DeathCensus:
    """When and how the units of many runs died: dead at step 0 against dead at the end.

    Attributes
    ----------
    label : str
    seeds : tuple of int
    dead_at_start : tuple of bool
        Per run: some unit was dead at initialisation.
    dead_at_end : tuple of bool
        Per run: some unit was dead after the last step.
    deaths : tuple of Death
        Units alive at step 0 and dead at the end.
    final_losses : tuple of float
    """

    label: str
    seeds: tuple[int, ...]
    dead_at_start: tuple[bool, ...]
    dead_at_end: tuple[bool, ...]
    deaths: tuple[Death, ...]
    final_losses: tuple[float, ...]

    @property
    def n(self) -> int:
        """Number of runs."""
        return len(self.seeds)

    @property
    def n_dead_at_end(self) -> int:
        return sum(self.dead_at_end)

    @property
    def n_dead_at_start(self) -> int:
        return sum(self.dead_at_start)

    @property
    def n_died_in_training(self) -> int:
        """Runs dead at the end that had no dead unit at step 0."""
        return sum(e and not s for s, e in zip(self.dead_at_start, self.dead_at_end, strict=True))


def _warm_up(steps: int) -> Callable[[int, object], None]:
    """A hook that scales every gradient by ``(step + 1) / steps`` for the first ``steps``
    steps: for SGD, a learning rate that climbs linearly from ``lr / steps`` to ``lr``."""

    def hook(step: int, nets: object) -> None:
        if step < steps:
            with torch.no_grad():
                for p in nets.parameters:  # type: ignore[attr-defined]
                    if p.grad is not None:
                        p.grad.mul_((step + 1) / steps)

    return hook


def _kinks_inside(step: int, nets: object) -> None:
    """At step 0, move every kink to a uniform point of the domain (``b1 = -w1 * k``), keeping
    ``w1`` and ``w2``; that step then makes no update. Seeded by each experiment's seed."""
    if step != 0:
        return
    with torch.no_grad():
        spots = []
        for e in nets.experiments:  # type: ignore[attr-defined]
            gen = torch.Generator().manual_seed(e.seed + 7_777)
            lo, hi = e.domain
            spots.append(torch.rand(e.hidden[0], generator=gen) * (hi - lo) + lo)
        nets.b1.copy_(-nets.w1 * torch.cat(spots))  # type: ignore[attr-defined]
        for p in nets.parameters:  # type: ignore[attr-defined]
            p.grad.zero_()


def _positive_output_weights(step: int, nets: object) -> None:
    """At step 0, make every output weight positive (``w2 = |w2|``); that step makes no update."""
    if step != 0:
        return
    with torch.no_grad():
        nets.w2.abs_()  # type: ignore[attr-defined]
        for p in nets.parameters:  # type: ignore[attr-defined]
            p.grad.zero_()


#: The length of the learning-rate warm-up of the ``"warm_up"`` variant, in steps.
WARM_UP_STEPS = 100

#: The variants of :func:`death_census`: name -> (label, activation, lr factor, steps factor).
VARIANTS: dict[str, tuple[str, str, float, int]] = {
    "relu": ("ReLU", "relu", 1.0, 1),
    "leaky": ("leaky ReLU", "leaky_relu", 1.0, 1),
    "slow": ("ReLU, a quarter of the learning rate", "relu", 0.25, 1),
    "warm_up": (
        f"ReLU, learning rate warmed up over the first {WARM_UP_STEPS} steps",
        "relu",
        1.0,
        1,
    ),
    "inside": ("ReLU, every kink started inside the domain", "relu", 1.0, 1),
    "positive": ("ReLU, every output weight started positive", "relu", 1.0, 1),
}


def _dead_units(run: Run) -> np.ndarray:
    """Which units are dead at each snapshot, shape ``(frames, units)``, as :func:`kinks` says:
    the kink outside the domain (or no kink) and the unit off at the domain's middle."""
    lo, hi = run.experiment.domain
    w = run.weights[0][:, :, 0].astype(float)
    b = run.biases[0].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(w != 0, -b / w, np.nan)
    inside = (x > lo) & (x < hi)
    dead: np.ndarray = ~inside & (w * 0.5 * (lo + hi) + b <= 0)
    return dead


def death_census(
    variant: str = "relu",
    *,
    seeds: int = 200,
    width: int = 2,
    steps: int = 1000,
    lr: float = 0.01,
) -> DeathCensus:
    """Train ``seeds`` runs of one variant (see :data:`VARIANTS`) and record every death.

    Snapshots every ``steps / 100`` steps date the deaths. Variants: ``"relu"`` and ``"leaky"``
    (torch's default initialisation), ``"slow"`` (a quarter of the learning rate),
    ``"warm_up"`` (the learning rate climbs linearly over the first :data:`WARM_UP_STEPS`
    steps), ``"inside"`` (every kink moved to a uniform point of the domain at step 0),
    ``"positive"`` (every output weight made positive at step 0).

    Examples
    --------
    >>> c = death_census("relu", seeds=20, steps=100)
    >>> c.n, c.n_dead_at_end >= c.n_dead_at_start
    (20, True)
    >>> death_census("fast")
    Traceback (most recent call last):
    ...
    ValueError: variant must be one of relu, leaky, slow, warm_up, inside, positive, got 'fast'
    """
    if variant not in VARIANTS:
        msg = f"variant must be one of {', '.join(VARIANTS)}, got {variant!r}"
        raise ValueError(msg)
    label, activation, lr_factor, steps_factor = VARIANTS[variant]
    n_steps = steps * steps_factor
    exps = [
        Experiment(
            hidden=(width,),
            activation=activation,
            lr=lr * lr_factor,
            steps=n_steps,
            frames=min(100, n_steps),
            seed=s,
        )
        for s in range(seeds)
    ]
    hook = {
        "warm_up": _warm_up(WARM_UP_STEPS),
        "inside": _kinks_inside,
        "positive": _positive_output_weights,
    }
    runs = train_many(exps, hook=hook.get(variant))
    starts, ends, deaths = [], [], []
    for run in runs:
        states = _dead_units(run)  # (frames, units)
        dead0 = np.zeros_like(states[0]) if variant == "inside" else states[0]
        w2 = run.weights[1][:, 0].astype(float)  # (frames, units)
        w2_start = w2[0]
        if variant == "positive":
            w2_start = np.abs(w2_start)
        starts.append(bool(dead0.any()))
        ends.append(bool(states[-1].any()))
        for u in np.flatnonzero(states[-1] & ~dead0):
            alive = np.flatnonzero(~states[:, u])
            f = int(alive[-1]) + 1 if len(alive) else 0
            deaths.append(
                Death(
                    run.experiment.seed,
                    int(u),
                    int(run.steps[f]),
                    float(w2_start[u]),
                    float(w2[f, u]),
                )
            )
    return DeathCensus(
        label,
        tuple(range(seeds)),
        tuple(starts),
        tuple(ends),
        tuple(deaths),
        tuple(float(r.losses[-1]) for r in runs),
    )
