"""Per-layer gradient norms against torch autograd, and the studies built on them."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from relu_guide import Experiment
from relu_guide.core.training import _batches, build_model
from relu_guide.studies.gradients import (
    HE_SCALE,
    activation_fits,
    deep_experiment,
    gradient_norms,
    vanishing_gradient_study,
)


def _autograd_norms(exp: Experiment, scale: float = 1.0) -> np.ndarray:
    model = build_model(exp)
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for m in linears:
            m.weight.mul_(scale)
    xs, ys = _batches(exp)
    loss = torch.nn.functional.mse_loss(model(xs[0]), ys[0])
    loss.backward()
    return np.array([float(m.weight.grad.norm()) for m in linears])  # type: ignore[union-attr]


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_norms_at_init_match_autograd(activation: str) -> None:
    exps = [deep_experiment(activation, depth=3, width=4, steps=4, seed=s) for s in range(3)]
    rec = gradient_norms(exps, every=2)
    for k, exp in enumerate(exps):
        np.testing.assert_allclose(rec.norms[k, 0], _autograd_norms(exp), rtol=1e-5)


def test_norms_with_he_scale_match_autograd() -> None:
    exp = deep_experiment("relu", depth=3, width=5, steps=2, seed=4)
    rec = gradient_norms([exp], every=1, weight_scale=HE_SCALE)
    np.testing.assert_allclose(rec.norms[0, 0], _autograd_norms(exp, HE_SCALE), rtol=1e-5)


def test_packed_shallow_norms_match_autograd() -> None:
    exps = [Experiment(hidden=(w,), steps=3, frames=1, seed=w) for w in (2, 5)]
    rec = gradient_norms(exps, every=1)
    for k, exp in enumerate(exps):
        np.testing.assert_allclose(rec.norms[k, 0], _autograd_norms(exp), rtol=1e-5)


def test_mixed_activations_keep_their_order() -> None:
    exps = [deep_experiment(a, depth=2, width=3, steps=3) for a in ("tanh", "relu", "tanh")]
    rec = gradient_norms(exps, every=1)
    for k, exp in enumerate(exps):
        np.testing.assert_allclose(rec.norms[k, 0], _autograd_norms(exp), rtol=1e-5)
    assert [r.experiment for r in rec.runs] == exps


def test_sigmoid_vanishes_and_he_relu_does_not() -> None:
    studies = vanishing_gradient_study(
        [("sigmoid", "sigmoid", 1.0), ("ReLU, He init", "relu", HE_SCALE)],
        seeds=3,
        steps=20,
        every=10,
    )
    sigmoid, relu = studies
    assert sigmoid.median_norms.shape == (3, 9)
    assert sigmoid.decades_lost > 4
    assert abs(relu.decades_lost) < 1.5
    assert sigmoid.final_losses.shape == (3,)


def test_deterministic() -> None:
    exps = [deep_experiment("tanh", depth=3, width=4, steps=10)]
    assert np.array_equal(gradient_norms(exps, every=3).norms, gradient_norms(exps, every=3).norms)


def test_activation_fits_share_seed_and_batches() -> None:
    runs = activation_fits(("sigmoid", "relu"), steps=50)
    assert [r.experiment.activation_fn.name for r in runs] == ["sigmoid", "relu"]
    assert runs[0].experiment.seed == runs[1].experiment.seed


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="depth must be a positive integer, got 0"):
        deep_experiment("relu", depth=0)
    with pytest.raises(ValueError, match="every must be a positive integer, got 0"):
        gradient_norms([deep_experiment("relu", steps=2)], every=0)
    with pytest.raises(ValueError, match="must share their hidden widths"):
        gradient_norms([deep_experiment("relu", depth=2), deep_experiment("relu", depth=3)])
