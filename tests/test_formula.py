"""parse_formula: a strict whitelist, numpy-exact values, readable LaTeX, one-line errors."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.mathtext import MathTextParser

import relu_guide.core.formula as formula_module
from relu_guide import Experiment, get_target, train
from relu_guide.core.formula import FUNCTIONS, MAX_LENGTH, Formula, FormulaError, parse_formula

matplotlib.use("Agg")

X = np.linspace(-5.0, 5.0, 101)
POSITIVE = np.linspace(0.1, 5.0, 50)


@pytest.mark.parametrize(
    ("text", "reference", "x"),
    [
        ("sin(3*x) + x**2/4", lambda x: np.sin(3 * x) + x**2 / 4, X),
        ("x**2", np.square, X),
        ("-x**2", lambda x: -(x**2), X),
        ("(-x)**3", lambda x: (-x) ** 3, X),
        ("2*pi*x", lambda x: 2 * np.pi * x, X),
        ("e**2 + x", lambda x: np.e**2 + x, X),
        ("exp(-x**2/2)", lambda x: np.exp(-(x**2) / 2), X),
        ("1/(1+exp(-x))", lambda x: 1 / (1 + np.exp(-x)), X),
        ("sigmoid(x)", lambda x: 1 / (1 + np.exp(-x)), X),
        ("maximum(x, 0)", lambda x: np.maximum(x, 0), X),
        ("relu(x) - relu(x - 1)", lambda x: np.maximum(x, 0) - np.maximum(x - 1, 0), X),
        ("minimum(x, 2*x)", lambda x: np.minimum(x, 2 * x), X),
        ("abs(x) + sign(x)", lambda x: np.abs(x) + np.sign(x), X),
        ("floor(x)", np.floor, X),
        ("tanh(x) * cosh(x) - sinh(x)", lambda x: np.tanh(x) * np.cosh(x) - np.sinh(x), X),
        ("arctan(x) + cos(x) + tan(x/4)", lambda x: np.arctan(x) + np.cos(x) + np.tan(x / 4), X),
        ("log(x) + sqrt(x)", lambda x: np.log(x) + np.sqrt(x), POSITIVE),
        ("x**0.5", np.sqrt, POSITIVE),
        ("x**(1/3)", np.cbrt, POSITIVE),
        ("x**-1", lambda x: 1 / x, POSITIVE),
        ("2**3*x", lambda x: 8 * x, X),
        ("x - (x - 1)", np.ones_like, X),
        ("+x", lambda x: x, X),
        ("1_000 * x", lambda x: 1000 * x, X),
    ],
)
def test_valid_formulas_match_numpy(
    text: str, reference: Callable[[np.ndarray], np.ndarray], x: np.ndarray
) -> None:
    f = parse_formula(text)
    assert isinstance(f, Formula)
    assert f.text == text
    np.testing.assert_allclose(f(x), reference(x), rtol=1e-14, atol=1e-14)


def test_a_constant_formula_has_the_shape_of_x() -> None:
    f = parse_formula("2*pi")
    assert f(np.zeros((3, 2))).shape == (3, 2)
    np.testing.assert_array_equal(f(np.zeros(4)), np.full(4, 2 * math.pi))


def test_formula_is_frozen_and_compares_by_text() -> None:
    f = parse_formula("x**2")
    with pytest.raises(AttributeError):
        f.text = "x"  # type: ignore[misc]
    assert f == parse_formula("x**2")
    assert parse_formula("  x**2 ").text == "x**2"


def test_non_finite_values_are_returned_without_warnings() -> None:
    # filterwarnings = error: a numpy RuntimeWarning here would fail the test.
    y = parse_formula("log(x) + 1/x")(np.array([-1.0, 0.0, 1.0]))
    assert np.isnan(y[0])
    assert not np.isfinite(y[1])
    assert y[2] == 1.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x.__class__", "attribute access is not allowed: x.__class__"),
        ("x.real", "attribute access is not allowed: x.real"),
        ("(1).__class__.__bases__", "attribute access is not allowed"),
        ("__import__('os')", "double-underscore names are not allowed: __import__"),
        ("__builtins__", "double-underscore names are not allowed: __builtins__"),
        ("os.system('ls')", "attribute access is not allowed: os.system"),
        ("open('f')", "unknown function 'open'"),
        ("getattr(x, 'y')", "unknown function 'getattr'"),
        ("eval('1')", "unknown function 'eval'"),
        ("os", "unknown name 'os'"),
        ("y + 1", "unknown name 'y'"),
        ("lambda: 1", "lambda is not allowed: lambda: 1"),
        ("(lambda y: y)(x)", "lambda is not allowed: lambda y: y"),
        ("[x for x in (1, 2)]", "comprehensions are not allowed"),
        ("sum(x for x in (1,))", "unknown function 'sum'"),
        ("sin(x for x in (1,))", "comprehensions are not allowed"),
        ("x**999999", "exponent 999999 is too large (|p| <= 10)"),
        ("x**-11", "exponent -11 is too large"),
        ("x**(10**2)", "exponent 10**2 is too large"),
        ("2**x**x", "exponent must be a constant number, not x**x (in 2**x**x)"),
        ("2**x", "exponent must be a constant number, not x (in 2**x)"),
        ("x" * (MAX_LENGTH + 1), f"too long: {MAX_LENGTH + 1} characters"),
        ("maximum(x, y=0)", "keyword arguments are not allowed: maximum(x, y=0)"),
        ("sin(x=1)", "keyword arguments are not allowed"),
        ("'abc'", "strings are not allowed: 'abc'"),
        ("f'{x}'", "strings are not allowed"),
        ("b'x'", "strings are not allowed"),
        ("x[0]", "subscripts are not allowed: x[0]"),
        ("x[::-1]", "subscripts are not allowed"),
        ("1e400", "number 1e400 is too large"),
        ("10000001 * x", "number 10000001 is too large"),
        ("1j * x", "only real numbers are allowed, not 1j"),
        ("True", "only real numbers are allowed, not True"),
        ("None", "only real numbers are allowed, not None"),
        ("x < 1", "comparisons are not allowed: x < 1"),
        ("x and 1", "boolean operators are not allowed"),
        ("x if x else 1", "conditional expressions are not allowed"),
        ("(y := 1)", "assignments are not allowed"),
        ("(x, 1)", "tuples are not allowed"),
        ("[x]", "lists are not allowed"),
        ("{x: 1}", "dicts are not allowed"),
        ("x // 2", "operator is not allowed: x // 2"),
        ("x % 2", "operator is not allowed: x % 2"),
        ("x @ x", "operator is not allowed"),
        ("~x", "operator is not allowed: ~x"),
        ("not x", "operator is not allowed: not x"),
        ("sin(*x)", "starred arguments are not allowed"),
        ("sin", "function 'sin' must be called"),
        ("sin(x, 2)", "sin takes 1 argument, got 2: sin(x, 2)"),
        ("maximum(x)", "maximum takes 2 arguments, got 1"),
        ("", "empty formula"),
        ("   ", "empty formula"),
        ("x +", "cannot parse formula 'x +'"),
        ("import os", "cannot parse formula 'import os'"),
        ("x = 1", "cannot parse formula"),
        ("x\n+ 1", "cannot parse formula"),
    ],
)
def test_refused_with_a_one_line_message_naming_the_piece(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    text_of_error = str(info.value)
    assert message in text_of_error
    assert "\n" not in text_of_error
    assert isinstance(info.value, ValueError)


def test_deep_nesting_is_refused_cleanly() -> None:
    with pytest.raises(FormulaError):
        parse_formula("(" * 99 + "x" + ")" * 99 + "+" + "-" * 98 + "x")
    with pytest.raises(FormulaError):
        parse_formula("sin(" * 40 + "x" + ")" * 40)  # too long


def test_non_string_is_refused() -> None:
    with pytest.raises(FormulaError, match="must be a string"):
        parse_formula(3)  # type: ignore[arg-type]


def test_eval_and_exec_are_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    def forbidden(*args: object, **kwargs: object) -> None:
        msg = "eval or exec called"
        raise AssertionError(msg)

    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, forbidden)
    f = parse_formula("sin(3*x) + x**2/4")
    assert f(np.array([0.0]))[0] == 0.0
    source = Path(formula_module.__file__).read_text(encoding="utf-8")
    assert "eval(" not in source.replace('mode="eval"', "").replace("``eval``", "")
    assert "exec(" not in source


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("x**2", "x^{2}"),
        ("sin(3*x)", r"\sin(3x)"),
        ("sin(3*x) + x**2/4", r"\sin(3x) + \frac{x^{2}}{4}"),
        ("x/2", r"\frac{x}{2}"),
        ("2*pi*x", r"2\pi x"),
        ("-3*x", "-3x"),
        ("x*3", r"x \cdot 3"),
        ("x*-3", r"x \cdot (-3)"),
        ("3*(x+1)", r"3 \cdot (x + 1)"),
        ("(x+1)**2", "(x + 1)^{2}"),
        ("-x**2", "-x^{2}"),
        ("(-x)**2", "(-x)^{2}"),
        ("x - (x - 1)", "x - (x - 1)"),
        ("exp(-x)", "e^{-x}"),
        ("sqrt(abs(x))", r"\sqrt{|x|}"),
        ("maximum(x, 0)", r"\max(x, 0)"),
        ("relu(x)", r"\max(0, x)"),
        ("x**0.5", "x^{0.5}"),
        ("1e-5*x", "10^{-5}x"),
        ("2.5e-7*x", r"2.5 \times 10^{-7} \cdot x"),
    ],
)
def test_latex(text: str, latex: str) -> None:
    assert parse_formula(text).latex == latex


@pytest.mark.parametrize(
    "text",
    [
        "sin(3*x) + x**2/4",
        "exp(-x**2/2)/sqrt(2*pi)",
        "floor(x) + sign(x) + sigmoid(x)",
        "maximum(x, 0) - minimum(x, 1)",
        "arctan(x)*tanh(x)/cosh(x) + sinh(x)**2",
        "2.5e-7*x + log(1 + x**2)",
        *(f"{name}(x, x)" if FUNCTIONS[name][1] == 2 else f"{name}(x)" for name in FUNCTIONS),
    ],
)
def test_latex_renders_in_mathtext(text: str) -> None:
    MathTextParser("path").parse(f"${parse_formula(text).latex}$")


def test_get_target_parses_formulas_end_to_end() -> None:
    target = get_target("sin(3*x) + x**2/4")
    assert target.name == "sin(3*x) + x**2/4"
    assert target.latex == r"\sin(3x) + \frac{x^{2}}{4}"
    x = np.array([-2.0, 0.0, 1.0])
    np.testing.assert_allclose(target(x), np.sin(3 * x) + x**2 / 4)


def test_get_target_reports_a_bad_formula() -> None:
    with pytest.raises(ValueError, match=r"attribute access is not allowed: x\.__class__"):
        get_target("x.__class__")


def test_a_non_finite_formula_is_refused_by_the_experiment() -> None:
    with pytest.raises(ValueError, match=r"'1/x' is not finite"):
        Experiment(target="1/x")


def test_a_formula_target_trains() -> None:
    run = train(Experiment(target="sin(3*x) + x**2/4", hidden=(8,), steps=50, frames=5))
    assert np.all(np.isfinite(run.losses))
