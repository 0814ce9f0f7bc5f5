"""Shared fixtures: small, fast runs of the seed's networks."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from relu_guide import Experiment, Run, train


@pytest.fixture(scope="session")
def twenty_run() -> Run:
    """The seed's twenty-neuron net, fully trained (1000 steps, ~0.2 s)."""
    return train(Experiment(hidden=(20,), steps=1000, frames=100, seed=0))


@pytest.fixture(scope="session")
def linear_run() -> Run:
    """The seed's single linear layer, fully trained."""
    return train(Experiment(hidden=(), steps=1000, frames=100, seed=0))
