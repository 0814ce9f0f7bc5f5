"""Batched training against train(), determinism, and the studies built on it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from relu_guide import Experiment, train
from relu_guide.core.training import Run, TrainingDivergedError, _batches, batch_generator
from relu_guide.studies.dead import (
    OUTCOMES,
    VARIANTS,
    WARM_UP_STEPS,
    dead_relu_census,
    death_census,
    outcome,
)
from relu_guide.studies.engine import PackedShallowNets, StackedNets, train_many
from relu_guide.studies.widths import width_sweep


def _assert_same_run(a: Run, b: Run) -> None:
    for wa, wb in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert wa.shape == wb.shape
        assert np.array_equal(wa, wb)
    assert np.array_equal(a.losses, b.losses)
    assert np.array_equal(a.batch_losses, b.batch_losses)


@pytest.mark.parametrize(
    "exp",
    [
        # 60 steps, not more: for seed 8 the float32 rounding differences of the two ways stay
        # near 1e-7 up to step 100, then the training amplifies them to 4e-3 by step 120.
        Experiment(hidden=(4, 3), activation="tanh", steps=60, frames=6, seed=1),
        Experiment(hidden=(), output_activation="relu", steps=60, frames=3, seed=2),
        Experiment(hidden=(3, 3), optimizer="adam", steps=60, frames=3, seed=5),
    ],
)
def test_stacked_agrees_with_train(exp: Experiment) -> None:
    others = [exp.with_(seed=s) for s in (7, 8)]
    batched = train_many([exp, *others])
    for run, e in zip(batched, [exp, *others], strict=True):
        alone = train(e)
        for wa, wb in zip(alone.weights + alone.biases, run.weights + run.biases, strict=True):
            np.testing.assert_allclose(wa, wb, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(alone.losses, run.losses, rtol=1e-5)


def test_exact_is_train() -> None:
    exps = [Experiment(hidden=(5,), steps=50, frames=5, seed=s) for s in range(2)]
    for a, b in zip(train_many(exps, exact=True), [train(e) for e in exps], strict=True):
        _assert_same_run(a, b)
    with pytest.raises(ValueError, match="no hook, no weight_scale"):
        train_many(exps, exact=True, weight_scale=2.0)


def test_packed_agrees_with_train_to_float32_precision() -> None:
    exp = Experiment(hidden=(20,), steps=60, frames=3, seed=4)
    alone = train(exp)
    packed = train_many([exp, exp.with_(hidden=(3,), seed=1), exp.with_(hidden=(64,))])[0]
    for wa, wb in zip(alone.weights + alone.biases, packed.weights + packed.biases, strict=True):
        np.testing.assert_allclose(wa, wb, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(alone.batch_losses, packed.batch_losses, rtol=1e-4)
    assert np.array_equal(alone.weights[0][0], packed.weights[0][0])  # same initial state


def test_packed_and_train_agree_in_distribution() -> None:
    exps = [Experiment(hidden=(8,), steps=400, frames=2, seed=s) for s in range(8)]
    packed = np.array([r.losses[-1] for r in train_many(exps)])
    single = np.array([train(e).losses[-1] for e in exps])
    np.testing.assert_allclose(np.median(packed), np.median(single), rtol=0.05)


def test_chunked_batches_equal_train_batches() -> None:
    exp = Experiment(hidden=(2,), steps=600, batch_size=8, seed=9)
    xs, _ = _batches(exp)
    gen = batch_generator(exp.seed)
    chunks = [torch.rand((250, 8), generator=gen) for _ in range(2)]
    chunks.append(torch.rand((100, 8), generator=gen))
    lo, hi = exp.domain
    assert torch.equal(torch.cat(chunks).mul_(hi - lo).add_(lo), xs[..., 0])


def test_deterministic_and_independent_of_companions() -> None:
    exp = Experiment(hidden=(6,), steps=100, frames=2, seed=2)
    a = train_many([exp, exp.with_(seed=3)])[0]
    b = train_many([exp, exp.with_(seed=3)])[0]
    _assert_same_run(a, b)
    c = train_many([exp.with_(hidden=(40,)), exp])[1]
    np.testing.assert_allclose(a.losses, c.losses, rtol=1e-4)


def test_packed_forward_matches_models() -> None:
    exps = [Experiment(hidden=(w,), seed=s) for w, s in ((1, 0), (4, 1), (2, 2))]
    nets = PackedShallowNets.build(exps)
    x = torch.linspace(-5, 5, 11)
    with torch.no_grad():
        y = nets(x.expand(3, -1))
    for k, exp in enumerate(exps):
        run = train(exp.with_(steps=1, frames=1))
        np.testing.assert_allclose(y[k].numpy(), run.predict(x.numpy(), 0), rtol=1e-5, atol=1e-5)
    stack = StackedNets.build([Experiment(hidden=(3, 2), seed=s) for s in range(2)])
    assert [tuple(w.shape) for w in stack.weight_tensors] == [(2, 3, 1), (2, 2, 3), (2, 1, 2)]


def test_weight_scale_scales_initial_weights_only() -> None:
    exp = Experiment(hidden=(4, 4), steps=2, frames=1, seed=0)
    plain, scaled = train_many([exp]), train_many([exp], weight_scale=2.0)
    for a, b in zip(plain[0].weights, scaled[0].weights, strict=True):
        np.testing.assert_allclose(b[0], 2.0 * a[0])
    for a, b in zip(plain[0].biases, scaled[0].biases, strict=True):
        np.testing.assert_array_equal(b[0], a[0])


def test_bad_input() -> None:
    with pytest.raises(ValueError, match=r"must not be empty, got \[\]"):
        train_many([])
    with pytest.raises(ValueError, match="got 3"):
        train_many([3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"weight_scale .* got -1"):
        train_many([Experiment(steps=1, frames=1)], weight_scale=-1)
    with pytest.raises(TrainingDivergedError, match=r"lr=5 .*seed=1"):
        train_many([Experiment(hidden=(4,), lr=5.0, steps=200, frames=2, seed=1)])


def test_width_sweep_never_beats_the_bound() -> None:
    sweep = width_sweep((1, 2, 4), seeds=3, steps=300)
    assert sweep.losses.shape == (3, 3)
    assert np.all(sweep.losses >= sweep.lower_bound[:, None] * (1 - 1e-3))
    assert np.all(sweep.losses >= sweep.best[:, None] * (1 - 1e-3))
    assert np.all(sweep.best >= sweep.lower_bound * (1 - 1e-9))
    assert sweep.slope("best", min_width=2) < -2
    with pytest.raises(ValueError, match="which must be"):
        sweep.slope("adam")


def test_census_counts_every_seed() -> None:
    relu, leaky = dead_relu_census(seeds=6, steps=200, frames=20)
    assert sum(relu.counts.values()) == 6 == sum(leaky.counts.values())
    assert set(relu.outcomes) <= set(OUTCOMES)
    assert relu.fraction(*OUTCOMES) == 1.0
    assert relu.at_step(0).losses.shape == (6,)
    assert np.array_equal(relu.at_step(200).losses, relu.losses)
    with pytest.raises(ValueError, match="no snapshot at step 7"):
        relu.at_step(7)


def test_death_census_records_the_output_weight_at_death() -> None:
    census = death_census("relu", seeds=40, steps=100)
    assert census.deaths, "some unit of 40 seeds dies in 100 steps"
    for d in census.deaths:
        assert 0 < d.step <= 100
        assert np.isfinite(d.death_weight)
        assert np.isfinite(d.start_weight)
    # a dead unit gets no gradient: its output weight at death is its final weight
    runs = train_many(
        [Experiment(hidden=(2,), steps=100, frames=100, seed=d.seed) for d in census.deaths]
    )
    for d, run in zip(census.deaths, runs, strict=True):
        assert run.weights[1][-1, 0, d.unit] == pytest.approx(d.death_weight)
    assert str(WARM_UP_STEPS) in VARIANTS["warm_up"][0]


def test_outcome_of_a_hand_made_run() -> None:
    run = train(Experiment(hidden=(2,), steps=1, frames=1))
    for w, b, expected in [
        ([1.0, -1.0], [-1.0, -1.0], "both sides"),  # kinks at 1 and -1
        ([1.0, 1.0], [-1.0, -2.0], "one side"),
        ([1.0, 1.0], [-1.0, 9.0], "always on"),
        ([1.0, -1.0], [-1.0, -9.0], "dead"),
    ]:
        run.weights[0][-1, :, 0] = w
        run.biases[0][-1] = b
        assert outcome(run) == expected
