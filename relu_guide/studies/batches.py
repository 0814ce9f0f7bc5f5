"""Every model's batches for the batched engine, as :func:`relu_guide.train` draws its own.

:func:`draw_batches` fills the next steps of every model's inputs from its own generator
(seeded as :func:`relu_guide.core.training.batch_generator` seeds it) and evaluates the target
on them. The targets are evaluated as :func:`relu_guide.train` does it, in float64 and rounded to
float32, except for ``x²``, ``|x|`` and the step, whose float32 values on float32 inputs are
those very numbers (the rounding of one exact product, or exact) and are computed in float32
directly.

Examples
--------
>>> from relu_guide import Experiment
>>> from relu_guide.core.training import batch_generator
>>> xs, ys = draw_batches([batch_generator(0), batch_generator(1)], Experiment(), 3)
>>> tuple(xs.shape), bool(torch.equal(ys, xs**2))
((2, 3, 256), True)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from relu_guide.core.experiment import Experiment
from relu_guide.core.targets import get_target

__all__ = ["draw_batches"]


# Targets whose float32 value equals the float32 rounding of their float64 value on float32
# inputs (the rounding of one exact product, or exact: x², |x|, the step), by their numpy
# function: computed in float32 directly; each takes ``out=`` as torch does.
_EXACT_IN_FLOAT32: dict[object, Callable[..., torch.Tensor]] = {
    np.square: torch.square,
    np.abs: torch.abs,
    get_target("step").fn: lambda t, out=None: torch.gt(
        t, 0, out=torch.empty_like(t) if out is None else out
    ),
}


def draw_batches(
    gens: list[torch.Generator],
    exp: Experiment,
    n: int,
    buffers: tuple[torch.Tensor, torch.Tensor] | None = None,
) -> tuple[torch.Tensor, ...]:
    """The next ``n`` steps of every model's batches: inputs and targets ``(M, n, batch)``.

    Each generator is seeded as :func:`relu_guide.train` seeds its own, and drawing in chunks
    yields the same numbers as drawing all steps at once. The targets are those of
    :func:`relu_guide.train` too: evaluated in float64 and rounded to float32, except for
    ``x²``, ``|x|`` and the step, whose float32 values are the same numbers. ``buffers`` (inputs and
    targets, ``(M, n or more, batch)``) are filled instead of new tensors, when given.
    """
    lo, hi = exp.domain
    shape = (len(gens), n, exp.batch_size)
    xs = torch.empty(shape) if buffers is None else buffers[0][:, :n]
    for k, g in enumerate(gens):
        torch.rand((n, exp.batch_size), generator=g, out=xs[k])
    xs = xs.mul_(hi - lo).add_(lo)
    exact = _EXACT_IN_FLOAT32.get(exp.target_fn.fn)
    if exact is not None:
        return xs, exact(xs) if buffers is None else exact(xs, out=buffers[1][:, :n])
    ys = exp.target_fn(xs.numpy().astype(float))
    return xs, torch.from_numpy(ys.astype(np.float32))
