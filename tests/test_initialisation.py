"""Initialisation studies: symmetric starts stay symmetric, kinks as build_model draws them,
the derived kink law, and the depth spread against autograd on nn.Sequential."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch

from relu_guide import Experiment, train
from relu_guide.core.training import build_model
from relu_guide.studies.initialisation import (
    _bound,
    _symmetric_start,
    _train_from,
    depth_spread,
    initial_kinks,
    kink_density,
    kink_spread,
    kink_tail,
    symmetric_runs,
)


def test_identical_units_stay_bit_identical() -> None:
    """At width 8 the vectorised sums treat every unit alike: no rounding difference either."""
    runs = symmetric_runs(width=8, seeds=range(3), perturbations=(0.0, 1e-3), steps=200, frames=4)
    for run in runs[0.0]:
        for p in (run.weights[0], run.biases[0], run.weights[1][:, 0, :]):
            flat = p.reshape(p.shape[0], -1)
            assert (flat == flat[:, :1]).all()
        assert (kink_spread(run) == 0).all()
    assert all(kink_spread(r)[-1] > 0 for r in runs[1e-3])


def test_identical_units_differ_at_most_by_rounding() -> None:
    runs = symmetric_runs(width=5, seeds=range(2), perturbations=(0.0,), steps=100, frames=2)
    for run in runs[0.0]:
        w = run.weights[0][:, :, 0]
        assert np.allclose(w, w[:, :1], rtol=1e-5, atol=1e-6)


def test_training_from_the_default_start_matches_train() -> None:
    """The trainer of symmetric_runs, started from build_model's own weights, is train()."""
    exp = Experiment(hidden=(6,), steps=100, frames=4, seed=3)
    lin = [m for m in build_model(exp) if isinstance(m, torch.nn.Linear)]
    start = [
        lin[0].weight.detach()[:, 0].clone(),
        lin[0].bias.detach().clone(),
        lin[1].weight.detach()[0].clone(),
        lin[1].bias.detach().clone(),
    ]
    (mine,) = _train_from([exp], [start])
    ref = train(exp)
    for a, b in zip(mine.weights + mine.biases, ref.weights + ref.biases, strict=True):
        assert np.allclose(a, b, atol=1e-5)


def test_symmetric_start_copies_unit_zero() -> None:
    exp = Experiment(hidden=(4,), seed=2)
    w1, b1, w2, _ = _symmetric_start(exp, 0.0)
    lin = [m for m in build_model(exp) if isinstance(m, torch.nn.Linear)]
    assert torch.equal(w1, lin[0].weight.detach()[0, 0].repeat(4))
    assert torch.equal(w2, lin[1].weight.detach()[0, 0].repeat(4))
    assert b1.shape == (4,)


def test_initial_kinks_are_build_models() -> None:
    ik = initial_kinks(range(5), width=7)
    for s in range(5):
        lin = next(
            m
            for m in build_model(Experiment(hidden=(7,), seed=s))
            if isinstance(m, torch.nn.Linear)
        )
        k = -lin.bias.detach().numpy() / lin.weight.detach().numpy()[:, 0]
        assert np.allclose(ik.kinks[s], k, rtol=1e-6)


def test_kink_law_integrates_to_one_and_matches_the_tail() -> None:
    k = np.linspace(0, 2000, 4_000_001)
    mass = 2 * np.trapezoid(kink_density(k), k) + 2 * 0.25 / 2000  # the tail beyond 2000
    assert math.isclose(mass, 1.0, rel_tol=1e-4)
    for t in (0.5, 2.0, 5.0):
        inside = k <= t
        assert math.isclose(
            1 - 2 * np.trapezoid(kink_density(k[inside]), k[inside]), kink_tail(t), abs_tol=1e-4
        )
    rng = np.random.default_rng(0)
    w, b = rng.uniform(-1, 1, 400_000), rng.uniform(-1, 1, 400_000)
    assert abs(np.mean(np.abs(b / w) > 5) - kink_tail(5.0)) < 0.003


def test_depth_spread_gradients_match_nn_sequential() -> None:
    spread = depth_spread(
        inits=("he",), activations=("tanh",), depth=3, width=5, seeds=[4], batch_size=64
    )
    widths = [1, 5, 5, 5, 1]
    layers: list[torch.nn.Module] = []
    for a, b in itertools.pairwise(widths):
        gen = torch.Generator().manual_seed(4 * 1009 + a * 31 + b)
        u = torch.rand((b, a + 1), generator=gen) * 2 - 1
        lin = torch.nn.Linear(a, b)
        with torch.no_grad():
            lin.weight.copy_(u[:, :a] * _bound("he", a, b))
            lin.bias.zero_()
        layers += [lin, torch.nn.Tanh()]
    model = torch.nn.Sequential(*layers[:-1])
    x = torch.linspace(-5, 5, 64)[:, None]
    torch.nn.functional.mse_loss(model(x)[:, 0], x[:, 0] ** 2).backward()
    norms = [m.weight.grad.norm().item() for m in model if isinstance(m, torch.nn.Linear)]  # type: ignore[union-attr]
    assert np.allclose(spread.backward[0, 0], norms, rtol=1e-4)


def test_bad_values() -> None:
    with pytest.raises(ValueError, match="unknown initialisation"):
        depth_spread(inits=("lecun",), depth=2, width=3, seeds=[0])
    with pytest.raises(ValueError, match="perturbations"):
        symmetric_runs(perturbations=(-1.0,), steps=2, frames=1)
    with pytest.raises(ValueError, match="non-negative"):
        kink_tail(-1.0)
