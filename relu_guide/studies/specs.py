"""The guide's studies, named once: which function, with which parameters, cached on disk.

Each gallery example and guide page that shows a study runs it by its name here, e.g.
``WIDTH_SWEEP.run()``: the parameters exist in one place, and the result is computed once per
build (:mod:`relu_guide.studies.cache`). Tests run the same study smaller with
:meth:`Study.with_`.

Examples
--------
>>> from relu_guide.studies.specs import WIDTH_SWEEP
>>> WIDTH_SWEEP
Study('width sweep': width_sweep(widths=(1, 2, 4, 8, 16, 32, 64), seeds=5, steps=3000))
>>> WIDTH_SWEEP.with_(widths=(2, 4), seeds=2, steps=50).run().losses.shape
(2, 2)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from relu_guide.core.experiment import Experiment
from relu_guide.core.sawtooth import depth_table
from relu_guide.core.training import train
from relu_guide.studies.cache import cached
from relu_guide.studies.dead import dead_relu_census
from relu_guide.studies.depth import shallow_comparison, trained_deep_runs
from relu_guide.studies.gradients import activation_fits, vanishing_gradient_study
from relu_guide.studies.widths import width_sweep

__all__ = [
    "ACTIVATION_FITS",
    "DEAD_CENSUS",
    "DEEP_RUNS",
    "DEPTH_TABLE",
    "GRADIENT_STUDY",
    "SHALLOW_COMPARISON",
    "STUDIES",
    "TARGET_FITS",
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


def _target_fits(targets: tuple[str, ...], hidden: tuple[int, ...]) -> dict[str, Any]:
    """One net of widths ``hidden`` per target: ``{target: run}``."""
    return {t: train(Experiment(target=t, hidden=hidden)) for t in targets}


#: One-hidden-layer ReLU nets of every width, five seeds each, against the best possible nets.
WIDTH_SWEEP = Study.of(
    "width sweep", width_sweep, widths=(1, 2, 4, 8, 16, 32, 64), seeds=5, steps=3000
)
#: The two-neuron net over 24 seeds, with ReLU and with leaky ReLU: how many end dead.
DEAD_CENSUS = Study.of(
    "dead census", dead_relu_census, activations=("relu", "leaky_relu"), seeds=24, steps=3000
)
#: Per-layer gradient norms of deep narrow nets, for each activation (and He initialisation).
GRADIENT_STUDY = Study.of(
    "gradient study", vanishing_gradient_study, seeds=3, depth=8, width=12, steps=1000
)
#: The twenty-neuron net fitted with each activation, same seed, same batches.
ACTIVATION_FITS = Study.of(
    "activation fits", activation_fits, activations=("sigmoid", "tanh", "relu", "leaky_relu")
)
#: The exact sawtooth construction of every depth up to 8 (no training).
DEPTH_TABLE = Study.of("depth table", depth_table, max_depth=8)
#: Shallow nets with as many parameters as the sawtooth net of each depth, trained with Adam.
SHALLOW_COMPARISON = Study.of(
    "shallow comparison", shallow_comparison, depths=(1, 2, 3, 4, 5, 6, 7, 8), seeds=3
)
#: Nets shaped like the depth-4 sawtooth net, trained from scratch.
DEEP_RUNS = Study.of("trained deep runs", trained_deep_runs, depth=4, seeds=5)
#: The twenty-neuron net fitted to other targets: a kink, waves, a jump and a formula.
TARGET_FITS = Study.of(
    "other targets", _target_fits, targets=("abs", "sin", "step", "x**3/25 - x"), hidden=(20,)
)

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
    )
}
