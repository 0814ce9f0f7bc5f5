"""The dead-ReLU census: how one kind of net places its kinks, over many seeds.

Examples
--------
>>> from relu_guide.studies.dead import dead_relu_census
>>> (relu,) = dead_relu_census(("relu",), seeds=2, steps=10, frames=2)
>>> sum(relu.counts.values())
2
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from relu_guide.core.analysis import kinks
from relu_guide.core.experiment import Experiment
from relu_guide.core.training import Run
from relu_guide.studies.engine import train_many

__all__ = ["OUTCOMES", "Census", "dead_relu_census", "outcome"]


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
            raise ValueError(
                f"no snapshot at step {step}; snapshots: {', '.join(str(int(s)) for s in steps)}"
            )
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
