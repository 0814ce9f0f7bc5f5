"""Write the playground's fixtures, computed by relu_guide.core.reference, as JSON.

Usage: ``python tests/js/fixtures.py OUT.json``. The node tests (``playground.test.mjs``) and the
browser tests read them; ``tests/test_playground.py`` writes them to a temporary folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from relu_guide.core import reference as ref

#: Training runs the JavaScript must reproduce: one per activation, batch mode and target.
CASES: list[dict[str, Any]] = [
    {"target": "square", "width": 20, "activation": "relu", "lr": 0.01, "batch": "full", "seed": 0},
    {"target": "abs", "width": 5, "activation": "relu", "lr": 0.02, "batch": 32, "seed": 7},
    {"target": "cube", "width": 3, "activation": "leaky_relu", "lr": 0.01, "batch": "full", "seed": 3},
    {"target": "step", "width": 8, "activation": "leaky_relu", "lr": 0.05, "batch": 8, "seed": 11,
     "slope": 0.25},
    {"target": "sin", "width": 12, "activation": "tanh", "lr": 0.05, "batch": "full", "seed": 1},
    {"target": "square", "width": 64, "activation": "sigmoid", "lr": 0.01, "batch": 128, "seed": 2},
    {"target": "sin", "width": 1, "activation": "relu", "lr": 0.01, "batch": "full", "seed": 4},
]  # fmt: skip
STEPS = 60
CHECKPOINTS = (0, 1, 10, 60)


def _plain(params: ref.Params) -> dict[str, list[float] | float]:
    return {
        k: (float(v) if k == "b2" else [float(u) for u in np.ravel(v)]) for k, v in params.items()
    }


def fixtures() -> dict[str, object]:
    """Everything the JavaScript is compared with."""
    cases = []
    for case in CASES:
        slope = case.get("slope", ref.LEAKY_SLOPE)
        init = ref.initial_params(case["width"], case["seed"])
        run = ref.train(
            init, case["target"], STEPS, lr=case["lr"], activation=case["activation"], slope=slope,
            batch=case["batch"], seed=case["seed"], checkpoints=CHECKPOINTS,
        )  # fmt: skip
        batches = []
        if case["batch"] != "full":
            gen = ref.batch_indices(case["seed"], int(case["batch"]))
            batches = [next(gen).tolist() for _ in range(3)]
        cases.append(
            {
                **case,
                "slope": slope,
                "steps": STEPS,
                "init": _plain(init),
                "loss": run["loss"],
                "checkpoints": {str(k): _plain(p) for k, p in run["params"].items()},
                "kinks": {str(k): ref.kinks(p) for k, p in run["params"].items()},
                "batches": batches,
            }
        )
    x = ref.points()
    return {
        "points": x.tolist(),
        "targets": {name: ref.target_values(name, x).tolist() for name in ref.TARGETS},
        "uint32": {
            str(s): [ref.Mulberry32(s).next_uint32() for _ in range(1)] for s in (0, 1, 2**32 - 1)
        },
        "stream": [r.next_uint32() for r in [ref.Mulberry32(12345)] for _ in range(8)],
        "cases": cases,
    }


def write(path: Path) -> Path:
    """Write :func:`fixtures` to ``path`` (NaN kinks as null)."""
    text = json.dumps(fixtures(), allow_nan=True).replace("NaN", "null")
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    write(Path(sys.argv[1]))
