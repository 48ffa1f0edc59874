"""A small, safe expression language for ``formula`` rules.

Expressions are parsed with :mod:`ast` and checked against a whitelist; evaluation walks the
tree with ``Decimal`` arithmetic. Nothing is ever passed to ``eval`` or ``compile``: an
expression can only combine numbers and declared names with the operators and functions below.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal, DecimalException, DivisionByZero, InvalidOperation

from .errors import FormulaError

Value = Decimal | bool
Env = Mapping[str, Value]
Compiled = Callable[[Env], Value]
Scope = dict[str, Decimal | None]  # declared names; a value binds a constant at compile time

MAX_LENGTH = 500
MAX_NODES = 200

_BINOPS: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_CMPOPS: dict[type, Callable[[Decimal, Decimal], bool]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


def _round(x: Decimal, n: Decimal = Decimal(0)) -> Decimal:
    from .decimals import quantize

    return quantize(x, int(n))  # n is a literal 0–6, checked when the formula is compiled


def _check_precision(arg: ast.expr) -> None:
    value = arg.value if isinstance(arg, ast.Constant) else None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        msg = (
            f"round(x, n) cần n là một số nguyên viết sẵn từ 0 đến 6, không phải '{_describe(arg)}'"
        )
        raise FormulaError("M050", msg)


def _clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, x))


_FUNCTIONS: dict[str, tuple[Callable[..., Decimal], int, int]] = {
    # name: (function, min args, max args)
    "min": (min, 2, 10),
    "max": (max, 2, 10),
    "abs": (abs, 1, 1),
    "round": (_round, 1, 2),
    "clamp": (_clamp, 3, 3),
}


class DivisionByZeroInFormula(ArithmeticError):
    """The expression divided by zero for these inputs."""


def compile_formula(
    expression: str, names: set[str], constants: Mapping[str, Decimal] | None = None
) -> Compiled:
    """Check ``expression`` and return a function of the inputs.

    ``names`` are the inputs the function will receive; ``constants`` are fixed values (such
    as ``max_points``) bound at compile time. Raises :class:`FormulaError` with code M052
    (syntax), M050 (construct not allowed) or M051 (unknown name).
    """
    scope: Scope = dict.fromkeys(names)
    scope.update(constants or {})
    if len(expression) > MAX_LENGTH:
        raise FormulaError("M050", f"công thức dài quá {MAX_LENGTH} ký tự")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError("M052", f"công thức sai cú pháp: {exc.msg}") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise FormulaError("M050", f"công thức quá phức tạp (hơn {MAX_NODES} thành phần)")
    return _compile(tree.body, scope)


def _compile(node: ast.expr, names: Scope) -> Compiled:
    builder = _BUILDERS.get(type(node))
    if builder is None:
        raise FormulaError("M050", f"không được dùng '{_describe(node)}' trong công thức")
    return builder(node, names)


def _describe(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - unparse handles every expression node
        return type(node).__name__


def _constant(node: ast.expr, names: Scope) -> Compiled:
    assert isinstance(node, ast.Constant)
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormulaError("M050", f"hằng số '{_describe(node)}' không phải là số")
    number = Decimal(_describe(node))
    return lambda env: number


def _name(node: ast.expr, names: Scope) -> Compiled:
    assert isinstance(node, ast.Name)
    ident = node.id
    if ident not in names:
        known = ", ".join(sorted(names)) or "(không có)"
        raise FormulaError("M051", f"tên '{ident}' chưa được khai báo; các tên hợp lệ: {known}")
    constant = names[ident]
    if constant is not None:
        return lambda env: constant
    return lambda env: env[ident]


def _binop(node: ast.expr, names: Scope) -> Compiled:
    assert isinstance(node, ast.BinOp)
    op = _BINOPS.get(type(node.op))
    if op is None:
        raise FormulaError("M050", f"phép toán trong '{_describe(node)}' không được phép")
    left, right = _compile(node.left, names), _compile(node.right, names)
    if not isinstance(node.op, ast.Div):
        # bool is an int: Decimal arithmetic accepts it as 0/1 without conversion.
        return lambda env: op(left(env), right(env))  # type: ignore[arg-type]

    def divide(env: Env) -> Value:
        try:
            return op(left(env), right(env))  # type: ignore[arg-type]
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            raise DivisionByZeroInFormula from None

    return divide


def _unary(node: ast.expr, names: Scope) -> Compiled:
    assert isinstance(node, ast.UnaryOp)
    operand = _compile(node.operand, names)
    if isinstance(node.op, ast.USub):
        return lambda env: -_num(operand(env))
    if isinstance(node.op, ast.UAdd):
        return lambda env: _num(operand(env))
    if isinstance(node.op, ast.Not):
        return lambda env: not operand(env)
    raise FormulaError("M050", f"phép toán trong '{_describe(node)}' không được phép")


def _compare(node: ast.expr, names: Scope) -> Compiled:
    assert isinstance(node, ast.Compare)
    parts = [_compile(node.left, names)] + [_compile(c, names) for c in node.comparators]
    ops = [_CMPOPS[type(op)] for op in node.ops if type(op) in _CMPOPS]
    if len(ops) != len(node.ops):
        raise FormulaError("M050", f"phép so sánh trong '{_describe(node)}' không được phép")

    if len(ops) == 1:
        first, second, only = parts[0], parts[1], ops[0]
        return lambda env: only(first(env), second(env))  # type: ignore[arg-type]

    def chain(env: Env) -> Value:
        values = [_num(p(env)) for p in parts]
        return all(op(a, b) for op, a, b in zip(ops, values, values[1:], strict=False))

    return chain


def _boolop(node: ast.expr, names: Scope) -> Compiled:
    assert isinstance(node, ast.BoolOp)
    parts = [_compile(v, names) for v in node.values]
    if isinstance(node.op, ast.And):
        return lambda env: all(bool(p(env)) for p in parts)
    return lambda env: any(bool(p(env)) for p in parts)


def _ifexp(node: ast.expr, names: Scope) -> Compiled:
    assert isinstance(node, ast.IfExp)
    test, body, orelse = (_compile(n, names) for n in (node.test, node.body, node.orelse))
    return lambda env: body(env) if test(env) else orelse(env)


def _call(node: ast.expr, names: Scope) -> Compiled:
    assert isinstance(node, ast.Call)
    if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords:
        allowed = ", ".join(sorted(_FUNCTIONS))
        raise FormulaError(
            "M050", f"không được gọi '{_describe(node.func)}'; chỉ dùng các hàm: {allowed}"
        )
    func, low, high = _FUNCTIONS[node.func.id]
    if not low <= len(node.args) <= high:
        raise FormulaError("M050", f"hàm {node.func.id} cần từ {low} đến {high} đối số")
    if node.func.id == "round" and len(node.args) == 2:
        _check_precision(node.args[1])
    args = [_compile(a, names) for a in node.args]
    return lambda env: func(*(_num(a(env)) for a in args))


def _num(value: Value | int) -> Decimal:
    # Booleans count as 0/1, and arithmetic on two booleans yields a plain int.
    if isinstance(value, bool | int):
        return Decimal(int(value))
    return value


_BUILDERS: dict[type, Callable[[ast.expr, Scope], Compiled]] = {
    ast.Constant: _constant,
    ast.Name: _name,
    ast.BinOp: _binop,
    ast.UnaryOp: _unary,
    ast.Compare: _compare,
    ast.BoolOp: _boolop,
    ast.IfExp: _ifexp,
    ast.Call: _call,
}


def names_in(expression: str) -> set[str]:
    """The names an (already compiled, hence valid) expression reads."""
    tree = ast.parse(expression.strip(), mode="eval")
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


class FormulaFailed(ArithmeticError):
    """The formula cannot be computed for these inputs (division by zero, overflow…)."""


def evaluate(compiled: Compiled, env: Env) -> Decimal:
    """Run a compiled formula; the result is always a number (``True`` counts as 1).

    Raises :class:`FormulaFailed` when the arithmetic fails for these inputs.
    """
    # Python's default decimal context traps these errors; should a host program have
    # relaxed it, NaN or Infinity results are refused below. (A local context per call was
    # measured: copying it cost the engine 15 %.)
    try:
        result = _num(compiled(env))
    except DivisionByZeroInFormula:
        raise FormulaFailed("chia cho 0") from None
    except DecimalException as exc:
        raise FormulaFailed(f"phép tính vượt giới hạn ({type(exc).__name__})") from None
    if not result.is_finite():
        raise FormulaFailed("kết quả không phải là số hữu hạn")
    return result
