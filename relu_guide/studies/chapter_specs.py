"""The studies of the chapters on approximation, initialisation and two inputs, as named specs.

Each is a :class:`~relu_guide.studies.specs.Study`: the gallery example computes it, the guide
page that quotes its numbers reads the same result from the cache
(:mod:`relu_guide.studies.cache`).

Examples
--------
>>> from relu_guide.studies.chapter_specs import CHAPTER_STUDIES
>>> sorted(CHAPTER_STUDIES)[:2]
['approximation', 'deep regions']
"""

from __future__ import annotations

from relu_guide.core.plane import PlaneExperiment
from relu_guide.studies.approximation import approximation_study
from relu_guide.studies.initialisation import (
    depth_spread,
    initial_kinks,
    random_starts,
    symmetric_runs,
)
from relu_guide.studies.regions import region_counts
from relu_guide.studies.specs import Study

__all__ = [
    "APPROXIMATION",
    "BOWL_EIGHT",
    "CHAPTER_STUDIES",
    "DEEP_REGIONS",
    "DEPTH_SPREAD",
    "INITIAL_KINKS",
    "RANDOM_STARTS",
    "SHALLOW_REGIONS",
    "SYMMETRIC_STARTS",
]

#: Interpolants and trained nets of 5 to 33 units for sin, ``|x|`` and a step, 20 seeds each.
APPROXIMATION = Study.of(
    "approximation",
    approximation_study,
    targets=("sin", "abs", "step"),
    units=(5, 9, 17, 33),
    seeds=range(20),
    steps=800,
)
#: Eight units started identical, then nudged by 1e-6 and 1e-3: 20 seeds each, plain SGD.
SYMMETRIC_STARTS = Study.of(
    "symmetric starts",
    symmetric_runs,
    width=8,
    seeds=range(20),
    perturbations=(0.0, 1e-6, 1e-3),
    steps=1500,
    frames=30,
)
#: The same nets from torch's random start.
RANDOM_STARTS = Study.of(
    "random starts", random_starts, width=8, seeds=range(20), steps=1500, frames=30
)
#: The first layer's kinks of the twenty-unit net at initialisation, 2000 seeds.
INITIAL_KINKS = Study.of(
    "initial kinks, twenty neurons", initial_kinks, seeds=range(2000), width=20
)
#: Forward and backward spread through 20 layers of 64 units, 20 seeds per configuration.
DEPTH_SPREAD = Study.of(
    "depth spread", depth_spread, depth=20, width=64, seeds=range(20), batch_size=512
)
#: The two-input net whose regions the gallery animates: eight units on the bowl x² + y² over
#: [-2, 2]², Adam at learning rate 0.01, batches of 256, 1000 steps, seed 0.
BOWL_EIGHT = PlaneExperiment(
    target="bowl", domain=(-2.0, 2.0), hidden=(8,), optimizer="adam", lr=0.01, batch_size=256,
    steps=1000, frames=50, seed=0,
)  # fmt: skip
#: Region counts of one-layer two-input nets, 20 seeds per width.
SHALLOW_REGIONS = Study.of(
    "shallow regions", region_counts, hidden=((2,), (4,), (8,), (16,)), seeds=range(20)
)
#: Region counts of two-input nets of 24 units in one to four layers, 20 seeds each.
DEEP_REGIONS = Study.of(
    "deep regions",
    region_counts,
    hidden=((24,), (12, 12), (8, 8, 8), (6, 6, 6, 6)),
    seeds=range(20),
)

#: Every study of the three chapters, by name.
CHAPTER_STUDIES: dict[str, Study] = {
    s.name: s
    for s in (
        APPROXIMATION,
        SYMMETRIC_STARTS,
        RANDOM_STARTS,
        INITIAL_KINKS,
        DEPTH_SPREAD,
        SHALLOW_REGIONS,
        DEEP_REGIONS,
    )
}
