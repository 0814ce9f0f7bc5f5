"""Vanishing gradients, measured: the gradient norm of every layer of a deep narrow net.

:func:`gradient_norms` trains many nets at once (:func:`relu_guide.studies.engine.train_many`) and
records, at chosen steps, the Frobenius norm of the loss gradient with respect to every layer's
weight matrix, ``||dL/dW_i||``, for every model: at step 0 that is the gradient at
initialisation. :func:`vanishing_gradient_study` runs it for deep narrow nets with several
activations; :func:`activation_fits` trains the same shallow net on the same task with each
activation, for side-by-side fits.

Examples
--------
>>> from relu_guide.studies.gradients import deep_experiment, gradient_norms
>>> exp = deep_experiment("sigmoid", depth=4, width=6, steps=20)
>>> record = gradient_norms([exp], every=10)
>>> record.steps.tolist(), record.norms.shape  # (models, records, layers)
([0, 10, 19], (1, 3, 5))
>>> bool(record.norms[0, 0, 0] < record.norms[0, 0, -1])  # the first layer gets less
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from relu_guide.core.checks import check_count, check_experiments
from relu_guide.core.experiment import Experiment
from relu_guide.core.training import Run
from relu_guide.studies.engine import PackedShallowNets, StackedNets, train_many

__all__ = [
    "HE_SCALE",
    "LECUN_SCALE",
    "SIGMOID_SCALE",
    "GradientRecord",
    "GradientStudy",
    "activation_fits",
    "deep_experiment",
    "gradient_norms",
    "vanishing_gradient_study",
]

#: Weight scale turning torch's default initialisation into He (Kaiming) uniform, made for ReLU:
#: ``U(±sqrt(6/fan_in))``, variance ``2/fan_in``.
HE_SCALE = math.sqrt(6.0)
#: Weight scale turning it into LeCun uniform, ``U(±sqrt(3/fan_in))``, variance ``1/fan_in``:
#: for the square hidden layers also Glorot (Xavier) uniform, made for tanh.
LECUN_SCALE = math.sqrt(3.0)
#: The weight scale used for the sigmoid: four times the tanh scale, because the sigmoid's slope
#: at 0 is a quarter of tanh's.
SIGMOID_SCALE = 4 * math.sqrt(3.0)


def deep_experiment(
    activation: str,
    *,
    depth: int = 8,
    width: int = 12,
    steps: int = 1000,
    lr: float = 0.002,
    seed: int = 0,
    target: str = "square",
) -> Experiment:
    """A deep narrow net: ``depth`` hidden layers of ``width`` units, trained with SGD.

    Examples
    --------
    >>> deep_experiment("tanh", depth=3, width=4).describe()
    'Linear(1, 4) → tanh → Linear(4, 4) → tanh → Linear(4, 4) → tanh → Linear(4, 1)'
    """
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        msg = f"depth must be a positive integer, got {depth!r}"
        raise ValueError(msg)
    return Experiment(
        target=target,
        hidden=(width,) * depth,
        activation=activation,
        lr=lr,
        steps=steps,
        frames=min(20, steps),
        seed=seed,
    )


@dataclass(frozen=True)
class GradientRecord:
    """Per-layer gradient norms of many trained models.

    Attributes
    ----------
    steps : ndarray of int, shape (records,)
        Optimizer steps at which gradients were recorded (0: at initialisation).
    norms : ndarray, shape (models, records, layers)
        ``||dL/dW_i||`` (Frobenius) of each Linear layer's weights, input layer first, on that
        step's training batch.
    runs : list of Run
        The trained models, in the order given.
    """

    steps: np.ndarray
    norms: np.ndarray
    runs: list[Run]


def _layer_grad_norms(nets: object) -> np.ndarray:
    """Frobenius norm of every layer's weight gradient, per model: shape (models, layers)."""
    with torch.no_grad():
        if isinstance(nets, StackedNets):
            cols = [w.grad.norm(dim=(1, 2)) for w in nets.weights if w.grad is not None]
        elif isinstance(nets, PackedShallowNets):
            m = len(nets.experiments)
            cols = []
            for w in (nets.w1, nets.w2):
                assert w.grad is not None
                sq = torch.zeros(m).index_add(0, nets.owner, w.grad.double().square().float())
                cols.append(sq.sqrt())
        else:  # pragma: no cover - train_many only makes the two kinds
            msg = f"unknown kind of nets: {type(nets).__name__}"
            raise TypeError(msg)
        return torch.stack(cols, dim=1).numpy().astype(float)


def gradient_norms(
    experiments: Sequence[Experiment],
    *,
    every: int = 50,
    weight_scale: float | Sequence[float] = 1.0,
) -> GradientRecord:
    """Train the experiments together and record per-layer gradient norms along the way.

    Parameters
    ----------
    experiments : sequence of Experiment
        Trained as by :func:`relu_guide.studies.engine.train_many` (deep nets of one architecture:
        exactly as :func:`relu_guide.train` would).
    every : int, default 50
        Record at step 0, every ``every`` steps, and at the last step.
    weight_scale : float or sequence of float, default 1.0
        Passed to :func:`~relu_guide.studies.engine.train_many` (``HE_SCALE`` for He initialisation).

    Returns
    -------
    GradientRecord

    Examples
    --------
    >>> rec = gradient_norms([deep_experiment("relu", depth=2, width=3, steps=5)], every=2)
    >>> rec.steps.tolist()
    [0, 2, 4]
    """
    exps = check_experiments(experiments, Experiment)
    every = check_count(every, "every")
    shapes = {(e.hidden if len(e.hidden) != 1 else "one layer", e.steps) for e in exps}
    if len(shapes) > 1:
        msg = (
            "experiments must share their hidden widths (one-hidden-layer nets: their depth) "
            f"and steps, got {sorted(str(s) for s in shapes)}"
        )
        raise ValueError(msg)
    last = exps[0].steps - 1
    wanted = sorted({*range(0, last + 1, every), last})
    # Experiments with another activation train in another group: one record list per group.
    records: dict[int, list[np.ndarray]] = {}
    positions: dict[int, list[int]] = {}

    def hook(step: int, nets: object) -> None:
        if step in wanted:
            exp_ids = [id(e) for e in nets.experiments]  # type: ignore[attr-defined]
            key = exp_ids[0]
            records.setdefault(key, []).append(_layer_grad_norms(nets))
            positions[key] = exp_ids

    runs = train_many(exps, hook=hook, weight_scale=weight_scale)
    n_layers = len(exps[0].widths) - 1
    norms = np.empty((len(exps), len(wanted), n_layers))
    index: dict[int, list[int]] = {}
    for i, e in enumerate(exps):
        index.setdefault(id(e), []).append(i)
    for key, recs in records.items():
        stacked = np.stack(recs, axis=1)  # (models of the group, records, layers)
        for k, eid in enumerate(positions[key]):
            norms[index[eid]] = stacked[k]  # the same object twice: the same result twice
    return GradientRecord(np.array(wanted), norms, runs)


@dataclass(frozen=True)
class GradientStudy:
    """Gradient norms of one kind of deep net over several seeds.

    Attributes
    ----------
    label : str
        E.g. ``"sigmoid"`` or ``"ReLU, He init"``.
    activation : str
    weight_scale : float
    record : GradientRecord
    """

    label: str
    activation: str
    weight_scale: float
    record: GradientRecord

    @property
    def median_norms(self) -> np.ndarray:
        """Median over seeds of the per-layer norms: shape (records, layers)."""
        return np.asarray(np.median(self.record.norms, axis=0))

    @property
    def final_losses(self) -> np.ndarray:
        """Each seed's final mean squared error on the evaluation grid."""
        return np.array([run.losses[-1] for run in self.record.runs])

    @property
    def decades_lost(self) -> float:
        """``log10`` of last-layer over first-layer median norm at initialisation."""
        m = self.median_norms[0]
        return float(np.log10(m[-1] / m[0]))


#: The configurations of :func:`vanishing_gradient_study`: (label, activation, weight scale).
#: Each activation at torch's default initialisation and at the one made for it.
CONFIGS: tuple[tuple[str, str, float], ...] = (
    ("sigmoid", "sigmoid", 1.0),
    ("sigmoid, scaled", "sigmoid", SIGMOID_SCALE),
    ("tanh", "tanh", 1.0),
    ("tanh, LeCun", "tanh", LECUN_SCALE),
    ("ReLU", "relu", 1.0),
    ("ReLU, He init", "relu", HE_SCALE),
)


def vanishing_gradient_study(
    configs: Sequence[tuple[str, str, float]] = CONFIGS,
    *,
    seeds: int = 3,
    depth: int = 8,
    width: int = 12,
    steps: int = 1000,
    lr: float = 0.002,
    every: int = 25,
) -> list[GradientStudy]:
    """Per-layer gradient norms of deep narrow nets fitting x², one study per configuration.

    Examples
    --------
    >>> studies = vanishing_gradient_study([("sigmoid", "sigmoid", 1.0)], seeds=2, depth=6,
    ...                                    steps=10, every=5)
    >>> studies[0].median_norms.shape
    (3, 7)
    >>> bool(studies[0].decades_lost > 3)  # sigmoid: the first layer gets 1000x less
    True
    """
    configs = list(configs)
    exps = [
        deep_experiment(activation, depth=depth, width=width, steps=steps, lr=lr, seed=s)
        for _, activation, _ in configs
        for s in range(seeds)
    ]
    scales = [scale for *_, scale in configs for _ in range(seeds)]
    # All configurations train as one stack of models: one Python loop for all of them.
    record = gradient_norms(exps, every=every, weight_scale=scales)
    studies = []
    for i, (label, activation, scale) in enumerate(configs):
        part = slice(i * seeds, (i + 1) * seeds)
        sub = GradientRecord(record.steps, record.norms[part], record.runs[part])
        studies.append(GradientStudy(label, activation, scale, sub))
    return studies


def activation_fits(
    activations: Sequence[str] = ("sigmoid", "tanh", "relu", "leaky_relu"),
    *,
    hidden: tuple[int, ...] = (20,),
    steps: int = 1000,
    seed: int = 0,
    target: str = "square",
) -> list[Run]:
    """The same net trained on the same task (same seed, same batches) with each activation.

    Examples
    --------
    >>> runs = activation_fits(("tanh", "relu"), steps=100)
    >>> [run.experiment.activation_fn.label for run in runs]
    ['tanh', 'ReLU']
    """
    exps = [
        Experiment(
            target=target,
            hidden=hidden,
            activation=a,
            steps=steps,
            frames=min(100, steps),
            seed=seed,
        )
        for a in activations
    ]
    return train_many(exps)
