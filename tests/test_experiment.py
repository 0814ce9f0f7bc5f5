"""Experiment: validation with messages that name the bad value, and the seed's four nets."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from relu_guide import Experiment


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"target": "squre"}, "'squre'"),
        ({"activation": "swish"}, "'swish'"),
        ({"output_activation": "soft"}, "'soft'"),
        ({"hidden": (20, 0)}, "0"),
        ({"hidden": (-3,)}, "-3"),
        ({"hidden": (2.5,)}, "2.5"),
        ({"lr": 0}, "lr"),
        ({"lr": -0.1}, "-0.1"),
        ({"lr": float("nan")}, "nan"),
        ({"steps": 10, "frames": 20}, "frames=20 > steps=10"),
        ({"frames": 0}, "frames"),
        ({"batch_size": 0}, "batch_size"),
        ({"optimizer": "rmsprop"}, "'rmsprop'"),
        ({"domain": (1, -1)}, "(1, -1)"),
        ({"domain": (0, float("inf"))}, "inf"),
        ({"seed": -1}, "-1"),
        ({"target": "log(x)"}, "log(x)"),
    ],
)
def test_invalid_values_are_named(kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        Experiment(**kwargs)


def test_seed_networks_are_one_short_expression_each() -> None:
    assert Experiment(hidden=()).module_labels() == ["Linear(1, 1)"]
    assert Experiment(hidden=(), output_activation="relu").module_labels() == [
        "Linear(1, 1)",
        "ReLU",
    ]
    assert Experiment(hidden=(2,)).module_labels() == ["Linear(1, 2)", "ReLU", "Linear(2, 1)"]
    assert Experiment(hidden=(20,)).n_parameters == 20 * 2 + 21


def test_frozen_and_hashable() -> None:
    exp = Experiment(hidden=5)  # type: ignore[arg-type]  # an int is one layer's width
    assert exp.hidden == (5,)
    with pytest.raises(AttributeError):
        exp.lr = 1.0  # type: ignore[misc]
    assert hash(exp) == hash(Experiment(hidden=(5,)))
    assert exp.with_(seed=2) != exp


def test_snapshots_are_evenly_spaced_and_include_both_ends() -> None:
    steps = Experiment(steps=1000, frames=100).snapshot_steps
    assert steps[0] == 0
    assert steps[-1] == 1000
    assert len(steps) == 101
    assert set(np.diff(steps)) == {10}
    odd = Experiment(steps=7, frames=7).snapshot_steps
    assert list(odd) == list(range(8))


def test_callable_target_is_accepted_and_checked() -> None:
    exp = Experiment(target=np.cos)
    assert exp.target_fn.name == "cos"
    with pytest.raises(ValueError, match="not finite"):
        Experiment(target=lambda x: np.full_like(x, np.inf))
