r"""Formulas in ``x`` typed by a user, parsed by a whitelist and never evaluated as Python.

This module holds one idea, over 400 lines: a typed formula read safely, from the whitelist
to the numpy callable and its LaTeX.

:func:`parse_formula` reads a string such as ``"sin(3*x) + x**2/4"`` with :func:`ast.parse`
and walks the tree, accepting only numbers, the variable ``x``, the constants ``pi`` and ``e``,
the operators ``+ - * / **`` and calls of a few numpy functions by name
(:data:`FUNCTIONS`). Everything else (attribute access, imports, subscripts, keywords, strings,
lambdas, comprehensions, double-underscore names, exponents that are not a small constant) is
refused with a :class:`FormulaError` naming the offending piece. The accepted tree is compiled
into a closure over numpy functions: ``eval`` and ``exec`` are never called.

Examples
--------
>>> import numpy as np
>>> from relu_guide.core.formula import parse_formula
>>> f = parse_formula("sin(3*x) + x**2/4")
>>> f(np.array([0.0, 2.0])).round(4)
array([0.    , 0.7206])
>>> print(f.latex)
\sin(3x) + \frac{x^{2}}{4}
>>> parse_formula("x.__class__")
Traceback (most recent call last):
...
relu_guide.core.formula.FormulaError: attribute access is not allowed: x.__class__
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from relu_guide.core.names import CONSTANTS, FORMULA_FUNCTIONS

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NUMBER",
    "Formula",
    "FormulaError",
    "parse_formula",
]

#: Longest formula accepted, in characters.
MAX_LENGTH = 200
#: Largest magnitude of a number written in a formula.
MAX_NUMBER = 1e6
#: Largest magnitude of a constant exponent.
MAX_EXPONENT = 10


_Fn = Callable[..., np.ndarray]


def _relu(a: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.maximum(a, 0.0)
    return out


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * a))


#: Functions a formula may call: name -> (numpy function, number of arguments, LaTeX form).
#: In the LaTeX form, ``{0}`` and ``{1}`` stand for the arguments.
#: Functions a formula may call: name -> (numpy function, number of arguments, LaTeX form),
#: from :data:`relu_guide.core.names.FORMULA_FUNCTIONS`.
FUNCTIONS: dict[str, tuple[_Fn, int, str]] = {
    name: ({"relu": _relu, "sigmoid": _sigmoid}.get(name) or getattr(np, name), arity, latex)
    for name, (arity, latex) in FORMULA_FUNCTIONS.items()
}


class FormulaError(ValueError):
    """A formula that is not allowed or cannot be parsed; the message names the bad piece."""


@dataclass(frozen=True)
class Formula:
    """A parsed formula in ``x``: call it on a numpy array.

    Parameters
    ----------
    text : str
        The formula as typed (stripped).
    latex : str
        The formula in LaTeX (mathtext-compatible), without dollar signs.

    Examples
    --------
    >>> f = parse_formula("maximum(x, 0)")
    >>> f(np.array([-1.0, 2.0]))
    array([0., 2.])
    >>> parse_formula("2")(np.zeros(3))
    array([2., 2., 2.])
    """

    text: str
    latex: str = field(compare=False)
    _fn: Callable[[np.ndarray], np.ndarray] = field(repr=False, compare=False)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Evaluate on ``x``; the result has the shape of ``x`` and may hold nan or inf.

        Floating-point warnings are silenced: callers such as :class:`relu_guide.Target`
        check the values and name the formula when they are not finite.
        """
        x = np.asarray(x, dtype=float)
        with np.errstate(all="ignore"):
            y = np.asarray(self._fn(x), dtype=float)
        return np.broadcast_to(y, x.shape).copy() if y.shape != x.shape else y


# --- parsing -------------------------------------------------------------------------------

# Kinds of node refused outright, with the start of their error message.
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access is",
    ast.Subscript: "subscripts are",
    ast.Lambda: "lambda is",
    ast.ListComp: "comprehensions are",
    ast.SetComp: "comprehensions are",
    ast.DictComp: "comprehensions are",
    ast.GeneratorExp: "comprehensions are",
    ast.JoinedStr: "strings are",
    ast.Compare: "comparisons are",
    ast.BoolOp: "boolean operators are",
    ast.IfExp: "conditional expressions are",
    ast.NamedExpr: "assignments are",
    ast.Starred: "starred arguments are",
    ast.Tuple: "tuples are",
    ast.List: "lists are",
    ast.Dict: "dicts are",
    ast.Set: "sets are",
    ast.Await: "await is",
    ast.Yield: "yield is",
    ast.YieldFrom: "yield is",
    ast.Slice: "slices are",
}

_BINOPS: dict[type[ast.operator], tuple[Callable[[np.ndarray, np.ndarray], np.ndarray], str]] = {
    ast.Add: (np.add, "+"),
    ast.Sub: (np.subtract, "-"),
    ast.Mult: (np.multiply, "*"),
    ast.Div: (np.true_divide, "/"),
    ast.Pow: (np.power, "**"),
}

# Precedence levels for LaTeX parentheses.
_ADD, _MUL, _UNARY, _POW, _ATOM = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class _Node:
    """A compiled sub-expression: its function of x, LaTeX, precedence and constant-ness."""

    fn: Callable[[np.ndarray], np.ndarray] = field(repr=False)
    latex: str
    prec: int
    uses_x: bool
    coef: bool = False  # a written coefficient (3, pi, 2*pi, -3): multiplies implicitly


class _Compiler:
    def __init__(self, text: str) -> None:
        self.text = text

    def piece(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.text, node)
        return segment if segment is not None else ast.dump(node)

    def fail(self, message: str) -> FormulaError:
        return FormulaError(" ".join(message.split()))

    def compile(self, node: ast.AST) -> _Node:
        what = _REFUSED.get(type(node))
        if what is not None:
            msg = f"{what} not allowed: {self.piece(node)}"
            raise self.fail(msg)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        msg = f"{type(node).__name__} is not allowed: {self.piece(node)}"
        raise self.fail(msg)

    def constant(self, node: ast.Constant) -> _Node:
        value = node.value
        if isinstance(value, str | bytes):
            msg = f"strings are not allowed: {self.piece(node)}"
            raise self.fail(msg)
        if isinstance(value, bool) or not isinstance(value, int | float):
            msg = f"only real numbers are allowed, not {self.piece(node)}"
            raise self.fail(msg)
        if not abs(value) <= MAX_NUMBER:
            msg = f"number {self.piece(node)} is too large (|number| <= {MAX_NUMBER:g})"
            raise self.fail(msg)
        v = float(value)
        tex = _number_latex(v)
        if r"\times" in tex:
            return _Node(_constant(v), tex, _MUL, False)
        return _Node(_constant(v), tex, _ATOM, False, coef=True)

    def name(self, node: ast.Name) -> _Node:
        ident = node.id
        if ident.startswith("__") or ident.endswith("__"):
            msg = f"double-underscore names are not allowed: {ident}"
            raise self.fail(msg)
        if ident == "x":
            return _Node(lambda x: x, "x", _ATOM, True)
        if ident in CONSTANTS:
            v = CONSTANTS[ident]
            tex = r"\pi" if ident == "pi" else "e"
            return _Node(_constant(v), tex, _ATOM, False, coef=True)
        if ident in FUNCTIONS:
            msg = f"function {ident!r} must be called, as in {ident}(x)"
            raise self.fail(msg)
        msg = f"unknown name {ident!r}; a formula may use x, pi and e"
        raise self.fail(msg)

    def unary(self, node: ast.UnaryOp) -> _Node:
        operand = self.compile(node.operand)
        f = operand.fn
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.USub):
            tex = operand.latex if operand.prec > _UNARY else f"({operand.latex})"
            return _Node(
                lambda x: np.negative(f(x)), f"-{tex}", _UNARY, operand.uses_x, operand.coef
            )
        msg = f"operator is not allowed: {self.piece(node)}"
        raise self.fail(msg)

    def binop(self, node: ast.BinOp) -> _Node:
        if type(node.op) not in _BINOPS:
            msg = f"operator is not allowed: {self.piece(node)} (use + - * / **)"
            raise self.fail(msg)
        ufunc, _ = _BINOPS[type(node.op)]
        left = self.compile(node.left)
        if isinstance(node.op, ast.Pow) and any(
            isinstance(n, ast.Name) and n.id == "x" for n in ast.walk(node.right)
        ):
            msg = (
                f"exponent must be a constant number, not {self.piece(node.right)} "
                f"(in {self.piece(node)})"
            )
            raise self.fail(msg)
        right = self.compile(node.right)
        if isinstance(node.op, ast.Pow):
            return self.power(node, left, right)
        lf, rf = left.fn, right.fn
        uses_x = left.uses_x or right.uses_x

        def fn(x: np.ndarray) -> np.ndarray:
            return ufunc(lf(x), rf(x))

        if isinstance(node.op, ast.Div):
            return _Node(fn, rf"\frac{{{left.latex}}}{{{right.latex}}}", _ATOM, uses_x)
        if isinstance(node.op, ast.Mult):
            lt = left.latex if left.prec >= _MUL else f"({left.latex})"
            rt = right.latex if right.prec > _UNARY else f"({right.latex})"
            implicit = (
                left.coef
                and right.prec > _UNARY
                and not rt[:1].isdigit()
                and not rt.startswith(r"\frac")
            )
            joiner = r" \cdot "
            if implicit:  # "3x", "2\pi x": a space only where a command would run on
                joiner = " " if re.search(r"\\[A-Za-z]+$", lt) else ""
            return _Node(fn, f"{lt}{joiner}{rt}", _MUL, uses_x, implicit and right.coef)
        sign = "+" if isinstance(node.op, ast.Add) else "-"
        rt = right.latex if right.prec > _ADD and right.prec != _UNARY else f"({right.latex})"
        return _Node(fn, f"{left.latex} {sign} {rt}", _ADD, uses_x)

    def power(self, node: ast.BinOp, base: _Node, exponent: _Node) -> _Node:
        with np.errstate(all="ignore"):
            p = float(exponent.fn(np.zeros(1)))
        if not math.isfinite(p):
            msg = f"exponent {self.piece(node.right)} is not a finite number"
            raise self.fail(msg)
        if abs(p) > MAX_EXPONENT:
            msg = f"exponent {self.piece(node.right)} is too large (|p| <= {MAX_EXPONENT})"
            raise self.fail(msg)
        bf = base.fn
        atomic = base.prec >= _ATOM and not base.latex.startswith((r"\frac", "e^"))
        bt = base.latex if atomic else f"({base.latex})"

        def fn(x: np.ndarray) -> np.ndarray:
            out: np.ndarray = np.power(bf(x), p)
            return out

        return _Node(fn, f"{bt}^{{{exponent.latex}}}", _POW, base.uses_x)

    def call(self, node: ast.Call) -> _Node:
        if not isinstance(node.func, ast.Name):
            self.compile(node.func)  # raises the precise error (attribute, lambda, ...)
            msg = f"only named functions may be called: {self.piece(node)}"
            raise self.fail(msg)
        name = node.func.id
        if name.startswith("__") or name.endswith("__"):
            msg = f"double-underscore names are not allowed: {name}"
            raise self.fail(msg)
        if node.keywords:
            msg = f"keyword arguments are not allowed: {self.piece(node)}"
            raise self.fail(msg)
        if name not in FUNCTIONS:
            msg = f"unknown function {name!r}; allowed: {', '.join(FUNCTIONS)}"
            raise self.fail(msg)
        func, arity, template = FUNCTIONS[name]
        args = [self.compile(a) for a in node.args]
        if len(args) != arity:
            plural = "argument" if arity == 1 else "arguments"
            msg = f"{name} takes {arity} {plural}, got {len(args)}: {self.piece(node)}"
            raise self.fail(msg)
        fns = [a.fn for a in args]
        uses_x = any(a.uses_x for a in args)
        if arity == 1:
            (f0,) = fns

            def fn(x: np.ndarray) -> np.ndarray:
                return func(f0(x))
        else:
            f0, f1 = fns

            def fn(x: np.ndarray) -> np.ndarray:
                return func(f0(x), f1(x))

        tex = template.format(*(a.latex for a in args))
        prec = _POW if name == "exp" else _ATOM
        return _Node(fn, tex, prec, uses_x)


def _constant(v: float) -> Callable[[np.ndarray], np.ndarray]:
    value = np.array(v)  # 0-d: broadcasts against x

    def fn(_x: np.ndarray) -> np.ndarray:
        return value

    return fn


def _number_latex(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    text = f"{v:g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        power = f"10^{{{int(exp)}}}"
        return power if mantissa == "1" else rf"{mantissa} \times {power}"
    return text


def parse_formula(text: str) -> Formula:
    r"""Parse a formula in ``x`` into a callable :class:`Formula`, by a strict whitelist.

    Parameters
    ----------
    text : str
        An expression in ``x`` using numbers, ``pi``, ``e``, ``+ - * / **`` (the exponent a
        constant with ``|p| <= 10``) and the functions of :data:`FUNCTIONS`, at most
        :data:`MAX_LENGTH` characters.

    Returns
    -------
    Formula

    Raises
    ------
    FormulaError
        For anything outside the whitelist, with a one-line message naming the bad piece.

    Examples
    --------
    >>> print(parse_formula("exp(-x**2/2)").latex)
    e^{\frac{-x^{2}}{2}}
    >>> parse_formula("x**999999")
    Traceback (most recent call last):
    ...
    relu_guide.core.formula.FormulaError: exponent 999999 is too large (|p| <= 10)
    >>> parse_formula("__import__('os')")
    Traceback (most recent call last):
    ...
    relu_guide.core.formula.FormulaError: double-underscore names are not allowed: __import__
    """
    if not isinstance(text, str):
        msg = f"a formula must be a string, got {text!r}"
        raise FormulaError(msg)
    source = text.strip()
    if not source:
        msg = "empty formula; write an expression in x such as x**2"
        raise FormulaError(msg)
    if len(source) > MAX_LENGTH:
        msg = f"formula is too long: {len(source)} characters (at most {MAX_LENGTH})"
        raise FormulaError(msg)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        reason = exc.msg if exc.msg else "invalid syntax"
        msg = f"cannot parse formula {source!r}: {reason}"
        raise FormulaError(msg) from None
    except (ValueError, MemoryError, RecursionError) as exc:
        msg = f"cannot parse formula {source!r}: {exc}"
        raise FormulaError(msg) from None
    try:
        node = _Compiler(source).compile(tree.body)
    except RecursionError:
        msg = f"formula is nested too deeply: {source!r}"
        raise FormulaError(msg) from None
    return Formula(source, node.latex, node.fn)
