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

from collections.abc import Callable, Sequence

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


def _forward_fn(act: Activation) -> Callable[[torch.Tensor], object]:
    """The activation, applied in place."""
    kind = _kind(act)
    if kind == "leaky_relu":
        slope = act.torch_args[0]
        return lambda z: torch.nn.functional.leaky_relu_(z, slope)
    return {"relu": torch.relu_, "sigmoid": torch.sigmoid_, "tanh": torch.tanh_}[kind]


def _backward_fn(act: Activation) -> Callable[[torch.Tensor, torch.Tensor], object]:
    """``(g, a) ->`` g times the activation's slope, in place, given its output ``a``
    (autograd's own kernels)."""
    kind = _kind(act)
    ops = torch.ops.aten
    if kind == "relu":
        return lambda g, a: ops.threshold_backward.grad_input(g, a, 0.0, grad_input=g)
    if kind == "leaky_relu":
        slope = act.torch_args[0]
        return lambda g, a: ops.leaky_relu_backward.grad_input(g, a, slope, True, grad_input=g)
    if kind == "sigmoid":
        return lambda g, a: ops.sigmoid_backward.grad_input(g, a, grad_input=g)
    return lambda g, a: ops.tanh_backward.grad_input(g, a, grad_input=g)


class StackedBackprop:
    """``M`` stacked MLPs with one output: per-model loss and gradients, by hand.

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
        downs = [torch.empty(m, w.shape[2], batch, dtype=dtype) for w in self.weights[1:]]
        self.diff = torch.empty(m, batch, dtype=dtype)
        self._square = torch.empty(m, batch, dtype=dtype)
        self.scale = 2.0 / batch
        last = len(self.weights) - 1
        with torch.no_grad():  # views made once (the parameters change in place)
            # Per layer: bias (M, out, 1), weights, output, in-place activations of its blocks.
            self._forward_plan = [
                (
                    b[:, :, None],
                    w,
                    out,
                    [(_forward_fn(act), out[a:z]) for a, z, act in self.blocks]
                    if i < last
                    else ([] if output is None else [(_forward_fn(output), out)]),
                )
                for i, (w, b, out) in enumerate(
                    zip(self.weights, self.biases, self.outs, strict=True)
                )
            ]
            # Per layer from the last: weight and bias gradients, the layer's input transposed
            # (None: the network's input), and for all but the first layer the weights
            # transposed, the buffer of the gradient passed down, and its activations' backward.
            self._backward_plan = [
                (
                    self.grad_w[i],
                    self.grad_b[i],
                    None if i == 0 else self.outs[i - 1].transpose(1, 2),
                    None if i == 0 else self.weights[i].transpose(1, 2),
                    None if i == 0 else downs[i - 1],
                    []
                    if i == 0
                    else [
                        (_backward_fn(act), downs[i - 1][a:z], self.outs[i - 1][a:z])
                        for a, z, act in self.blocks
                    ],
                )
                for i in range(last, -1, -1)
            ]
        self._output_backward = None if output is None else _backward_fn(output)
        self._g = self.diff[:, None, :]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Outputs ``(M, batch)`` for inputs ``(M, batch)`` (one input) or ``(M, inputs, batch)``
        (every layer's output kept)."""
        h = x[:, None, :] if x.dim() == 2 else x
        for bias, w, out, acts in self._forward_plan:
            torch.baddbmm(bias, w, h, out=out)
            for fn, view in acts:
                fn(view)
            h = out
        return h[:, 0, :]

    def gradients(
        self, x: torch.Tensor, y: torch.Tensor, loss: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Every model's mean squared error on its batch: inputs ``x`` ``(M, batch)`` or
        ``(M, inputs, batch)``, targets ``y`` ``(M, batch)``.

        The gradients of each model's error go to ``grad_w`` and ``grad_b``; the
        errors, shape ``(M,)``, are returned (written into ``loss`` if given).
        """
        diff = torch.sub(self.forward(x), y, out=self.diff)
        losses = torch.mean(torch.mul(diff, diff, out=self._square), 1, out=loss)
        diff.mul_(self.scale)  # d(mean of squares)/d(output)
        g = self._g
        if self._output_backward is not None:
            self._output_backward(g, self.outs[-1])
        for grad_w, grad_b, below_t, w_t, down, acts in self._backward_plan:
            # The input as a transposed row (M, batch, 1): as a column of a (M, batch) tensor
            # (x[:, :, None]) the same bmm runs several times slower.
            if below_t is None:
                below_t = (x[:, None, :] if x.dim() == 2 else x).transpose(1, 2)  # noqa: PLW2901
            torch.bmm(g, below_t, out=grad_w)
            torch.sum(g, dim=2, out=grad_b)
            if w_t is not None:
                if w_t.shape[2] == 1:  # one output: an outer product, as bmm computes it
                    g = torch.mul(w_t, g, out=down)
                else:
                    g = torch.bmm(w_t, g, out=down)
                for fn, g_block, a_block in acts:
                    fn(g_block, a_block)
        return losses
