"""Shared fixtures: the original post's networks, trained once; no figure outlives its test;
the built site served on localhost and a headless Chromium for the browser checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from relu_guide import Run, train
from relu_guide.core.experiments import LINEAR, TWENTY_NEURONS

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The built site on localhost (``browser_harness.serve_site``): its base URL."""
    from browser_harness import serve_site

    with serve_site() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A headless Chromium, the system's or playwright's own (``browser_harness``)."""
    from browser_harness import launch_chromium

    with launch_chromium() as chromium:
        yield chromium
