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

from relu_guide import get_activation
from relu_guide.core.claims import check
from relu_guide.drawing.study_figures import activation_fits_figure, gradient_norms_figure
from relu_guide.studies.gradients import HE_SCALE, LECUN_SCALE, SIGMOID_SCALE
from relu_guide.studies.specs import ACTIVATION_FITS, GRADIENT_STUDY

x = np.linspace(-10, 10, 200_001)
peak = float(get_activation("sigmoid").derivative(x).max())
check("the sigmoid's derivative is at most 1/4", np.isclose(peak, 0.25), peak=peak)
studies = GRADIENT_STUDY.run()
exp = studies[0].record.runs[0].experiment
print(
    f"{len(exp.hidden)} hidden layers of {exp.hidden[0]} units; scales: tanh {LECUN_SCALE:.3f}, "
    f"ReLU {HE_SCALE:.3f}, sigmoid {SIGMOID_SCALE:.3f}"
)
check(
    "the net: 8 hidden layers of 12 units; the matched scales are √3 (tanh), √6 (ReLU) and "
    "4√3 (sigmoid) times torch's default",
    exp.hidden == (12,) * 8
    and np.isclose(LECUN_SCALE, np.sqrt(3))
    and np.isclose(HE_SCALE, np.sqrt(6))
    and np.isclose(SIGMOID_SCALE, 4 * np.sqrt(3)),
    hidden=list(exp.hidden),
)
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
# weights are too small to keep a signal's size from layer to layer. For tanh and ReLU, the
# initialisation made for each makes every layer's gradient about the same (checked above); the
# sigmoid, scaled, still loses more than two decades (printed above, checked below). Bottom: the
# same norms over training, one colour map per kind.

check(
    "tanh and ReLU at torch's default: gaps of {tanh:.1f} and {relu:.1f} decades (between 1.5 "
    "and 4)",
    1.5 < gap["tanh"] < 4 and 1.5 < gap["ReLU"] < 4,
    tanh=gap["tanh"],
    relu=gap["ReLU"],
    seeds=range(len(studies[0].final_losses)),
)
check(
    "the sigmoid, scaled: still {decades:.1f} decades of gap at initialisation (over 2)",
    gap["sigmoid, scaled"] > 2,
    decades=gap["sigmoid, scaled"],
    seeds=range(len(studies[0].final_losses)),
)
fig = gradient_norms_figure(studies)

# %%
# One hidden layer, seed 0: all four fit
# --------------------------------------
# With a single hidden layer there is no long product to vanish through. Twenty units, one run
# per activation from seed 0 (an illustration, not a measurement over seeds), same batches: all
# four fit :math:`x^2`; the smooth activations leave smooth errors, the ReLUs
# leave arcs that meet at their kinks.

fits = ACTIVATION_FITS.run()
check(
    "seed 0, one hidden layer of 20 units: all four activations end below 1/50 of the best "
    "line's error",
    all(r.experiment.seed == 0 and r.experiment.hidden == (20,) for r in fits)
    and all(r.losses[-1] < 500 / 9 / 50 for r in fits),
    errors=[float(r.losses[-1]) for r in fits],
    seeds=[0],
)
fig = activation_fits_figure(fits)

# sphinx_gallery_thumbnail_number = 1
