"""relu_guide's SGD and Adam against torch.optim: the same parameters, bit for bit, step by step."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from relu_guide.core.optimizers import SGD, Adam, make_optimizer


def _net(seed: int) -> torch.nn.Sequential:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))


@pytest.mark.parametrize(
    ("ours", "theirs", "lr"),
    [(SGD, torch.optim.SGD, 0.01), (Adam, torch.optim.Adam, 0.01), (Adam, torch.optim.Adam, 0.3)],
)
def test_bit_identical_to_torch_optim(ours: type, theirs: type, lr: float) -> None:
    a, b = _net(0), _net(0)
    opt_a = ours(list(a.parameters()), lr)
    opt_b = theirs(b.parameters(), lr=lr, foreach=False)
    gen = torch.Generator().manual_seed(1)
    for _ in range(300):
        x = torch.rand((64, 1), generator=gen) * 10 - 5
        for net, opt in ((a, opt_a), (b, opt_b)):
            opt.zero_grad()
            torch.nn.functional.mse_loss(net(x), x**2).backward()
            opt.step()
        for p, q in zip(a.parameters(), b.parameters(), strict=True):
            assert torch.equal(p, q)


def test_a_parameter_without_gradient_is_left_alone() -> None:
    used, unused = torch.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    for cls in (SGD, Adam):
        opt = cls([used, unused], 0.1)
        opt.zero_grad()
        used.sum().backward()
        opt.step()
        assert unused.grad is None
        assert torch.equal(unused, torch.ones(2))
        assert bool((used < 1).all())


def test_an_unknown_optimizer_is_named() -> None:
    with pytest.raises(ValueError, match="'rmsprop'"):
        make_optimizer("rmsprop", [], 0.1)


def test_training_never_imports_torch_dynamo() -> None:
    code = (
        "import sys, torch\n"
        "from relu_guide import Experiment, train\n"
        "from relu_guide.studies.engine import train_many\n"
        "train(Experiment(hidden=(4,), optimizer='adam', steps=20, frames=2))\n"
        "train(Experiment(hidden=(4,), activation='tanh', steps=20, frames=2))\n"
        "train_many([Experiment(hidden=(4,), steps=20, frames=2, seed=s) for s in (0, 1)])\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
