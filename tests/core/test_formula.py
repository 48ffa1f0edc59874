"""The safe formula language of ``formula`` rules (docs/methodology-format.md §3 "formula").

Only numbers, declared names, ``max_points``, ``+ - * /``, comparisons, ``and or not``,
``a if c else b`` and the functions min, max, abs, round, clamp are allowed; arithmetic is
exact ``Decimal`` arithmetic and nothing is ever handed to ``eval``.
"""

import ast
import inspect
from decimal import Decimal, Overflow, localcontext

import pytest

from parindex.core import FormulaError, formula
from parindex.core.formula import FormulaFailed, compile_formula, evaluate


def run(expression: str, **values) -> Decimal:
    """Compile with the given inputs declared (and max_points = 2), then evaluate."""
    names = set(values)
    compiled = compile_formula(expression, names, {"max_points": Decimal(2)})
    return evaluate(
        compiled, {k: v if isinstance(v, bool) else Decimal(v) for k, v in values.items()}
    )


def code_of(expression: str) -> str:
    """The error code of compiling ``expression`` with one declared input ``x``."""
    with pytest.raises(FormulaError) as caught:
        compile_formula(expression, {"x"}, {"max_points": Decimal(2)})
    assert caught.value.message in str(caught.value)
    return caught.value.code


@pytest.mark.parametrize(
    ("expression", "values", "result"),
    [
        ("1 + 2 * 3", {}, "7"),
        ("(1 + 2) * 3", {}, "9"),
        ("7 / 2", {}, "3.5"),
        ("-x + +x - x", {"x": "4"}, "-4"),
        ("max_points * done / plan", {"done": "3", "plan": "4"}, "1.5"),
        ("0 if plan == 0 else done / plan", {"done": "3", "plan": "0"}, "0"),
        ("1 if x >= 90 else 0.5 if x >= 70 else 0", {"x": "70"}, "0.5"),
        ("1 if x > 90 or x < 10 else 0", {"x": "5"}, "1"),
        ("1 if x > 0 and not x > 10 else 0", {"x": "10"}, "1"),
        ("1 if 0 < x <= 5 != 6 else 0", {"x": "5"}, "1"),
        ("1 if 0 < x < 5 else 0", {"x": "5"}, "0"),
        ("1 if x != 3 else 2", {"x": "3"}, "2"),
        ("min(max_points, x)", {"x": "5"}, "2"),
        ("max(1, 2, 3, x)", {"x": "0"}, "3"),
        ("abs(x)", {"x": "-2.5"}, "2.5"),
        ("round(x, 2)", {"x": "2.675"}, "2.68"),
        ("round(x)", {"x": "2.5"}, "3"),
        ("clamp(x, 0, max_points)", {"x": "-1"}, "0"),
        ("clamp(x, 0, max_points)", {"x": "1.25"}, "1.25"),
        ("x > 1", {"x": "2"}, "1"),  # a true comparison counts as 1
        ("flag * 2", {"flag": True}, "2"),  # a yes/no input counts as 1/0
        ("1 if flag else 0.5", {"flag": False}, "0.5"),
    ],
)
def test_allowed_constructs(expression, values, result):
    assert run(expression, **values) == Decimal(result)


def test_arithmetic_is_exact_decimal_arithmetic():
    assert run("0.1 + 0.2") == Decimal("0.3")
    assert run("1 if 0.1 + 0.2 == 0.3 else 0") == 1
    assert run("1.10 * 3") == Decimal("3.30")


def test_division_by_zero_is_signalled_to_the_rule():
    with pytest.raises(FormulaFailed, match="chia cho 0"):
        run("done / plan", done="3", plan="0")
    with pytest.raises(FormulaFailed, match="chia cho 0"):
        run("done / plan", done="0", plan="0")


def test_arithmetic_on_yes_no_inputs_gives_a_number():
    # True + True is the int 2 in Python; a formula result is always a Decimal.
    assert run("a + b", a=True, b=True) == Decimal(2)


def test_overflow_and_precision_problems_are_signalled_not_raised_raw():
    with pytest.raises(FormulaFailed, match="vượt giới hạn"):
        run("round(a * a * a, 2)", a="900000000000000")


def test_a_host_that_relaxed_the_decimal_traps_still_gets_no_infinity():
    # Formulas run in the ambient decimal context (a private context per call cost the
    # engine 15 %); a program that switched the Overflow trap off must not get Infinity.
    with localcontext() as ctx:
        ctx.traps[Overflow] = False
        ctx.Emax = 20
        with pytest.raises(FormulaFailed, match="không phải là số hữu hạn"):
            run("a * a", a="90000000000000")


@pytest.mark.parametrize(
    "expression",
    [
        "x.real",  # attribute
        "x[0]",  # subscript
        "x[1:2]",  # slice
        "(lambda: 1)()",
        "__import__('os')",
        "open('/etc/passwd')",
        "eval('1')",
        "x ** 2",
        "x // 2",
        "x % 2",
        "x << 1",
        "x & 1",
        "~x",
        "x is 1",
        "x in (1, 2)",
        "'text'",
        "True",
        "None",
        "[1, 2]",
        "(1, 2)",
        "{1: 2}",
        "{1, 2}",
        "[i for i in (1, 2)]",
        "sum(i for i in (1, 2))",
        "(y := 1)",
        "f'{x}'",
        "min(x, key=abs)",
        "min(*x)",
        "x.__class__.__mro__",
        "min(x)",  # too few arguments
        "min(" + ", ".join(["1"] * 11) + ")",  # too many arguments
        "abs(x, 1)",
        "clamp(x, 1)",
        "+".join(["1"] * 120),  # short enough, but more than 200 parts
        "+".join(["x"] * 251),  # longer than 500 characters
    ],
)
def test_forbidden_constructs_are_m050(expression):
    assert code_of(expression) == "M050"


@pytest.mark.parametrize("expression", ["y + 1", "x + maxpoints", "min(x, y)"])
def test_undeclared_names_are_m051(expression):
    assert code_of(expression) == "M051"


def test_m051_message_lists_the_valid_names():
    with pytest.raises(FormulaError) as caught:
        compile_formula("total / plan", {"plan", "done"}, {"max_points": Decimal(1)})

    assert caught.value.message == (
        "tên 'total' chưa được khai báo; các tên hợp lệ: done, max_points, plan"
    )


@pytest.mark.parametrize("expression", ["x +", "(x", "x y", "x = 1", "import os", "", "if x: 1"])
def test_syntax_errors_are_m052(expression):
    assert code_of(expression) == "M052"


@pytest.mark.parametrize(
    "expression", ["round(x, 9)", "round(x, -1)", "round(x, 1.5)", "round(x, x)", "round(x, True)"]
)
def test_round_precision_is_a_whole_number_from_0_to_6_written_in_the_formula(expression):
    # Checked when the methodology is loaded, so scoring can never fail on it later.
    with pytest.raises(FormulaError) as caught:
        compile_formula(expression, {"x"})

    assert caught.value.code == "M050"
    assert "round(x, n) cần n là một số nguyên viết sẵn từ 0 đến 6" in caught.value.message


def test_formula_module_never_uses_eval_exec_or_compile():
    tree = ast.parse(inspect.getsource(formula))
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}

    assert called  # the walk did see calls
    assert not {"eval", "exec", "compile", "__import__"} & (called | names)
