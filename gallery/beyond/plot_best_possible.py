r"""
Best possible vs what SGD found
===============================

A one-hidden-layer ReLU net of width :math:`N` is a continuous piecewise-linear function with
at most :math:`N + 1` pieces, so no such net can beat the best :math:`(N + 1)`-piece fit. For
:math:`x^2` that optimum is known exactly: :math:`n` equal pieces on an interval of length
:math:`\ell` and a mean squared error of :math:`(\ell / n)^4 / 180`. This example trains nets of
widths 1 to 64 with twenty seeds each (printed and checked below), all at once, and sets their
errors against the best net of each width found by a search.
"""

# %%
# The best possible, exactly
# --------------------------
# :func:`~relu_guide.core.piecewise.best_piecewise_linear` optimises the knots numerically; for
# :math:`x^2` it must land on the closed form.

from relu_guide.core.claims import check
from relu_guide.core.piecewise import best_piecewise_linear, square_best_mse

for n in (2, 5, 17, 65):
    fit = best_piecewise_linear("square", n)
    print(f"{n:2d} pieces: solver {fit.mse:.6g}, closed form {square_best_mse(n):.6g}")
    check(
        "{n} pieces: the solver lands on the closed form (to 1e-9)",
        abs(fit.mse / square_best_mse(n) - 1) < 1e-9,
        n=n,
        solver=fit.mse,
    )

# %%
# All the nets at once
# --------------------
# :func:`~relu_guide.studies.widths.width_sweep` trains every width and seed as one batched model
# (each with the initial weights and batches :func:`~relu_guide.train` would use), then finds
# the best net of each width with :func:`~relu_guide.core.piecewise.best_relu_net`.

from relu_guide.drawing.study_figures import width_sweep_figure
from relu_guide.studies.specs import WIDTH_SWEEP

sweep = WIDTH_SWEEP.run()
print(f"{len(sweep.runs)} nets: widths {sweep.widths}, seeds {sweep.seeds}")
check(
    "the sweep: widths {first} to {last}, {n} seeds each",
    sweep.widths[0] == 1 and sweep.widths[-1] == 64 and len(sweep.seeds) == 20,
    first=sweep.widths[0],
    last=sweep.widths[-1],
    n=len(sweep.seeds),
)
for w, median, best in zip(sweep.widths, sweep.median, sweep.best, strict=True):
    print(f"width {w:2d}: SGD median {median:9.4g}   best found {best:9.4g}")

# %%
# On log-log axes a power law is a straight line, and its slope is the exponent. From
# width 8 on, SGD's median error falls on average like :math:`1/N` (a fitted slope near -1),
# but not along a straight line: each doubling divides it by less than the one before. The best
# possible falls nearly like :math:`1/N^4`, so the gap widens with every doubling.

import numpy as np

sgd, best = sweep.slope("sgd", min_width=8), sweep.slope("best", min_width=8)
from8 = np.array(sweep.widths) >= 8
gains = sweep.median[from8][:-1] / sweep.median[from8][1:]
print(f"fitted slopes from width 8: SGD {sgd:.2f}, best {best:.2f}")
print("each doubling divides SGD's median by", ", ".join(f"{g:.2f}" for g in gains))
check(
    "from width 8 on the SGD median's fitted log-log slope is {sgd:.2f} (between -1.25 and "
    "-0.75), the best's {best:.2f} (below -3.5)",
    -1.25 < sgd < -0.75 and best < -3.5,
    sgd=sgd,
    best=best,
    seeds=sweep.seeds,
)
check(
    "from width 8 on each doubling divides SGD's median by less than the one before ({gains})",
    bool(np.all(np.diff(gains) < 0)),
    gains=[round(float(g), 2) for g in gains],
    seeds=sweep.seeds,
)
gaps = sweep.median[from8] / sweep.best[from8]
check(
    "the gap between SGD and the best grows with every doubling from width 8 on",
    bool(np.all(np.diff(gaps) > 0)),
    gaps=gaps,
    seeds=sweep.seeds,
)
fig = width_sweep_figure(sweep)

# sphinx_gallery_thumbnail_number = 1
