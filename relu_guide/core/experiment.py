"""Experiment: a frozen, validated description of one training run.

The four networks of the seed are each one short expression:

>>> from relu_guide import Experiment
>>> Experiment(hidden=()).describe()                          # Linear(1,1)
'Linear(1, 1)'
>>> Experiment(hidden=(), output_activation="relu").describe()
'Linear(1, 1) → ReLU'
>>> Experiment(hidden=(2,)).describe()
'Linear(1, 2) → ReLU → Linear(2, 1)'
>>> Experiment(hidden=(20,)).describe()
'Linear(1, 20) → ReLU → Linear(20, 1)'
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from relu_guide.core.activations import Activation, get_activation
from relu_guide.core.checks import check_interval, check_training, check_widths
from relu_guide.core.names import OPTIMIZERS
from relu_guide.core.targets import Target, get_target

__all__ = ["OPTIMIZERS", "Experiment", "is_shallow_relu"]


@dataclass(frozen=True)
class Experiment:
    """One training run, validated on construction.

    Parameters
    ----------
    target : str, callable or Target, default "square"
        What to fit: a name (see :data:`relu_guide.core.targets.TARGET_NAMES`), a formula in ``x``,
        or a callable on numpy arrays.
    domain : (float, float), default (-5, 5)
        Interval the inputs are drawn from, uniformly.
    hidden : tuple of int, default (20,)
        Widths of the hidden layers; ``()`` means a single ``Linear(1, 1)``.
    activation : str or Activation, default "relu"
        Applied after every hidden layer.
    output_activation : str, Activation or None, default None
        Applied after the last layer (the seed's one-neuron net uses ``"relu"``).
    optimizer : {"sgd", "adam"}, default "sgd"
    lr : float, default 0.01
        Learning rate.
    batch_size : int, default 256
        Fresh uniform samples of the domain at every step, as in the seed.
    steps : int, default 1000
        Optimizer steps.
    frames : int, default 100
        Snapshots, evenly spaced over the steps; the initial state is kept too, so a run holds
        ``frames + 1`` states.
    seed : int, default 0
        Seeds both the initial weights and the batches.

    Raises
    ------
    ValueError
        On any invalid value, naming it.

    Examples
    --------
    >>> exp = Experiment(target="square", hidden=(20,), steps=1000, frames=100, seed=0)
    >>> exp.n_parameters
    61
    >>> Experiment(lr=-1)
    Traceback (most recent call last):
    ...
    ValueError: lr must be a positive finite number, got -1
    """

    target: str | Callable[[np.ndarray], np.ndarray] | Target = "square"
    domain: tuple[float, float] = (-5.0, 5.0)
    hidden: tuple[int, ...] = (20,)
    activation: str | Activation = "relu"
    output_activation: str | Activation | None = None
    optimizer: str = "sgd"
    lr: float = 0.01
    batch_size: int = 256
    steps: int = 1000
    frames: int = 100
    seed: int = 0
    target_fn: Target = field(init=False, repr=False, compare=False)
    activation_fn: Activation = field(init=False, repr=False, compare=False)
    output_activation_fn: Activation | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "target_fn", get_target(self.target))
        set_(self, "activation_fn", get_activation(self.activation))
        set_(
            self,
            "output_activation_fn",
            None if self.output_activation is None else get_activation(self.output_activation),
        )
        lo, hi = check_interval(self.domain)
        set_(self, "domain", (lo, hi))
        set_(self, "hidden", check_widths(self.hidden))
        for name, value in check_training(self).items():
            set_(self, name, value)
        self.target_fn(np.linspace(lo, hi, 5))  # fail now, not mid-training, on a bad target

    @property
    def widths(self) -> tuple[int, ...]:
        """Widths of every layer, input and output included: ``(1, *hidden, 1)``."""
        return (1, *self.hidden, 1)

    @property
    def n_parameters(self) -> int:
        """Number of trainable weights and biases."""
        w = self.widths
        return sum((a + 1) * b for a, b in itertools.pairwise(w))

    @property
    def snapshot_steps(self) -> np.ndarray:
        """Step index of every stored state, ``frames + 1`` of them from 0 to ``steps``.

        Examples
        --------
        >>> Experiment(steps=10, frames=4).snapshot_steps
        array([ 0,  2,  5,  8, 10])
        """
        return np.rint(np.linspace(0, self.steps, self.frames + 1)).astype(np.int64)

    def module_labels(self) -> list[str]:
        """Label of every module of the network, in order (the panels of the layer view)."""
        labels: list[str] = []
        w = self.widths
        for i, (a, b) in enumerate(itertools.pairwise(w)):
            labels.append(f"Linear({a}, {b})")
            last = i == len(w) - 2
            act = self.output_activation_fn if last else self.activation_fn
            if act is not None:
                labels.append(act.label)
        return labels

    def describe(self) -> str:
        """The network as one line, modules joined by arrows."""
        return " → ".join(self.module_labels())

    @property
    def n_frames(self) -> int:
        """Number of stored states of its run, and frames of its animation: ``frames + 1``."""
        return self.frames + 1

    def with_(self, **changes: Any) -> Experiment:
        """A copy with some fields changed (validated again).

        Examples
        --------
        >>> Experiment(hidden=(2,)).with_(seed=3).seed
        3
        """
        return replace(self, **changes)


def is_shallow_relu(experiment: Experiment) -> bool:
    """True for one hidden layer of (leaky) ReLU units and a linear output: the nets whose
    kinks and per-unit pieces :mod:`relu_guide.core.analysis` computes.

    Examples
    --------
    >>> is_shallow_relu(Experiment(hidden=(20,))), is_shallow_relu(Experiment(hidden=(2, 2)))
    (True, False)
    """
    return (
        len(experiment.hidden) == 1
        and experiment.activation_fn.name.startswith(("relu", "leaky_relu"))
        and experiment.output_activation_fn is None
    )
