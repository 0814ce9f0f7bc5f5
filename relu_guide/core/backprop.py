"""Forward and backward of a small MLP by hand: plain SGD on one batch with no autograd graph.

For the guide's nets (one input, one output, ReLU-family hidden units) torch's autograd spends
most of a step on bookkeeping: building the graph, then walking it. :class:`SgdMlp` does the
same arithmetic as ``nn.functional.mse_loss`` + ``backward()`` + ``torch.optim.SGD`` with the
same torch kernels (``addmm``, ``clamp_min`` for ReLU and its mask for the backward, ``mm``),
into buffers and views allocated once, so a step costs a handful of kernel calls. The results
agree with autograd within float32 rounding (the tests check gradients in float64 and float32,
and whole training runs), and are the same in every process.

Examples
--------
>>> import torch
>>> from relu_guide.core.backprop import SgdMlp
>>> w = [torch.tensor([[1.0], [-1.0]]), torch.tensor([[1.0, 1.0]])]
>>> b = [torch.zeros(2), torch.zeros(1)]
>>> net = SgdMlp(w, b, hidden="relu", output=None, batch=2)
>>> x, y = torch.tensor([[1.0], [-2.0]]), torch.tensor([[1.0], [4.0]])
>>> float(net.step(x, y, lr=0.0))  # |x| against x²: errors 0 and 2
2.0
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

__all__ = ["SUPPORTED", "SgdMlp"]

#: Activations the hand-written backward knows (by :attr:`~relu_guide.core.activations.Activation.name` prefix); ``None``
#: is no activation.
SUPPORTED: tuple[str, ...] = ("relu", "leaky_relu")


def _slope(name: str | None) -> float | None:
    """The negative-side slope of a supported activation (0 for ReLU); None for identity."""
    if name is None:
        return None
    if name == "relu":
        return 0.0
    if name.startswith("leaky_relu(slope=") and name.endswith(")"):
        return float(name[len("leaky_relu(slope=") : -1])
    msg = f"no hand-written backward for activation {name!r}"
    raise ValueError(msg)


def supports(hidden: str | None, output: str | None) -> bool:
    """True if :class:`SgdMlp` can train a net with these activation names."""
    try:
        _slope(hidden)
        _slope(output)
    except ValueError:
        return False
    return True


class SgdMlp:
    """An MLP whose parameters (torch tensors, updated in place) are trained by plain SGD.

    Parameters
    ----------
    weights, biases : sequence of torch.Tensor
        One per Linear layer, shapes ``(out, in)`` and ``(out,)``; updated in place.
    hidden : str or None
        Activation after every hidden layer: ``"relu"``, ``"leaky_relu(slope=s)"`` or None.
    output : str or None
        Activation after the last layer (same choices).
    batch : int
        Batch size: the buffers are allocated for it once.
    """

    def __init__(
        self,
        weights: Sequence[torch.Tensor],
        biases: Sequence[torch.Tensor],
        *,
        hidden: str | None,
        output: str | None,
        batch: int,
    ) -> None:
        self.weights = list(weights)
        self.biases = list(biases)
        n = len(self.weights)
        self.slopes = [_slope(hidden)] * (n - 1) + [_slope(output)]
        dtype = self.weights[0].dtype
        self.pre = [torch.empty(batch, w.shape[0], dtype=dtype) for w in self.weights]
        self.grad_w = [torch.empty_like(w) for w in self.weights]
        self.grad_b = [torch.empty_like(b) for b in self.biases]
        self.diff = torch.empty(batch, self.weights[-1].shape[0], dtype=dtype)
        self.loss = torch.empty((), dtype=dtype)
        self.scale = 2.0 / (batch * self.weights[-1].shape[0])
        # Every step writes into these buffers and views, made once: a step is then only its
        # kernel calls. The transposed views follow the in-place updates of the weights.
        self._weights_t = [w.t() for w in self.weights]
        self._out = [
            z if s is None else torch.empty_like(z)
            for z, s in zip(self.pre, self.slopes, strict=True)
        ]
        self._grad = [torch.empty_like(z) for z in self.pre]  # of the loss, by pre-activation
        self._grad_t = [g.t() for g in self._grad]
        self._mask = [torch.empty(z.shape, dtype=torch.bool) for z in self.pre]
        self._params = [*self.weights, *self.biases]
        self._grads = [*self.grad_w, *self.grad_b]

    def _act(self, i: int) -> torch.Tensor:
        """Layer ``i``'s activation of its pre-activation, into its buffer."""
        z, out, slope = self.pre[i], self._out[i], self.slopes[i]
        if slope == 0.0:
            torch.clamp_min(z, 0.0, out=out)  # what torch.relu runs, into the buffer
        elif slope is not None:
            torch._C._nn.leaky_relu(z, slope, out=out)
        return out

    def _act_backward(self, i: int) -> torch.Tensor:
        """The gradient by layer ``i``'s pre-activation, from the one by its output (in place)."""
        g, z, slope = self._grad[i], self.pre[i], self.slopes[i]
        if slope == 0.0:
            # What autograd runs for ReLU (threshold_backward: 0 where z <= 0, else g), in place.
            g.masked_fill_(torch.le(z, 0.0, out=self._mask[i]), 0.0)
        elif slope is not None:
            g.copy_(torch.ops.aten.leaky_relu_backward(g, z, slope, False))
        return g

    def gradients(
        self, x: torch.Tensor, y: torch.Tensor, loss: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Mean squared error on the batch; the gradients go to ``grad_w``, ``grad_b``.

        The loss is written to ``loss`` (a 0-d tensor, for example a slot of a run's losses)
        if given, else to a buffer of its own; either is returned.
        """
        out = self.loss if loss is None else loss
        h = x
        for i, (b, wt, z) in enumerate(zip(self.biases, self._weights_t, self.pre, strict=True)):
            torch.addmm(b, h, wt, out=z)
            h = self._act(i)
        torch.sub(h, y, out=self.diff)
        flat = self.diff.view(-1)
        torch.dot(flat, flat, out=out)
        out.mul_(0.5 * self.scale)  # mean of the squares
        last = len(self.weights) - 1
        torch.mul(self.diff, self.scale, out=self._grad[last])
        for i in range(last, -1, -1):
            g = self._act_backward(i)
            torch.mm(self._grad_t[i], self._out[i - 1] if i else x, out=self.grad_w[i])
            torch.sum(g, 0, out=self.grad_b[i])
            if i:
                torch.mm(g, self.weights[i], out=self._grad[i - 1])
        return out

    def step(
        self, x: torch.Tensor, y: torch.Tensor, lr: float, loss: torch.Tensor | None = None
    ) -> torch.Tensor:
        """One SGD step on the batch ``(x, y)``; returns the batch's loss before the step.

        ``loss``, a 0-d tensor, receives the loss if given (see :meth:`gradients`).
        """
        out = self.gradients(x, y, loss)
        # One call updates every parameter; on the CPU it runs ``p.add_(g, alpha=-lr)`` for
        # each, as torch.optim.SGD does.
        torch._foreach_add_(self._params, self._grads, alpha=-lr)
        return out
