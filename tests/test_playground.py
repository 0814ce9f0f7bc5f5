"""The playground's reference (relu_guide.core.reference) against torch, and its JS under node.

The node tests (tests/js/playground.test.mjs) compare playground.js with fixtures written here,
at test time, from the reference; the browser tests (test_playground_browser.py) do the same in
Chromium through the element's API.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from relu_guide.core import reference as ref
from relu_guide.core.analysis import kinks_of
from relu_guide.core.targets import get_target
from relu_guide.core.training import build_model, evaluation_grid

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "js"))
import fixtures  # noqa: E402

torch.set_num_threads(1)


def _array(value: np.ndarray | float) -> np.ndarray:
    """A parameter of the reference that is an array (every one but ``b2``)."""
    assert isinstance(value, np.ndarray), value
    return value


def _torch_loss_and_grads(
    params: ref.Params, x: np.ndarray, t: np.ndarray, activation: str, slope: float
) -> tuple[float, dict[str, np.ndarray]]:
    """The same loss in float64 torch; autograd's gradients."""
    p = {k: torch.tensor(np.atleast_1d(v), dtype=torch.float64, requires_grad=True)
         for k, v in params.items()}  # fmt: skip
    z = torch.from_numpy(x)[:, None] * p["w1"] + p["b1"]
    acts: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
        "relu": torch.relu,
        "leaky_relu": lambda u: torch.nn.functional.leaky_relu(u, slope),
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
    }
    act = acts[activation]
    y = act(z) @ p["w2"] + p["b2"]
    loss = torch.mean((y - torch.from_numpy(t)) ** 2)
    loss.backward()
    grads = {}
    for k, v in p.items():
        assert v.grad is not None
        grads[k] = v.grad.numpy()
    return float(loss.detach()), grads


@pytest.mark.parametrize("activation", ref.ACTIVATIONS)
@pytest.mark.parametrize("target", ["square", "sin", "step"])
def test_gradients_match_torch_autograd(activation: str, target: str) -> None:
    params = ref.initial_params(7, seed=3)
    idx = next(ref.batch_indices(3, 40))
    x = ref.points()[idx]
    t = ref.target_values(target, x)
    value, grad = ref.gradients(params, x, t, activation, slope=0.2)
    expected_value, expected = _torch_loss_and_grads(params, x, t, activation, 0.2)
    assert value == pytest.approx(expected_value, rel=1e-13)
    for k in ("w1", "b1", "w2", "b2"):
        np.testing.assert_allclose(np.atleast_1d(grad[k]), expected[k], rtol=1e-11, atol=1e-14)


@pytest.mark.parametrize(("activation", "derivative"), [("relu", 0.0), ("leaky_relu", 0.1)])
def test_derivative_at_the_kink_is_torchs(activation: str, derivative: float) -> None:
    """A point exactly on a kink: φ'(0) = 0 for ReLU, the slope for leaky ReLU, as torch."""
    x = ref.points()
    params: ref.Params = {
        "w1": np.array([1.0]),
        "b1": np.array([-x[100]]),
        "w2": np.array([2.0]),
        "b2": 0.5,
    }
    assert x[100] * 1.0 + -x[100] == 0.0
    _, grad = ref.gradients(params, x[100:101], np.array([3.0]), activation)
    _, expected = _torch_loss_and_grads(params, x[100:101], np.array([3.0]), activation, 0.1)
    g = 2 * (0.5 - 3.0)
    assert _array(grad["w2"])[0] == expected["w2"][0] == 0.0
    assert _array(grad["b1"])[0] == expected["b1"][0] == g * 2.0 * derivative


def test_training_matches_torch_sgd() -> None:
    """Ten full-batch steps of the reference and of torch.optim.SGD in float64 agree."""
    params = ref.initial_params(20, seed=1)
    run = ref.train(params, "square", 10, lr=0.01, checkpoints=(10,))
    model = torch.nn.Sequential(torch.nn.Linear(1, 20), torch.nn.ReLU(), torch.nn.Linear(20, 1))
    model = model.double()
    first, last = model[0], model[2]
    assert isinstance(first, torch.nn.Linear)
    assert isinstance(last, torch.nn.Linear)
    with torch.no_grad():
        first.weight.copy_(torch.from_numpy(_array(params["w1"]))[:, None])
        first.bias.copy_(torch.from_numpy(_array(params["b1"])))
        last.weight.copy_(torch.from_numpy(_array(params["w2"]))[None, :])
        last.bias.fill_(float(params["b2"]))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.from_numpy(ref.points())[:, None]
    for _ in range(10):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), x**2)
        loss.backward()
        opt.step()
    final = run["params"][10]
    np.testing.assert_allclose(final["w1"], first.weight.detach().numpy()[:, 0], rtol=1e-12)
    np.testing.assert_allclose(final["w2"], last.weight.detach().numpy()[0], rtol=1e-12)
    with torch.no_grad():
        expected = float(torch.nn.functional.mse_loss(model(x), x**2))
    assert run["loss"][-1] == pytest.approx(expected, rel=1e-12)


def test_points_targets_and_kinks_agree_with_relu_guide() -> None:
    x = ref.points()
    np.testing.assert_array_equal(x, evaluation_grid(ref.DOMAIN, ref.N_POINTS))
    for name in ref.TARGETS:
        np.testing.assert_allclose(ref.target_values(name, x), get_target(name)(x), rtol=1e-15)
    params = ref.train(ref.initial_params(12, 5), "abs", 200, lr=0.05, checkpoints=(200,))
    final = params["params"][200]
    mine = ref.kinks(final)
    theirs = kinks_of(final["w1"], final["b1"], final["w2"], ref.DOMAIN)
    assert [k["state"] for k in mine] == [k.state for k in theirs]
    np.testing.assert_array_equal([k["x"] for k in mine], [k.x for k in theirs])


def test_initial_weights_follow_torch_ranges_and_seed() -> None:
    a, b = ref.initial_params(16, 0), ref.initial_params(16, 1)
    assert not np.array_equal(a["w1"], b["w1"])
    assert np.all(np.abs(a["w1"]) < 1)
    assert np.all(np.abs(a["w2"]) < 0.25)
    np.testing.assert_array_equal(a["w1"], ref.initial_params(16, 0)["w1"])


def test_batches_cover_the_points_evenly() -> None:
    gen = ref.batch_indices(0, 256)
    counts = np.bincount(np.concatenate([next(gen) for _ in range(200)]), minlength=256)
    assert counts.min() > 0.6 * counts.mean()
    assert counts.max() < 1.4 * counts.mean()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ref.initial_params(65), "width must be an integer from 1 to 64, got 65"),
        (lambda: ref.Mulberry32(-1), "seed must be an integer in [0, 2**32), got -1"),
        (lambda: next(ref.batch_indices(0, 0)), "batch size must be an integer from 1 to 256, got 0"),
        (lambda: ref.target_values("cos", np.zeros(1)), "unknown target 'cos'"),
        (lambda: ref.predict(ref.initial_params(2), np.zeros(1), "gelu"), "unknown activation 'gelu'"),
    ],
)  # fmt: skip
def test_bad_input_is_named(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_presets_are_the_guides_initial_weights() -> None:
    from relu_guide.core.experiments import (
        ONE_NEURON,
        TWENTY_NEURONS,
        TWO_NEURONS,
        one_neuron_seed,
        two_neuron_seed,
    )
    from relu_guide.faces.playground import preset

    twenty, two, one = preset("twenty"), preset("two"), preset("one")
    assert (twenty["seed"], two["seed"], one["seed"]) == (0, two_neuron_seed(), one_neuron_seed())
    for p, spec in ((twenty, TWENTY_NEURONS), (two, TWO_NEURONS)):
        model = build_model(spec.with_(seed=p["seed"]))
        first, last = model[0], model[2]
        assert isinstance(first, torch.nn.Linear)
        assert isinstance(last, torch.nn.Linear)
        assert p["w1"] == first.weight.detach().numpy()[:, 0].astype(float).tolist()
        assert p["b1"] == first.bias.detach().numpy().astype(float).tolist()
        assert p["w2"] == last.weight.detach().numpy()[0].astype(float).tolist()
        assert p["b2"] == float(last.bias.detach().numpy()[0])
    model = build_model(ONE_NEURON.with_(seed=one["seed"]))
    first = model[0]
    assert isinstance(first, torch.nn.Linear)
    assert one["w1"] == [float(first.weight.detach().numpy()[0, 0])]
    assert (one["w2"], one["b2"]) == ([1.0], 0.0)


def test_fixtures_are_the_same_in_another_process(tmp_path: Path) -> None:
    out = fixtures.write(tmp_path / "a.json")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, str(ROOT / "tests/js/fixtures.py"), str(tmp_path / "b.json")],
                   check=True, env=env)  # fmt: skip
    assert out.read_text() == (tmp_path / "b.json").read_text()
    assert len(json.loads(out.read_text())["cases"]) == len(fixtures.CASES)


def test_javascript_under_node(tmp_path: Path) -> None:
    """``node --test tests/js/``: playground.js against the fixtures, bit for bit where it can."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("node is not installed (Debian: apt-get install nodejs); the JS tests need it")
    path = fixtures.write(tmp_path / "fixtures.json")
    result = subprocess.run(
        [node, "--test", str(ROOT / "tests" / "js")],
        check=False,
        env={**os.environ, "PLAYGROUND_FIXTURES": str(path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
