"""train(): deterministic across processes, fast paths agree with torch, divergence is named."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import numpy as np
import pytest
import torch

from relu_guide import Experiment, Run, TrainingDivergedError, train
from relu_guide.core.analysis import best_affine_mse
from relu_guide.core.training import build_model, evaluation_grid

_FINGERPRINT = """
import hashlib, numpy as np
from relu_guide import Experiment, train
run = train(Experiment(hidden=(20,), steps=300, frames=30, seed=5, optimizer="{opt}"))
h = hashlib.sha256()
for a in [run.losses, run.batch_losses, *run.weights, *run.biases]:
    h.update(np.ascontiguousarray(a).tobytes())
print(h.hexdigest())
"""


@pytest.mark.parametrize("opt", ["sgd", "adam"])
def test_bit_identical_in_two_processes(opt: str) -> None:
    code = _FINGERPRINT.format(opt=opt)
    outs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    digests = {o.stdout.strip() for o in outs}
    assert len(digests) == 1
    assert len(next(iter(digests))) == 64
    # ... and this process agrees too.
    run = train(Experiment(hidden=(20,), steps=300, frames=30, seed=5, optimizer=opt))
    h = hashlib.sha256()
    for a in [run.losses, run.batch_losses, *run.weights, *run.biases]:
        h.update(np.ascontiguousarray(a).tobytes())
    assert h.hexdigest() in digests


def test_different_seeds_differ() -> None:
    a = train(Experiment(hidden=(2,), steps=20, frames=2, seed=0))
    b = train(Experiment(hidden=(2,), steps=20, frames=2, seed=1))
    assert not np.array_equal(a.weights[0], b.weights[0])


def test_run_shapes(twenty_run: Run) -> None:
    run = twenty_run
    assert run.n_frames == 101
    assert run.losses.shape == (101,)
    assert run.batch_losses.shape == (1000,)
    assert [w.shape for w in run.weights] == [(101, 20, 1), (101, 1, 20)]
    assert [b.shape for b in run.biases] == [(101, 20), (101, 1)]
    assert list(run.steps[[0, 1, -1]]) == [0, 10, 1000]


def test_numpy_forward_matches_torch_model_at_every_frame(twenty_run: Run) -> None:
    x = np.linspace(-6, 6, 101)
    ours = twenty_run.predict_frames(x)
    for frame in [0, 37, -1]:
        with torch.no_grad():
            theirs = twenty_run.model(frame)(torch.tensor(x[:, None], dtype=torch.float32))
        np.testing.assert_allclose(ours[frame], theirs[:, 0].numpy(), rtol=1e-5, atol=1e-4)


def test_layer_outputs_are_every_module_in_order() -> None:
    run = train(Experiment(hidden=(2,), steps=50, frames=5, seed=3))
    x = np.linspace(-5, 5, 11)
    outs = run.layer_outputs(x, frame=2)
    assert [label for label, _ in outs] == ["Linear(1, 2)", "ReLU", "Linear(2, 1)"]
    pre, post, final = (o for _, o in outs)
    np.testing.assert_array_equal(post, np.maximum(pre, 0))
    np.testing.assert_allclose(final[:, 0], run.predict(x, frame=2))
    with torch.no_grad():
        model = run.model(2)
        t = torch.tensor(x[:, None], dtype=torch.float32)
        np.testing.assert_allclose(pre, model[0](t).numpy(), rtol=1e-5, atol=1e-5)


def test_losses_are_the_grid_mse(twenty_run: Run) -> None:
    grid = evaluation_grid((-5.0, 5.0))
    expected = np.mean((twenty_run.predict(grid, frame=40) - grid**2) ** 2)
    assert twenty_run.losses[40] == pytest.approx(expected)


def test_twenty_neurons_fit_x_squared_and_linear_cannot(twenty_run: Run, linear_run: Run) -> None:
    bound = best_affine_mse("square")
    assert bound == pytest.approx(500 / 9, rel=1e-12)
    assert twenty_run.losses[-1] < 0.5  # 2% of x²'s variance... far below any line
    assert twenty_run.losses[-1] < bound / 100
    # On the grid the best line's error is within 0.01 of 500/9; no linear run beats it.
    grid = evaluation_grid((-5.0, 5.0))
    a, b = np.polyfit(grid, grid**2, 1)
    grid_bound = np.mean((a * grid + b - grid**2) ** 2)
    assert grid_bound == pytest.approx(500 / 9, abs=0.01)
    assert linear_run.losses.min() >= grid_bound - 1e-9


def test_build_model_does_not_touch_global_rng() -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    build_model(Experiment(hidden=(4,)))
    assert torch.equal(torch.rand(3), expected)


def test_threads_restored() -> None:
    before = torch.get_num_threads()
    train(Experiment(hidden=(2,), steps=5, frames=1))
    assert torch.get_num_threads() == before


def test_divergence_names_the_step_and_suggests_lower_lr() -> None:
    with pytest.raises(TrainingDivergedError, match=r"at step \d+ of 500 with lr=5.*lower"):
        train(Experiment(hidden=(20,), steps=500, frames=10, lr=5.0))


def test_progress_is_reported_at_every_snapshot() -> None:
    seen: list[tuple[int, int]] = []
    train(Experiment(hidden=(2,), steps=30, frames=3), progress=lambda s, n: seen.append((s, n)))
    assert seen == [(10, 30), (20, 30), (30, 30)]


def test_bad_frame_index() -> None:
    run = train(Experiment(hidden=(2,), steps=4, frames=2))
    with pytest.raises(IndexError, match="frame 3 out of range"):
        run.predict([0.0], frame=3)
    assert run.frame_index(-1) == 2


def test_sgd_is_bit_identical_to_torch_optim_sgd() -> None:
    from torch import nn

    from relu_guide.core.training import _batches

    exp = Experiment(hidden=(20,), steps=200, frames=4, seed=3)
    run = train(exp)
    model = build_model(exp)
    opt = torch.optim.SGD(model.parameters(), lr=exp.lr)
    xs, ys = _batches(exp)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for s in range(exp.steps):
            opt.zero_grad()
            nn.functional.mse_loss(model(xs[s]), ys[s]).backward()
            opt.step()
    finally:
        torch.set_num_threads(threads)
    first, last = model[0], model[2]
    assert isinstance(first, nn.Linear)
    assert isinstance(last, nn.Linear)
    np.testing.assert_array_equal(first.weight.detach().numpy(), run.weights[0][-1])
    np.testing.assert_array_equal(last.bias.detach().numpy(), run.biases[1][-1])
