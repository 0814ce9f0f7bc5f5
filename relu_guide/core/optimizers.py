"""Plain SGD and Adam, the arithmetic of ``torch.optim`` without its start-up cost.

Constructing the first ``torch.optim`` optimizer of a process imports ``torch._dynamo`` (the
optimizers are wrapped to keep the compiler out): about two seconds here, paid by every
process that trains, and the docs build trains in about twenty (gallery workers, notebook
kernels). These two classes do the same element-wise updates, with the same torch kernels in
the same order as ``torch.optim.SGD`` and ``torch.optim.Adam`` with ``foreach=False`` and
their defaults otherwise, so the parameters they produce are bit-identical to torch's (the
tests compare them step by step).

Examples
--------
>>> import torch
>>> p = torch.tensor([1.0, -2.0], requires_grad=True)
>>> opt = Adam([p], lr=0.1)
>>> (p ** 2).sum().backward()
>>> opt.step()
>>> [round(v, 6) for v in p.detach().tolist()]  # Adam's first step: lr against the gradient
[0.9, -1.9]
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

__all__ = ["SGD", "Adam", "make_optimizer"]


class _Optimizer:
    """Parameters updated in place at a learning rate; gradients forgotten as torch does."""

    def __init__(self, params: Sequence[torch.Tensor], lr: float) -> None:
        self.params = list(params)
        self.lr = float(lr)

    def zero_grad(self) -> None:
        """Forget the gradients (``set_to_none=True``, as torch does by default)."""
        for p in self.params:
            p.grad = None


class SGD(_Optimizer):
    """Plain stochastic gradient descent: ``p -= lr * p.grad`` (``torch.optim.SGD``'s defaults).

    Parameters
    ----------
    params : sequence of Tensor
        Leaf tensors that require grad; updated in place.
    lr : float
        Learning rate.

    Examples
    --------
    >>> p = torch.tensor([1.0], requires_grad=True)
    >>> opt = SGD([p], lr=0.5)
    >>> (3 * p).sum().backward(); opt.step(); p.detach().tolist()
    [-0.5]
    """

    @torch.no_grad()
    def step(self) -> None:
        """One update of every parameter that has a gradient."""
        for p in self.params:
            if p.grad is not None:
                p.add_(p.grad, alpha=-self.lr)


class Adam(_Optimizer):
    """Adam (Kingma & Ba) with torch's defaults: betas (0.9, 0.999), eps 1e-8, no decay.

    Parameters
    ----------
    params : sequence of Tensor
        Leaf tensors that require grad; updated in place.
    lr : float
        Learning rate.

    Examples
    --------
    >>> p = torch.tensor([3.0], requires_grad=True)
    >>> opt = Adam([p], lr=0.01)
    >>> for _ in range(3):
    ...     opt.zero_grad(); (p ** 2).sum().backward(); opt.step()
    >>> round(p.item(), 4), opt.steps
    (2.97, 3)
    """

    betas = (0.9, 0.999)
    eps = 1e-8

    def __init__(self, params: Sequence[torch.Tensor], lr: float) -> None:
        super().__init__(params, lr)
        self.steps = 0
        self._avg = [torch.zeros_like(p) for p in self.params]
        self._avg_sq = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self) -> None:
        """One update of every parameter that has a gradient (torch's single-tensor Adam)."""
        beta1, beta2 = self.betas
        self.steps += 1
        step_size = self.lr / (1 - beta1**self.steps)
        correction2_sqrt = (1 - beta2**self.steps) ** 0.5
        for p, avg, avg_sq in zip(self.params, self._avg, self._avg_sq, strict=True):
            grad = p.grad
            if grad is None:
                continue
            avg.lerp_(grad, 1 - beta1)
            avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = (avg_sq.sqrt() / correction2_sqrt).add_(self.eps)
            p.addcdiv_(avg, denom, value=-step_size)


def make_optimizer(name: str, params: Sequence[torch.Tensor], lr: float) -> SGD | Adam:
    """The optimizer an :class:`~relu_guide.Experiment` names (``"sgd"`` or ``"adam"``).

    Examples
    --------
    >>> type(make_optimizer("adam", [torch.zeros(1, requires_grad=True)], 0.01)).__name__
    'Adam'
    """
    if name == "adam":
        return Adam(params, lr)
    if name == "sgd":
        return SGD(params, lr)
    msg = f"optimizer must be 'sgd' or 'adam', got {name!r}"
    raise ValueError(msg)
