r"""
Vanishing gradients, measured
=============================

The gradient that reaches a layer is a product of one factor per layer above it. The sigmoid's
derivative is at most 1/4, so in a deep net that product shrinks layer after layer. This
example measures the gradient norm of every layer of a deep narrow net (8 hidden layers of 12
units) with sigmoid, tanh, ReLU and leaky ReLU, at initialisation and over training; then fits
the same shallow task with each activation side by side.
"""

# %%
# Deep and narrow
# ---------------
# :func:`~relu_guide.studies.gradients.vanishing_gradient_study` trains three seeds of each kind, all
# at once, recording :math:`\|\partial L / \partial W_i\|` for every layer. The last kind is
# ReLU with He initialisation (weights drawn :math:`\sqrt 6` times wider than torch's default).

from relu_guide.drawing.study_figures import activation_fits_figure, gradient_norms_figure
from relu_guide.studies.specs import ACTIVATION_FITS, GRADIENT_STUDY

studies = GRADIENT_STUDY.run()
for study in studies:
    print(
        f"{study.label:>14}: last layer / first layer at init = 10^{study.decades_lost:.1f}; "
        f"final MSE of the seeds {', '.join(f'{v:.3g}' for v in study.final_losses)}"
    )

# %%
# Top: the gradient of each layer at initialisation. With the sigmoid the first layer gets
# millions of times less than the last and the net never leaves the best flat line.
# With tanh, ReLU and leaky ReLU the loss is smaller but still real: it comes from torch's
# default initialisation, whose weights are too small to keep a signal's size through a
# ReLU. He initialisation makes every layer's gradient about the same. Bottom: the same
# norms over training, one colour map per kind.

fig = gradient_norms_figure(studies)

# %%
# One hidden layer: every activation works
# ----------------------------------------
# With a single hidden layer there is nothing to vanish through. Twenty units, same seed, same
# batches: all four fit :math:`x^2`; the smooth activations leave smooth errors, the ReLUs
# leave arcs that meet at their kinks.

fig = activation_fits_figure(ACTIVATION_FITS.run())

# sphinx_gallery_thumbnail_number = 1
