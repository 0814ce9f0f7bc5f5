r"""
Vanishing gradients, measured
=============================

The gradient that reaches a layer is a product of one factor per layer above it. The sigmoid's
derivative is at most 1/4, so in a deep net that product shrinks layer after layer. This
example measures the gradient norm of every layer of a deep narrow net (8 hidden layers of 12
units) with sigmoid, tanh and ReLU, each at torch's default initialisation and at the one made
for it, at initialisation and over training; then fits the same shallow task with each
activation side by side.
"""

# %%
# Deep and narrow
# ---------------
# :func:`~relu_guide.studies.gradients.vanishing_gradient_study` trains many seeds of each kind,
# all at once, recording :math:`\|\partial L / \partial W_i\|` for every layer. The matched
# initialisations draw weights wider than torch's default: :math:`\sqrt 3` times for tanh
# (LeCun's), :math:`\sqrt 6` for ReLU (He's), :math:`4 \sqrt 3` for the sigmoid.

import numpy as np

from relu_guide.core.claims import check
from relu_guide.drawing.study_figures import activation_fits_figure, gradient_norms_figure
from relu_guide.studies.specs import ACTIVATION_FITS, GRADIENT_STUDY

studies = GRADIENT_STUDY.run()
for study in studies:
    print(
        f"{study.label:>22}: last layer / first layer at init = 10^{study.decades_lost:.1f}; "
        f"median final MSE {np.median(study.final_losses):.3g} over "
        f"{len(study.final_losses)} seeds"
    )
gap = {s.label: s.decades_lost for s in studies}
check(
    "at initialisation the sigmoid's first layer gets over a million times less gradient "
    "than its last",
    gap["sigmoid"] > 6,
    decades=gap["sigmoid"],
    seeds=range(len(studies[0].final_losses)),
)
check(
    "tanh and ReLU at their matched initialisations: under 1 decade of gap",
    abs(gap["tanh, LeCun"]) < 1 and abs(gap["ReLU, He init"]) < 1,
    tanh=gap["tanh, LeCun"],
    relu=gap["ReLU, He init"],
    seeds=range(len(studies[0].final_losses)),
)

# %%
# Top: the gradient of each layer at initialisation. With the sigmoid at torch's default the
# first layer gets millions of times less than the last (checked above). With tanh and ReLU
# the loss is smaller but still real: it comes from torch's default initialisation, whose
# weights are too small to keep a signal's size from layer to layer. The initialisation made
# for each activation makes every layer's gradient about the same. Bottom: the same norms over
# training, one colour map per kind.

fig = gradient_norms_figure(studies)

# %%
# One hidden layer: every activation works
# ----------------------------------------
# With a single hidden layer there is no long product to vanish through. Twenty units, seed 0,
# same batches: all four fit :math:`x^2`; the smooth activations leave smooth errors, the ReLUs
# leave arcs that meet at their kinks.

fits = ACTIVATION_FITS.run()
check(
    "seed 0, one hidden layer: all four activations end below 1/50 of the best line's error",
    all(r.losses[-1] < 500 / 9 / 50 for r in fits),
    errors=[float(r.losses[-1]) for r in fits],
    seeds=[0],
)
fig = activation_fits_figure(fits)

# sphinx_gallery_thumbnail_number = 1
