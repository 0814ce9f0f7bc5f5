"""Two-input nets: validation, batched training, determinism, gradients against autograd."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch

from relu_guide.core.plane import (
    PLANE_TARGETS,
    PlaneExperiment,
    fixed_run,
    initial_parameters,
)
from relu_guide.core.plane_training import stacked_forward, train_plane


def test_bad_values_are_named() -> None:
    for kwargs, word in [
        ({"target": "saddle"}, "saddle"),
        ({"hidden": ()}, "at least one"),
        ({"hidden": (0,)}, "hidden width"),
        ({"lr": 0.0}, "lr"),
        ({"optimizer": "lbfgs"}, "lbfgs"),
        ({"steps": 5, "frames": 10}, "frames"),
        ({"seed": -1}, "seed"),
        ({"domain": (1.0, 1.0)}, "domain"),
    ]:
        with pytest.raises(ValueError, match=word):
            PlaneExperiment(**kwargs)  # type: ignore[arg-type]


def test_targets() -> None:
    x, y = np.array([1.0, -2.0, 0.5]), np.array([-1.0, 0.5, 0.5])
    assert np.allclose(PLANE_TARGETS["bowl"](x, y), x**2 + y**2)
    assert np.allclose(PLANE_TARGETS["diamond"](x, y), np.abs(x) + np.abs(y))
    assert np.allclose(PLANE_TARGETS["ridge"](x, y), [0.0, 0.0, 1.0])


def test_stacked_gradients_match_autograd_of_nn_sequential() -> None:
    exps = [PlaneExperiment(hidden=(5, 4), seed=s) for s in range(3)]
    params = [initial_parameters(e) for e in exps]
    ws = [torch.tensor(np.stack([p[0][i] for p in params]), requires_grad=True) for i in range(3)]
    bs = [torch.tensor(np.stack([p[1][i] for p in params]), requires_grad=True) for i in range(3)]
    x = torch.rand(3, 64, 2, generator=torch.Generator().manual_seed(1)) * 4 - 2
    y = x[..., 0] ** 2 + x[..., 1] ** 2
    ((stacked_forward(x, ws, bs) - y) ** 2).mean(dim=1).sum().backward()
    for m, e in enumerate(exps):
        model = fixed_run(*params[m], domain=e.domain).model(0)
        loss = torch.nn.functional.mse_loss(model(x[m])[:, 0], y[m])
        loss.backward()
        linears = [mod for mod in model if isinstance(mod, torch.nn.Linear)]
        for i, lin in enumerate(linears):
            w_grad, b_grad = ws[i].grad, bs[i].grad
            assert w_grad is not None
            assert b_grad is not None
            assert lin.weight.grad is not None
            assert lin.bias.grad is not None
            assert torch.allclose(w_grad[m], lin.weight.grad, atol=1e-6)
            assert torch.allclose(b_grad[m], lin.bias.grad, atol=1e-6)


def test_one_sgd_step_is_a_gradient_step() -> None:
    exp = PlaneExperiment(
        hidden=(4,), optimizer="sgd", lr=0.05, steps=1, frames=1, batch_size=32, seed=2
    )
    (run,) = train_plane([exp])
    model = run.model(0)
    gen = torch.Generator().manual_seed(exp.seed + 1_000_003)
    x = torch.rand((1, 32, 2), generator=gen)[0] * 4 - 2
    pts = x.numpy().astype(float)
    y = torch.from_numpy(exp.target_fn(pts[:, 0], pts[:, 1]).astype(np.float32))
    torch.nn.functional.mse_loss(model(x)[:, 0], y).backward()
    lin = model[0]
    assert isinstance(lin, torch.nn.Linear)
    assert lin.weight.grad is not None
    expected = lin.weight.detach() - 0.05 * lin.weight.grad
    assert np.allclose(run.weights[0][1], expected.numpy(), atol=1e-6)
    assert not np.allclose(run.weights[0][1], run.weights[0][0])


def test_batched_equals_alone_over_a_short_horizon() -> None:
    exps = [PlaneExperiment(hidden=(6,), steps=60, frames=3, seed=s) for s in range(4)]
    together = train_plane(exps)
    (alone,) = train_plane([exps[2]])
    for a, b in zip(together[2].weights, alone.weights, strict=True):
        assert np.allclose(a, b, atol=1e-5)
    assert together[2].losses[-1] < together[2].losses[0]


def test_groups_keep_the_order_given() -> None:
    exps = [
        PlaneExperiment(hidden=(w,), steps=10, frames=1, seed=s) for s in (0, 1) for w in (2, 3)
    ]
    runs = train_plane(exps)
    assert [(r.experiment.hidden, r.experiment.seed) for r in runs] == [
        ((2,), 0),
        ((3,), 0),
        ((2,), 1),
        ((3,), 1),
    ]


def _digest() -> str:
    (run,) = train_plane(
        [PlaneExperiment(target="ridge", hidden=(5, 3), steps=40, frames=2, seed=7)]
    )
    return "".join(f"{float(np.sum(w.astype(np.float64))):.10e}" for w in run.weights)


def test_deterministic_across_processes() -> None:
    code = "from tests.test_plane import _digest; print(_digest())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == _digest()


def test_fixed_run_checks_shapes() -> None:
    with pytest.raises(ValueError, match="2 inputs to 1 output"):
        fixed_run([np.ones((3, 1)), np.ones((1, 3))], [np.zeros(3), np.zeros(1)])
