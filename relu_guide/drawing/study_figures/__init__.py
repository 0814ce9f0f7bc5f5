"""Figures of the studies beyond the original post: results in, :class:`~matplotlib.figure.Figure` out.

One module per study: :mod:`~relu_guide.drawing.study_figures.widths`,
:mod:`~relu_guide.drawing.study_figures.dead`, :mod:`~relu_guide.drawing.study_figures.gradients`
and :mod:`~relu_guide.drawing.study_figures.depth`. Each function only draws: the numbers come
from :mod:`relu_guide.studies` and :mod:`relu_guide.core`, computed beforehand and passed in, so
a page can check the very numbers a figure shows.

Examples
--------
>>> from relu_guide.drawing.study_figures import sawtooth_figure
>>> fig = sawtooth_figure((1, 2, 3))
>>> len(fig.axes)
6
"""

from __future__ import annotations

from relu_guide.drawing.study_figures.dead import (
    OUTCOME_COLORS,
    OUTCOME_MARKERS,
    census_figure,
    kink_paths_figure,
)
from relu_guide.drawing.study_figures.depth import depth_figure, sawtooth_figure
from relu_guide.drawing.study_figures.gradients import (
    CONFIG_COLORS,
    activation_fits_figure,
    gradient_norms_figure,
)
from relu_guide.drawing.study_figures.widths import width_sweep_figure

__all__ = [
    "CONFIG_COLORS",
    "OUTCOME_COLORS",
    "OUTCOME_MARKERS",
    "activation_fits_figure",
    "census_figure",
    "depth_figure",
    "gradient_norms_figure",
    "kink_paths_figure",
    "sawtooth_figure",
    "width_sweep_figure",
]
