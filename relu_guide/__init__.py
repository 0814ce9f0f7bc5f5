"""relu_guide: the figures and training animations of the illustrated guide to ReLUs.

Data flows one way: ``Experiment -> train -> Run -> figures / animation``.

>>> from relu_guide import Experiment, train
>>> run = train(Experiment(target="square", hidden=(20,), steps=100, frames=10, seed=0))
>>> run.losses.shape
(11,)

The names below are imported on first use, so that importing the package (as the
``relu-guide`` command does) pulls in neither torch nor matplotlib until they are needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from relu_guide.core.activations import ACTIVATION_NAMES, Activation, get_activation
    from relu_guide.core.experiment import Experiment
    from relu_guide.core.targets import TARGET_NAMES, Target, get_target
    from relu_guide.core.training import Run, TrainingDivergedError, train
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

#: Where each public name lives.
_HOMES: dict[str, str] = {
    "ACTIVATION_NAMES": "relu_guide.core.activations",
    "Activation": "relu_guide.core.activations",
    "get_activation": "relu_guide.core.activations",
    "Experiment": "relu_guide.core.experiment",
    "TARGET_NAMES": "relu_guide.core.targets",
    "Target": "relu_guide.core.targets",
    "get_target": "relu_guide.core.targets",
    "Run": "relu_guide.core.training",
    "TrainingDivergedError": "relu_guide.core.training",
    "train": "relu_guide.core.training",
    "Animation": "relu_guide.drawing.animation",
    "animate": "relu_guide.drawing.animation",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        msg = f"module 'relu_guide' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
