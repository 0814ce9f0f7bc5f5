"""Forward and backward of a small MLP by hand: plain SGD on one batch with no autograd graph.

For the guide's nets (one input, one output, ReLU-family hidden units) torch's autograd spends
most of a step on bookkeeping: building the graph, then walking it. :class:`SgdMlp` does the
same arithmetic as ``nn.functional.mse_loss`` + ``backward()`` + ``torch.optim.SGD`` with the
same torch kernels (``addmm``, ``threshold_backward``, ``mm``), into buffers allocated once, so
a step costs a handful of kernel calls. The results agree with autograd within float32
rounding (the tests check gradients in float64 and float32, and whole training runs), and are
the same in every process.

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

    def _act(self, z: torch.Tensor, slope: float | None) -> torch.Tensor:
        if slope is None:
            return z
        if slope == 0.0:
            return torch.relu(z)
        return torch.nn.functional.leaky_relu(z, slope)

    def _act_backward(self, g: torch.Tensor, z: torch.Tensor, slope: float | None) -> torch.Tensor:
        if slope is None:
            return g
        grad: torch.Tensor
        if slope == 0.0:
            grad = torch.ops.aten.threshold_backward(g, z, 0.0)  # what autograd runs for ReLU
        else:
            grad = torch.ops.aten.leaky_relu_backward(g, z, slope, False)
        return grad

    def gradients(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Mean squared error on the batch; the gradients go to ``grad_w``, ``grad_b``."""
        inputs = [x]
        h = x
        for w, b, z, s in zip(self.weights, self.biases, self.pre, self.slopes, strict=True):
            torch.addmm(b, h, w.t(), out=z)
            h = self._act(z, s)
            inputs.append(h)
        torch.sub(h, y, out=self.diff)
        torch.dot(self.diff.view(-1), self.diff.view(-1), out=self.loss)
        self.loss.mul_(0.5 * self.scale)  # mean of the squares
        g = self.diff * self.scale
        for i in range(len(self.weights) - 1, -1, -1):
            g = self._act_backward(g, self.pre[i], self.slopes[i])
            torch.mm(g.t(), inputs[i], out=self.grad_w[i])
            torch.sum(g, 0, out=self.grad_b[i])
            if i:
                g = g.mm(self.weights[i])
        return self.loss

    def step(self, x: torch.Tensor, y: torch.Tensor, lr: float) -> torch.Tensor:
        """One SGD step on the batch ``(x, y)``; returns the batch's loss before the step."""
        loss = self.gradients(x, y)
        for p, g in zip(self.weights, self.grad_w, strict=True):
            p.add_(g, alpha=-lr)
        for p, g in zip(self.biases, self.grad_b, strict=True):
            p.add_(g, alpha=-lr)
        return loss
