"""The hand-written gradients of the studies' engine against autograd, and what it feeds them."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from relu_guide import Experiment, train
from relu_guide.core.activations import get_activation
from relu_guide.core.plane import PlaneExperiment
from relu_guide.core.plane_training import train_plane
from relu_guide.core.training import Run, batch_generator
from relu_guide.studies.backprop import StackedBackprop, supported
from relu_guide.studies.batches import draw_batches
from relu_guide.studies.engine import (
    PackedShallowNets,
    StackedNets,
    _grid_losses,
    train_many,
)
from relu_guide.studies.regions import _train

BLOCKS = [
    (0, 2, get_activation("relu")),
    (2, 3, get_activation("sigmoid")),
    (3, 5, get_activation("tanh")),
    (5, 6, get_activation("leaky_relu")),
]


def _autograd(
    ws: list[torch.Tensor], bs: list[torch.Tensor], x: torch.Tensor, y: torch.Tensor, output: str
) -> tuple[torch.Tensor, list[torch.Tensor], list[torch.Tensor]]:
    """Per-model losses and gradients by autograd, for inputs (M, inputs, batch)."""
    wr = [w.clone().requires_grad_() for w in ws]
    br = [b.clone().requires_grad_() for b in bs]
    h = x.transpose(1, 2)
    for i, (w, b) in enumerate(zip(wr, br, strict=True)):
        h = torch.baddbmm(b[:, None, :], h, w.transpose(1, 2))
        if i < len(wr) - 1:
            h = torch.cat([act.torch_fn(h[s:e]) for s, e, act in BLOCKS])
        elif output != "none":
            h = get_activation(output).torch_fn(h)
    losses = ((h[..., 0] - y) ** 2).mean(dim=1)
    losses.sum().backward()
    return losses.detach(), [w.grad for w in wr], [b.grad for b in br]  # type: ignore[misc]


@pytest.mark.parametrize("output", ["none", "relu", "tanh", "sigmoid", "leaky_relu"])
@pytest.mark.parametrize("inputs", [1, 2])
def test_gradients_match_autograd_in_float64(output: str, inputs: int) -> None:
    gen = torch.Generator().manual_seed(inputs)
    widths = [inputs, 5, 4, 3, 1]
    m, batch = 6, 16
    ws = [
        torch.randn(m, b, a, generator=gen, dtype=torch.float64)
        for a, b in itertools.pairwise(widths)
    ]
    bs = [torch.randn(m, w.shape[1], generator=gen, dtype=torch.float64) for w in ws]
    x = torch.randn(m, inputs, batch, generator=gen, dtype=torch.float64)
    y = torch.randn(m, batch, generator=gen, dtype=torch.float64)
    out_act = None if output == "none" else get_activation(output)
    net = StackedBackprop(ws, bs, BLOCKS, out_act, batch=batch)
    losses = net.gradients(x[:, 0, :] if inputs == 1 else x, y)
    ref_losses, ref_w, ref_b = _autograd(ws, bs, x, y, output)
    np.testing.assert_allclose(losses.numpy(), ref_losses.numpy(), rtol=1e-12)
    for got, want in zip(net.grad_w + net.grad_b, ref_w + ref_b, strict=True):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-10, atol=1e-12)
    assert all(torch.equal(a, b) for a, b in zip(ws, [w.detach() for w in ws], strict=True))


def test_unsupported_activation_is_refused() -> None:
    assert not supported(get_activation("gelu"))
    w, b = [torch.ones(1, 1, 1)], [torch.zeros(1, 1)]
    with pytest.raises(ValueError, match="gelu"):
        StackedBackprop(w, b, [(0, 1, get_activation("gelu"))], None, batch=2)


def test_packed_gradients_match_autograd() -> None:
    exps = [
        Experiment(hidden=(w,), activation=a, seed=s)
        for s, (w, a) in enumerate([(3, "relu"), (3, "relu"), (1, "relu"), (4, "leaky_relu")])
    ]
    nets = PackedShallowNets.build(exps)
    backprops = nets._backprops(8)
    assert backprops is not None
    assert [part for part, _ in backprops] == [slice(0, 2), slice(2, 3), slice(3, 4)]
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(4, 8, generator=gen) * 10 - 5
    y = x**2
    loss = torch.empty(4)
    with torch.no_grad():
        for part, bp in backprops:
            bp.gradients(x[part], y[part], loss=loss[part])
    fast = [p.grad.clone() for p in nets.parameters]  # type: ignore[union-attr]
    for p in nets.parameters:
        p.grad = None
    per_model = ((nets(x) - y) ** 2).mean(dim=1)
    per_model.sum().backward()
    np.testing.assert_allclose(loss.numpy(), per_model.detach().numpy(), rtol=1e-5)
    for got, p in zip(fast, nets.parameters, strict=True):
        assert p.grad is not None
        np.testing.assert_allclose(got.numpy(), p.grad.numpy(), rtol=1e-4, atol=1e-5)


def test_stacked_nets_without_a_hand_written_backward_use_autograd() -> None:
    exp = Experiment(hidden=(3, 3), activation="gelu", steps=40, frames=2, seed=3)
    assert StackedNets.build([exp])._backprops(4) is None
    batched, alone = train_many([exp])[0], train(exp)
    for a, b in zip(batched.weights + batched.biases, alone.weights + alone.biases, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("target", ["square", "abs", "step", "sin"])
def test_batches_are_those_of_train(target: str) -> None:
    exp = Experiment(target=target, hidden=(2,), steps=30, frames=1, batch_size=8)
    gens = [batch_generator(s) for s in (0, 1)]
    xs, ys = draw_batches(gens, exp, 30)
    lo, hi = exp.domain
    for k, s in enumerate((0, 1)):
        x = torch.rand((30, 8), generator=batch_generator(s)).mul_(hi - lo).add_(lo)
        assert torch.equal(xs[k], x)
        want = exp.target_fn(x.numpy().astype(float)).astype(np.float32)
        assert np.array_equal(ys[k].numpy(), want)
    buffers = (torch.full((2, 40, 8), np.nan), torch.full((2, 40, 8), np.nan))
    again = draw_batches([batch_generator(s) for s in (0, 1)], exp, 30, buffers)
    assert torch.equal(again[0], xs)
    assert torch.equal(again[1], ys)


@pytest.mark.parametrize(
    "exp",
    [
        Experiment(hidden=(4, 4), activation="sigmoid", steps=4, frames=2),
        Experiment(hidden=(5,), activation="leaky_relu", steps=4, frames=2),
        Experiment(hidden=(), output_activation="relu", steps=4, frames=2),
    ],
)
def test_grid_losses_are_those_of_runs(exp: Experiment) -> None:
    run = train(exp)
    reference = Run.from_snapshots(exp, run.weights, run.biases, run.batch_losses)
    np.testing.assert_allclose(
        _grid_losses(exp, run.weights, run.biases), reference.losses, rtol=1e-12
    )


def test_plane_training_agrees_with_train_plane() -> None:
    exps = [
        PlaneExperiment(target="bowl", hidden=h, steps=60, frames=3, seed=s)
        for h in ((4,), (3, 3))
        for s in (0, 1)
    ]
    for a, b in zip(_train(exps), train_plane(exps), strict=True):
        assert a.experiment == b.experiment
        for wa, wb in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
            np.testing.assert_allclose(wa, wb, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(a.losses, b.losses, rtol=1e-5)
        np.testing.assert_allclose(a.batch_losses, b.batch_losses, rtol=1e-5)
