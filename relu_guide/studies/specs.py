"""The guide's studies, named once: which function, with which parameters, cached on disk.

Each gallery example and guide page that shows a study runs it by its name here, e.g.
``WIDTH_SWEEP.run()``: the parameters exist in one place, and the result is computed once per
build (:mod:`relu_guide.studies.cache`). Tests run the same study smaller with
:meth:`Study.with_`.

Examples
--------
>>> from relu_guide.studies.specs import WIDTH_SWEEP
>>> WIDTH_SWEEP
Study('width sweep': width_sweep(widths=(1, 2, 4, 8, 16, 32, 64), seeds=20, steps=3000))
>>> WIDTH_SWEEP.with_(widths=(2, 4), seeds=2, steps=50).run().losses.shape
(2, 2)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from relu_guide.core.experiment import Experiment
from relu_guide.core.piecewise import best_relu_net
from relu_guide.core.reference import BEST_WIDTHS, TARGETS
from relu_guide.core.sawtooth import depth_table
from relu_guide.core.training import train
from relu_guide.studies.cache import cached
from relu_guide.studies.dead import VARIANTS, dead_relu_census, death_census
from relu_guide.studies.depth import shallow_comparison, trained_deep_runs
from relu_guide.studies.gradients import activation_fits, vanishing_gradient_study
from relu_guide.studies.initialisation import initial_kinks
from relu_guide.studies.widths import seed_runs, training_gap, width_sweep

__all__ = [
    "ACTIVATION_FITS",
    "BEST_NET_ERRORS",
    "DEAD_CENSUS",
    "DEATHS",
    "DEEP_RUNS",
    "DEPTH_TABLE",
    "GRADIENT_STUDY",
    "SHALLOW_COMPARISON",
    "STUDIES",
    "TARGET_FITS",
    "TRAINING_GAP",
    "TWENTY_SEEDS",
    "TWO_NEURON_KINKS",
    "WIDTH_SWEEP",
    "Study",
]


@dataclass(frozen=True)
class Study:
    """A study function and the keyword arguments the guide gives it.

    Parameters
    ----------
    name : str
        What the guide calls it.
    function : callable
        Computes the study's result (a frozen record, or a list of them).
    params : tuple of (str, value) pairs
        Its keyword arguments; :meth:`run` calls ``function(**dict(params))``.
    """

    name: str
    function: Callable[..., Any]
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, name: str, function: Callable[..., Any], **params: Any) -> Study:
        """A study named ``name``: ``function(**params)``."""
        return cls(name, function, tuple(params.items()))

    @property
    def kwargs(self) -> dict[str, Any]:
        """The keyword arguments, as a dict."""
        return dict(self.params)

    def with_(self, **changes: Any) -> Study:
        """The same study with some parameters changed (e.g. fewer steps, for a test)."""
        return Study.of(self.name, self.function, **{**self.kwargs, **changes})

    def run(self) -> Any:
        """The study's result, read from the cache if this build computed it already."""
        return cached(self.function)(**self.kwargs)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params)
        return f"Study({self.name!r}: {self.function.__name__}({args}))"


def _best_net_errors(targets: tuple[str, ...], widths: tuple[int, ...]) -> dict[str, Any]:
    """The error of the best net of each width found for each target: ``{target: {width:
    mse}}`` (:func:`relu_guide.core.piecewise.best_relu_net`; widths as strings, for JSON)."""
    return {t: {str(w): float(best_relu_net(t, w).mse) for w in widths} for t in targets}


def _target_fits(targets: tuple[str, ...], hidden: tuple[int, ...]) -> dict[str, Any]:
    """One net of widths ``hidden`` per target: ``{target: run}``."""
    return {t: train(Experiment(target=t, hidden=hidden)) for t in targets}


#: The playground's line of the best net, for the widths of the guide's nets, every target.
BEST_NET_ERRORS = Study.of(
    "best net errors", _best_net_errors, targets=tuple(TARGETS), widths=BEST_WIDTHS
)
#: One-hidden-layer ReLU nets of every width, twenty seeds each, against the best possible nets.
WIDTH_SWEEP = Study.of(
    "width sweep", width_sweep, widths=(1, 2, 4, 8, 16, 32, 64), seeds=20, steps=3000
)
#: The two-neuron net over 24 seeds, with ReLU and with leaky ReLU: how many end dead.
DEAD_CENSUS = Study.of(
    "dead census", dead_relu_census, activations=("relu", "leaky_relu"), seeds=24, steps=3000
)
#: Per-layer gradient norms of deep narrow nets, each activation at torch's default and at its
#: matched initialisation, 20 seeds each.
GRADIENT_STUDY = Study.of(
    "gradient study", vanishing_gradient_study, seeds=20, depth=8, width=12, steps=1000
)
#: The twenty-neuron net fitted with each activation, same seed, same batches.
ACTIVATION_FITS = Study.of(
    "activation fits", activation_fits, activations=("sigmoid", "tanh", "relu", "leaky_relu")
)
#: The exact sawtooth construction of every depth up to 8 (no training).
DEPTH_TABLE = Study.of("depth table", depth_table, max_depth=8)
#: Shallow nets with as many parameters as the sawtooth net of each depth, trained with Adam.
SHALLOW_COMPARISON = Study.of(
    "shallow comparison", shallow_comparison, depths=(1, 2, 3, 4, 5, 6, 7, 8), seeds=20
)
#: Nets shaped like the depth-4 sawtooth net, trained from scratch.
DEEP_RUNS = Study.of("trained deep runs", trained_deep_runs, depth=4, seeds=20)
#: The twenty-neuron net fitted to other targets: a kink, waves, a jump and a formula.
TARGET_FITS = Study.of(
    "other targets", _target_fits, targets=("abs", "sin", "step", "x**3/25 - x"), hidden=(20,)
)

#: When units die, over 200 seeds of the two-neuron net, for each variant of
#: :data:`relu_guide.studies.dead.VARIANTS` (ReLU, leaky ReLU, and four would-be remedies).
DEATHS: dict[str, Study] = {
    v: Study.of(f"deaths: {v}", death_census, variant=v, seeds=200) for v in VARIANTS
}
#: The twenty-neuron net with seeds 0-23: what chapter 4 sees in seed 0, checked over 24 seeds.
TWENTY_SEEDS = Study.of("twenty-neuron seeds", seed_runs, width=20, seeds=24)

#: Widths 8 and 64 over 20 seeds: SGD for twice the steps, and Adam at width 64.
TRAINING_GAP = Study.of("training gap", training_gap, widths=(8, 64), seeds=20)

#: Where torch's default initialisation puts the kinks of 2000 two-neuron nets (the twenty-unit
#: nets of the initialisation chapter: :data:`relu_guide.studies.chapter_specs.INITIAL_KINKS`).
TWO_NEURON_KINKS = Study.of("initial kinks, two neurons", initial_kinks, seeds=range(2000), width=2)

#: Every study of the guide, by name.
STUDIES: dict[str, Study] = {
    s.name: s
    for s in (
        WIDTH_SWEEP,
        DEAD_CENSUS,
        GRADIENT_STUDY,
        ACTIVATION_FITS,
        DEPTH_TABLE,
        SHALLOW_COMPARISON,
        DEEP_RUNS,
        TARGET_FITS,
        *DEATHS.values(),
        TWO_NEURON_KINKS,
        TWENTY_SEEDS,
        TRAINING_GAP,
        BEST_NET_ERRORS,
    )
}
