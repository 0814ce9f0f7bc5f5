"""Shared fixtures: small, fast runs of the seed's networks."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from relu_guide import Run, train
from relu_guide.core.experiments import LINEAR, TWENTY_NEURONS


@pytest.fixture(scope="session")
def twenty_run() -> Run:
    """The seed's twenty-neuron net, fully trained (1000 steps, ~0.2 s)."""
    return train(TWENTY_NEURONS)


@pytest.fixture(scope="session")
def linear_run() -> Run:
    """The seed's single linear layer, fully trained."""
    return train(LINEAR)
