"""Forward and backward of many stacked nets by hand: the gradients of a training step, no graph.

:class:`StackedBackprop` computes, for ``M`` networks of one architecture whose parameters are
stacked on a leading model axis, every model's mean squared error on its own batch and the
gradient of that error with respect to every weight and bias: the same arithmetic as
autograd on the batched forward of :mod:`relu_guide.studies.engine`, written out. It works
*features-major*: a layer's activations are ``(M, units, batch)``, so every layer is one
``baddbmm`` of the stacked weights ``(M, out, in)`` as they are stored, and the backward is
two ``bmm`` per layer (weight gradient, then the gradient passed down), with the activation's
own backward kernel in between (``threshold_backward`` for ReLU, as autograd runs). All
buffers are allocated once; the activations are applied in place, model block by model block
(the models of a stack may use different hidden activations), so no step allocates or copies
a stacked tensor.

The gradients land in buffers the caller may hand in (views of packed parameters, say), so
that an optimizer reading ``p.grad`` and hooks reading or scaling it see them. The results
agree with autograd within float32 rounding (the tests compare them in float64).

Examples
--------
>>> import torch
>>> from relu_guide.core.activations import get_activation
>>> w = [torch.tensor([[[1.0], [-1.0]]]), torch.tensor([[[1.0, 1.0]]])]
>>> b = [torch.zeros(1, 2), torch.zeros(1, 1)]
>>> net = StackedBackprop(w, b, [(0, 1, get_activation("relu"))], None, batch=2)
>>> x, y = torch.tensor([[1.0, -2.0]]), torch.tensor([[1.0, 4.0]])
>>> net.gradients(x, y).tolist()  # |x| against x²: errors 0 and 2, mean square 2
[2.0]
>>> net.grad_b[1].tolist()  # d/db of the mean of (f - y)²: mean of 2 (f - y)
[[-2.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from relu_guide.core.activations import Activation

__all__ = ["SUPPORTED", "StackedBackprop", "supported"]

#: Activations with a hand-written backward here (by name; leaky ReLU with any slope).
SUPPORTED: tuple[str, ...] = ("relu", "leaky_relu", "sigmoid", "tanh")

#: Rows ``[start, stop)`` of the model axis that share one hidden activation.
Blocks = Sequence[tuple[int, int, Activation]]


def _kind(act: Activation) -> str:
    return "leaky_relu" if act.name.startswith("leaky_relu(") else act.name


def supported(act: Activation | None) -> bool:
    """True if :class:`StackedBackprop` knows this activation (None: no activation).

    Examples
    --------
    >>> from relu_guide.core.activations import get_activation
    >>> supported(get_activation("tanh")), supported(get_activation("gelu")), supported(None)
    (True, False, True)
    """
    return act is None or _kind(act) in SUPPORTED


def _forward_(act: Activation, z: torch.Tensor) -> None:
    """Apply the activation to ``z`` in place."""
    kind = _kind(act)
    if kind == "relu":
        torch.relu_(z)
    elif kind == "leaky_relu":
        torch.nn.functional.leaky_relu_(z, act.torch_args[0])
    elif kind == "sigmoid":
        torch.sigmoid_(z)
    else:
        torch.tanh_(z)


def _backward_(act: Activation, g: torch.Tensor, a: torch.Tensor) -> None:
    """``g`` times the activation's slope, in place, given its output ``a`` (autograd's kernels)."""
    kind = _kind(act)
    ops = torch.ops.aten
    if kind == "relu":
        ops.threshold_backward.grad_input(g, a, 0.0, grad_input=g)
    elif kind == "leaky_relu":
        ops.leaky_relu_backward.grad_input(g, a, act.torch_args[0], True, grad_input=g)
    elif kind == "sigmoid":
        ops.sigmoid_backward.grad_input(g, a, grad_input=g)
    else:
        ops.tanh_backward.grad_input(g, a, grad_input=g)


class StackedBackprop:
    """``M`` stacked MLPs (one input, one output): per-model loss and gradients, by hand.

    Parameters
    ----------
    weights : sequence of Tensor
        One per layer, shape ``(M, out, in)``; read, never written.
    biases : sequence of Tensor
        One per layer, shape ``(M, out)``.
    blocks : sequence of (start, stop, Activation)
        The hidden activation of each run of models, covering ``0..M``.
    output : Activation or None
        Applied after the last layer.
    batch : int
        Batch size: buffers are allocated for it once.
    grad_w, grad_b : sequence of Tensor, optional
        Where to write the gradients (shapes of ``weights`` and ``biases``, contiguous);
        fresh buffers by default.

    Raises
    ------
    ValueError
        If an activation has no hand-written backward here (see :func:`supported`).
    """

    def __init__(
        self,
        weights: Sequence[torch.Tensor],
        biases: Sequence[torch.Tensor],
        blocks: Blocks,
        output: Activation | None,
        *,
        batch: int,
        grad_w: Sequence[torch.Tensor] | None = None,
        grad_b: Sequence[torch.Tensor] | None = None,
    ) -> None:
        for act in [*(blk[2] for blk in blocks), output]:
            if not supported(act):
                msg = f"no hand-written backward for activation {act.name!r}"  # type: ignore[union-attr]
                raise ValueError(msg)
        self.weights = list(weights)
        self.biases = list(biases)
        self.blocks = list(blocks)
        self.output = output
        m, dtype = self.weights[0].shape[0], self.weights[0].dtype
        self.grad_w = list(grad_w) if grad_w is not None else [torch.empty_like(w) for w in weights]
        self.grad_b = list(grad_b) if grad_b is not None else [torch.empty_like(b) for b in biases]
        # Each layer's output, activated in place for hidden layers; then the gradients passed down.
        self.outs = [torch.empty(m, w.shape[1], batch, dtype=dtype) for w in self.weights]
        self.downs = [torch.empty(m, w.shape[2], batch, dtype=dtype) for w in self.weights[1:]]
        self.diff = torch.empty(m, batch, dtype=dtype)
        self.scale = 2.0 / batch

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Outputs ``(M, batch)`` for inputs ``(M, batch)`` (every layer's output kept)."""
        h = x[:, None, :]
        last = len(self.weights) - 1
        for i, (w, b, out) in enumerate(zip(self.weights, self.biases, self.outs, strict=True)):
            torch.baddbmm(b[:, :, None], w, h, out=out)
            if i < last:
                for start, stop, act in self.blocks:
                    _forward_(act, out[start:stop])
            elif self.output is not None:
                _forward_(self.output, out)
            h = out
        return h[:, 0, :]

    def gradients(
        self, x: torch.Tensor, y: torch.Tensor, loss: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Every model's mean squared error on its batch ``(x, y)``, each ``(M, batch)``.

        The gradients of each model's error go to :attr:`grad_w` and :attr:`grad_b`; the
        errors, shape ``(M,)``, are returned (written into ``loss`` if given).
        """
        f = self.forward(x)
        torch.sub(f, y, out=self.diff)
        losses = self.diff.square().mean(dim=1)
        if loss is not None:
            loss.copy_(losses)
            losses = loss
        g = self.diff.mul_(self.scale)[:, None, :]  # d(mean of squares)/d(output)
        if self.output is not None:
            _backward_(self.output, g, self.outs[-1])
        for i in range(len(self.weights) - 1, -1, -1):
            below = x[:, None, :] if i == 0 else self.outs[i - 1]
            torch.bmm(g, below.transpose(1, 2), out=self.grad_w[i])
            torch.sum(g, dim=2, out=self.grad_b[i])
            if i:
                g = torch.bmm(self.weights[i].transpose(1, 2), g, out=self.downs[i - 1])
                for start, stop, act in self.blocks:
                    _backward_(act, g[start:stop], below[start:stop])
        return losses
