"""Shared fixtures: the original post's networks, trained once; no figure outlives its test."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

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


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Close every pyplot figure a test left open: the gallery scraper would scrape it."""
    yield
    plt.close("all")
