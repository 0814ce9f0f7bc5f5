"""The playground's files and the data it is built with: presets and the best errors.

``playground.js`` (the ``<relu-playground>`` element, one plain ES module) and ``playground.css``
live in this folder, :data:`STATIC_DIR`. The page embeds, as JSON, what only relu_guide can
compute (:func:`page_data`):

- **presets**: the initial weights of the guide's one-, two- and twenty-unit runs, exactly
  those :func:`relu_guide.core.training.build_model` gives the nets the animations start from
  (torch's float32 initialisation, widened to float64 exactly). The guide's one-unit net is
  ``Linear(1, 1) → ReLU`` with no output layer; its preset adds the output layer as ``w2 = 1``,
  ``b2 = 0``, the same function at the start, which the playground then trains too.
- **line**: per target, the error of the best straight line,
  :func:`relu_guide.core.analysis.best_affine_mse` (500/9 for ``x²``);
- **best**: per target and width, the error of the best net of that width found by
  :func:`relu_guide.core.piecewise.best_relu_net` (chapter 5's optimum). A full table of widths
  1 to 64 takes about half a minute, too slow for every build, so it is computed for the preset
  widths :data:`~relu_guide.core.reference.BEST_WIDTHS` only; the widget draws the line where
  it has it.

Both errors are averages over the whole interval; the playground's loss is the mean over its 256
midpoints, which differs from it by a fraction of a percent for these targets.

Examples
--------
>>> STATIC_DIR.joinpath("playground.js").is_file()
True
>>> sorted(PRESET_RUNS)
['one', 'twenty', 'two']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from relu_guide.core import reference

__all__ = ["PRESET_RUNS", "STATIC_DIR", "PresetRun", "page_data", "preset"]

#: The folder holding ``playground.js`` and ``playground.css``.
#:
#: :meta hide-value:
STATIC_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PresetRun:
    """One of the guide's nets the playground can start from.

    Attributes
    ----------
    label : str
        How the preset menu names it.
    spec : str
        Its name in :mod:`relu_guide.core.experiments`.
    seed : str or None
        The function of :mod:`relu_guide.core.experiments` that picks its seed, as the guide
        does (``None``: the spec's own seed).
    """

    label: str
    spec: str
    seed: str | None


#: The guide's nets, by their names in relu_guide.core.experiments.
PRESET_RUNS: dict[str, PresetRun] = {
    "one": PresetRun("the guide's one-unit net", "ONE_NEURON", "one_neuron_seed"),
    "two": PresetRun("the guide's two-unit net", "TWO_NEURONS", "two_neuron_seed"),
    "twenty": PresetRun("the guide's twenty-unit net", "TWENTY_NEURONS", None),
}


@functools.cache
def preset(name: str) -> dict[str, Any]:
    """The initial weights of one of :data:`PRESET_RUNS`, as plain floats, with its seed.

    Examples
    --------
    >>> p = preset("twenty")
    >>> p["seed"], len(p["w1"]), p["target"]
    (0, 20, 'square')
    """
    if name not in PRESET_RUNS:
        msg = f"unknown preset {name!r}; choose one of: {', '.join(PRESET_RUNS)}"
        raise ValueError(msg)
    import torch

    from relu_guide.core import experiments
    from relu_guide.core.training import build_model
    from relu_guide.studies import cache

    run = PRESET_RUNS[name]
    torch.set_num_threads(1)
    spec = getattr(experiments, run.spec)
    # The seed as the guide picks it, from the runs the gallery caches on disk.
    seed = spec.seed if run.seed is None else getattr(experiments, run.seed)(train=cache.train)
    linears = [m for m in build_model(spec.with_(seed=seed)) if isinstance(m, torch.nn.Linear)]
    w1 = linears[0].weight.detach().numpy()[:, 0].astype(float)
    b1 = linears[0].bias.detach().numpy().astype(float)
    if len(linears) == 2:
        w2 = linears[1].weight.detach().numpy()[0].astype(float)
        b2 = float(linears[1].bias.detach().numpy()[0])
    else:
        w2, b2 = np.ones(1), 0.0
    return {
        "label": run.label,
        "seed": seed,
        "target": "square",
        "w1": w1.tolist(),
        "b1": b1.tolist(),
        "w2": w2.tolist(),
        "b2": b2,
    }


@functools.cache
def page_data() -> dict[str, Any]:
    """What the page embeds for the widget: presets, the best line, the best net per width.

    Computed once per process; the best errors are a study
    (:data:`relu_guide.studies.specs.BEST_NET_ERRORS`, about two seconds), computed with the
    others before the pages are read.
    """
    from relu_guide.core.analysis import best_affine_mse
    from relu_guide.studies.specs import BEST_NET_ERRORS

    return {
        "presets": {name: preset(name) for name in PRESET_RUNS},
        "line": {t: best_affine_mse(t) for t in reference.TARGETS},
        "best": BEST_NET_ERRORS.run(),
    }
