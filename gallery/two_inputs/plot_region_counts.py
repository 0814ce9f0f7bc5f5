r"""
How many regions do trained nets make?
======================================

:math:`N` lines cut the plane into at most :math:`1 + N + N(N-1)/2` pieces, so a one-hidden-layer
net of :math:`N` units has at most that many linear regions; stacking layers multiplies the
bound. This example trains twenty seeds of each architecture on the bowl
:math:`x_1^2 + x_2^2` (Adam, learning rate 0.01, 500 steps, batches of 256, all seeds at once),
counts every net's regions exactly, at initialisation and after training, and sets them against
the bounds.
"""

# %%
# One hidden layer
# ----------------
# :func:`~relu_guide.studies.regions.region_counts` trains and counts.

import numpy as np

from relu_guide.core.claims import check
from relu_guide.core.regions import one_layer_bound
from relu_guide.drawing.plane_figures import region_counts_figure
from relu_guide.studies.chapter_specs import DEEP_REGIONS, SHALLOW_REGIONS

shallow = SHALLOW_REGIONS.run()
deep = DEEP_REGIONS.run()
exp = shallow.runs[0].experiment
print(
    f"{len(shallow.seeds)} and {len(deep.seeds)} seeds per architecture; {exp.optimizer}, "
    f"learning rate {exp.lr}, {exp.steps} steps, batches of {exp.batch_size}, target {exp.target}"
)
assert (len(shallow.seeds), len(deep.seeds)) == (20, 20)  # as said above
assert (exp.optimizer, exp.lr, exp.steps, exp.batch_size) == ("adam", 0.01, 500, 256)
assert exp.target == "bowl"
assert all(r.experiment == exp.with_(hidden=r.experiment.hidden, seed=r.experiment.seed)
           for r in shallow.runs + deep.runs)  # every net trained the same way  # fmt: skip
for h, start, end, bound in zip(
    shallow.hidden, shallow.initial, shallow.final, shallow.bounds, strict=True
):
    print(
        f"{h[0]:2d} units: median {np.median(start):5.1f} at start, {np.median(end):5.1f} trained; bound {bound}"
    )
check(
    "a theorem, as a test of the region counter: no one-layer net, at initialisation or trained, "
    "exceeds 1 + N + N(N-1)/2 ({nets} nets)",
    bool(
        (shallow.final <= shallow.bounds[:, None]).all()
        and (shallow.initial <= shallow.bounds[:, None]).all()
    ),
    nets=shallow.final.size,
    seeds=shallow.seeds,
)

# %%
# Same units, more layers
# -----------------------
# Twenty-four units as one layer, two of 12, three of 8 and four of 6. The bound grows from 301
# to 234,256; the trained nets do not follow it.

assert deep.hidden == ((24,), (12, 12), (8, 8, 8), (6, 6, 6, 6))  # as said above
assert (deep.bounds[0], deep.bounds[-1]) == (301, 234_256)
assert (one_layer_bound(24), one_layer_bound(6) ** 4) == (301, 234_256)
for h, end, bound in zip(deep.hidden, deep.final, deep.bounds, strict=True):
    print(
        f"{'x'.join(map(str, h)):>9}: trained median {np.median(end):6.1f}, max {end.max():4d}; bound {bound:,}"
    )
most = int(deep.final[1:].max())
check(
    "the most regions any trained deeper net of 24 units made is {most}: fewer than the {one} one "
    "layer of 24 can make, and under a twentieth of the smallest deeper bound ({low:,})",
    most < one_layer_bound(24) and most < deep.bounds[1:].min() / 20,
    most=most,
    one=one_layer_bound(24),
    low=int(deep.bounds[1:].min()),
    seeds=deep.seeds,
)
fig = region_counts_figure(shallow, deep)
