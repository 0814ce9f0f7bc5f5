"""relu_guide: the figures and training animations of the illustrated guide to ReLUs.

Data flows one way: ``Experiment -> train -> Run -> figures / animation``.

>>> from relu_guide import Experiment, train
>>> run = train(Experiment(target="square", hidden=(20,), steps=100, frames=10, seed=0))
>>> run.losses.shape
(11,)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from relu_guide.core.activations import ACTIVATION_NAMES, Activation, get_activation
from relu_guide.core.experiment import Experiment
from relu_guide.core.targets import TARGET_NAMES, Target, get_target
from relu_guide.core.training import Run, TrainingDivergedError, train

if TYPE_CHECKING:
    from relu_guide.drawing.animation import Animation, animate

__all__ = [
    "ACTIVATION_NAMES",
    "TARGET_NAMES",
    "Activation",
    "Animation",
    "Experiment",
    "Run",
    "Target",
    "TrainingDivergedError",
    "animate",
    "get_activation",
    "get_target",
    "train",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The animation module pulls in matplotlib; import it only when asked for.
    if name in {"animate", "Animation"}:
        from relu_guide.drawing import animation

        return getattr(animation, name)
    raise AttributeError(f"module 'relu_guide' has no attribute {name!r}")
