"""The hand-written backward of core.backprop against torch autograd."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from torch import nn

from relu_guide import Experiment, train
from relu_guide.core.backprop import SgdMlp, supports
from relu_guide.core.training import _batches, build_model

NETS = [
    ((), None, None),
    ((), None, "relu"),
    ((2,), "relu", None),
    ((20,), "relu", None),
    ((5, 4), "relu", None),
    ((6,), "leaky_relu(slope=0.1)", None),
    ((3, 3), "leaky_relu(slope=0.2)", "relu"),
]


Pairs = list[tuple[torch.Tensor, torch.Tensor]]


def _autograd(
    widths: tuple[int, ...],
    hidden: str | None,
    output: str | None,
    dtype: torch.dtype,
    x: torch.Tensor,
    y: torch.Tensor,
    params: Pairs,
) -> tuple[torch.Tensor, Pairs]:
    layers: list[nn.Module] = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1], dtype=dtype))
        slope = hidden if i < len(widths) - 2 else output
        if slope == "relu":
            layers.append(nn.ReLU())
        elif slope is not None:
            layers.append(nn.LeakyReLU(float(slope.split("=")[1][:-1])))
    model = nn.Sequential(*layers)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for m, (w, b) in zip(linears, params, strict=True):
            m.weight.copy_(w)
            m.bias.copy_(b)
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    grads: Pairs = []
    for m in linears:
        assert m.weight.grad is not None
        assert m.bias.grad is not None
        grads.append((m.weight.grad, m.bias.grad))
    return loss.detach(), grads


@pytest.mark.parametrize(("hidden_widths", "hidden", "output"), NETS)
@pytest.mark.parametrize(("dtype", "rtol"), [(torch.float64, 1e-12), (torch.float32, 1e-5)])
def test_gradients_match_autograd(
    hidden_widths: tuple[int, ...],
    hidden: str | None,
    output: str | None,
    dtype: torch.dtype,
    rtol: float,
) -> None:
    gen = torch.Generator().manual_seed(len(hidden_widths) + len(str(hidden)))
    widths = (1, *hidden_widths, 1)
    params = [
        (
            torch.randn(b, a, generator=gen, dtype=dtype),
            torch.randn(b, generator=gen, dtype=dtype) * 0.5,
        )
        for a, b in itertools.pairwise(widths)
    ]
    x = torch.rand(64, 1, generator=gen, dtype=dtype) * 10 - 5
    y = x**2
    mlp = SgdMlp(
        [w.clone() for w, _ in params],
        [b.clone() for _, b in params],
        hidden=hidden,
        output=output,
        batch=64,
    )
    loss = mlp.gradients(x, y)
    ref_loss, ref_grads = _autograd(widths, hidden, output, dtype, x, y, params)
    torch.testing.assert_close(loss, ref_loss, rtol=rtol, atol=0)
    for gw, gb, (rw, rb) in zip(mlp.grad_w, mlp.grad_b, ref_grads, strict=True):
        torch.testing.assert_close(gw, rw, rtol=rtol, atol=rtol * float(rw.abs().max()))
        torch.testing.assert_close(gb, rb, rtol=rtol, atol=rtol * float(rb.abs().max()))


def test_unsupported_activations_fall_back() -> None:
    assert supports("relu", None)
    assert supports(None, "relu")
    assert not supports("tanh", None)
    assert not supports("relu", "sigmoid")


@pytest.mark.parametrize("hidden", [(), (1,), (2,), (20,), (4, 4)])
def test_training_losses_match_the_autograd_sgd_loop(hidden: tuple[int, ...]) -> None:
    exp = Experiment(hidden=hidden, steps=300, frames=3, seed=4)
    run = train(exp)
    model = build_model(exp)
    optimizer = torch.optim.SGD(model.parameters(), lr=exp.lr)
    xs, ys = _batches(exp)
    losses = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for step in range(exp.steps):
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(xs[step]), ys[step])
            loss.backward()
            optimizer.step()
            losses.append(float(loss.detach()))
    finally:
        torch.set_num_threads(threads)
    np.testing.assert_allclose(run.batch_losses, losses, rtol=1e-5)
    final = [p.detach().numpy() for p in model.parameters()]
    ours = [a for w, b in zip(run.weights, run.biases, strict=True) for a in (w[-1], b[-1])]
    for a, b in zip(ours, final, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_other_activations_still_train_with_autograd() -> None:
    run = train(Experiment(hidden=(8,), activation="tanh", steps=200, frames=2, seed=1))
    assert run.losses[-1] < run.losses[0]
