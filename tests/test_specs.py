"""Every experiment and study of the guide is named once, and used by its name."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from relu_guide import Experiment, Run
from relu_guide.core.analysis import one_kink_per_side
from relu_guide.core.experiments import (
    LINEAR,
    ONE_NEURON,
    ORIGINAL_POST,
    SEEDS,
    TWENTY_NEURONS,
    TWO_NEURONS,
    first_seed,
    kink_inside,
    one_neuron_seed,
    two_neuron_seed,
    two_neuron_unlucky_seed,
)
from relu_guide.core.training import train
from relu_guide.studies.specs import STUDIES, WIDTH_SWEEP, Study
from relu_guide.studies.widths import width_sweep

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "gallery").rglob("plot_*.py"))
STUDY_FUNCTIONS = sorted({s.function.__name__ for s in STUDIES.values()} | {"train_many"})


def test_the_original_posts_four_nets() -> None:
    assert list(ORIGINAL_POST.values()) == [LINEAR, ONE_NEURON, TWO_NEURONS, TWENTY_NEURONS]
    assert [e.describe() for e in ORIGINAL_POST.values()] == [
        "Linear(1, 1)",
        "Linear(1, 1) → ReLU",
        "Linear(1, 2) → ReLU → Linear(2, 1)",
        "Linear(1, 20) → ReLU → Linear(20, 1)",
    ]
    for exp in ORIGINAL_POST.values():  # the original post's recipe
        assert (exp.target, exp.domain, exp.optimizer, exp.lr, exp.batch_size, exp.steps) == (
            "square",
            (-5.0, 5.0),
            "sgd",
            0.01,
            256,
            1000,
        )


@pytest.mark.parametrize(
    ("choose", "exp", "works", "want"),
    [
        (one_neuron_seed, ONE_NEURON, kink_inside, True),
        (two_neuron_seed, TWO_NEURONS, one_kink_per_side, True),
        (two_neuron_unlucky_seed, TWO_NEURONS, one_kink_per_side, False),
    ],
)
def test_each_seed_is_the_first_that_works(
    choose: Callable[[], int], exp: Experiment, works: Callable[[Run], bool], want: bool
) -> None:
    seed = choose()
    assert seed in SEEDS
    tried = SEEDS[: SEEDS.index(seed) + 1]
    verdicts = [works(train(exp.with_(seed=s))) is want for s in tried]
    assert verdicts == [False] * (len(tried) - 1) + [True]


def never(run: object) -> bool:
    return False


def test_first_seed_names_what_it_tried() -> None:
    with pytest.raises(LookupError, match=r"no seed in \[0, 1\] gives never == True for Linear"):
        first_seed(ONE_NEURON.with_(steps=2, frames=1), never, seeds=[0, 1])


def test_a_study_calls_its_function_with_its_parameters() -> None:
    assert WIDTH_SWEEP.function is width_sweep
    small = WIDTH_SWEEP.with_(widths=(1, 2), seeds=2, steps=30)
    assert small.kwargs == {"widths": (1, 2), "seeds": 2, "steps": 30}
    assert WIDTH_SWEEP.kwargs["steps"] == 3000  # the original is unchanged
    direct = width_sweep((1, 2), seeds=2, steps=30)
    assert (small.run().losses == direct.losses).all()
    assert isinstance(small, Study)
    assert "width_sweep(widths=(1, 2)" in repr(small)


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_gallery_scripts_use_the_names(script: Path) -> None:
    code = script.read_text()
    assert not re.search(r"\bExperiment\(", code), (
        f"{script.name}: use a named spec of core.experiments"
    )
    assert not re.search(r"^from relu_guide import .*\btrain\b", code, re.M), (
        f"{script.name}: train through relu_guide.studies.cache.train (computed once)"
    )
    for name in STUDY_FUNCTIONS:
        assert not re.search(rf"\b{name}\(", code), f"{script.name}: run studies.specs by name"
