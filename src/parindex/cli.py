"""Command line: ``parindex methodology validate|show``, ``template``, ``score``, ``explain``,
``published check``, ``survey validate|import|indices`` (in :mod:`parindex.cli_survey`).

Exit codes: 0 success; 1 ``methodology validate`` or ``survey validate`` found errors or
``published check`` found inconsistencies; 2 wrong usage or a file that
cannot be used (every problem printed as ``PATH:LINE: CODE: [cột X] message``, nothing
written). User mistakes never show a Python traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .cli_survey import SurveyUsageError, add_survey_parser
from .core import (
    UNIT_TYPES,
    Inputs,
    IssuesError,
    Methodology,
    MethodologyError,
    Node,
    Results,
    Unit,
    check_published,
    compute,
    explain,
    format_trace,
    format_vn,
    load_methodology,
    parse_inputs,
    parse_published,
    parse_units,
)
from .exports import RESULT_FORMATS, STATUS_LABELS, output_paths, write_results, write_template
from .exports.files import same_file as _same_file
from .tabular import (
    INPUT_COLUMNS,
    INPUT_HELPERS,
    INPUT_OPTIONAL,
    INPUT_SHEETS,
    PUBLISHED_ALIASES,
    PUBLISHED_COLUMNS,
    PUBLISHED_OPTIONAL,
    PUBLISHED_PREFIXES,
    PUBLISHED_SHEETS,
    UNIT_COLUMNS,
    UNIT_OPTIONAL,
    UNIT_SHEETS,
    os_reason,
    read_table,
)

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in the command line (unknown unit, unsupported output format…)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (never raises for user mistakes)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        return int(args.handler(args))
    except SystemExit as exc:  # argparse: --help, --version, bad arguments
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except IssuesError as exc:
        for issue in exc.issues:
            print(issue.format(), file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, SurveyUsageError) as exc:
        print(f"parindex: lỗi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


# --- arguments ------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parindex",
        description="Chỉ số cải cách hành chính: kiểm tra bộ tiêu chí, tạo mẫu nhập liệu, tính "
        "điểm, xếp hạng, giải thích điểm (PAR Index: methodologies, templates, scoring).",
        add_help=False,
    )
    _help(parser)
    parser.add_argument(
        "--version",
        action="version",
        version=f"parindex {__version__}",
        help="in số phiên bản (show the version)",
    )
    sub = parser.add_subparsers(title="lệnh (commands)", metavar="LỆNH", required=True)
    _methodology_parser(sub)
    _template_parser(sub)
    _score_parser(sub)
    _explain_parser(sub)
    _published_parser(sub)
    add_survey_parser(sub, _command)
    _demo_parser(sub)
    return parser


def _demo_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = _command(
        sub,
        "demo",
        "nạp dữ liệu mẫu (Tỉnh mẫu, tài khoản mọi vai trò, kỳ 2025 đã công bố, kỳ 2026 đang "
        "làm) vào cơ sở dữ liệu của ứng dụng web (load the demo data into the web database)",
    )
    p.add_argument(
        "--reset",
        action="store_true",
        help="xóa dữ liệu mẫu cũ rồi dựng lại (delete the demo data and rebuild it)",
    )
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    """Build the demo through the web services (Django is set up only for this command)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from parindex.web.demo import DemoError, build_demo

    call_command("migrate", verbosity=0, interactive=False)
    try:
        build_demo(reset=args.reset, stdout=sys.stdout)
    except DemoError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


def _command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    text: str,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=text, description=text, add_help=False
    )
    _help(parser)
    return parser


def _help(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-h", "--help", action="help", help="hiện trợ giúp này rồi thoát (show this help)"
    )


def _methodology_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = _command(sub, "methodology", "Làm việc với tệp bộ tiêu chí (methodology files)")
    msub = p.add_subparsers(title="lệnh (commands)", metavar="LỆNH", required=True)
    v = _command(msub, "validate", "Kiểm tra tệp bộ tiêu chí (validate methodology files)")
    v.add_argument("paths", nargs="+", metavar="PATH", help="tệp YAML (YAML files)")
    v.set_defaults(handler=_validate)
    s = _command(msub, "show", "Hiển thị cây tiêu chí (show the criteria tree)")
    s.add_argument("path", metavar="PATH", help="tệp YAML (YAML file)")
    s.set_defaults(handler=_show)


def _common(p: argparse.ArgumentParser, inputs: bool = True) -> None:
    p.add_argument(
        "--methodology",
        required=True,
        type=Path,
        metavar="PATH",
        help="tệp bộ tiêu chí YAML (methodology file)",
    )
    p.add_argument(
        "--units",
        required=True,
        type=Path,
        metavar="UNITS",
        help="tệp đơn vị .csv/.xlsx: code,name,type,group[,exempt] (units table)",
    )
    if inputs:
        p.add_argument(
            "--inputs",
            required=True,
            type=Path,
            metavar="INPUTS",
            help="tệp đầu vào .csv/.xlsx: unit,node,input,value (inputs table, long form)",
        )


def _template_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = _command(sub, "template", "Tạo mẫu nhập liệu Excel cho đơn vị (input template workbook)")
    _common(p, inputs=False)
    p.add_argument("--out", required=True, type=Path, help="tệp .xlsx sẽ tạo (output .xlsx)")
    p.set_defaults(handler=_template)


def _score_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = _command(sub, "score", "Tính điểm, chỉ số, xếp hạng (score and rank units)")
    _common(p)
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        help="tệp kết quả .xlsx, .csv hoặc .json (output file; format from the extension)",
    )
    p.set_defaults(handler=_score)


def _explain_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = _command(sub, "explain", "Giải thích điểm của một đơn vị (explain a unit's score)")
    _common(p)
    p.add_argument("--unit", required=True, metavar="CODE", help="mã đơn vị (unit code)")
    p.add_argument("--node", metavar="CODE", help="mã tiêu chí (node code; default: total)")
    p.set_defaults(handler=_explain)


# --- methodology ----------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    code = EXIT_OK
    for path in args.paths:
        try:
            m = load_methodology(path)
        except MethodologyError as exc:
            print("\n".join(issue.format() for issue in exc.issues))
            code = EXIT_INVALID
            continue
        leaves = sum(1 for _ in m.leaves())
        print(f"{path}: hợp lệ ({len(m.areas)} lĩnh vực, {leaves} tiêu chí thành phần)")
    return code


def _show(args: argparse.Namespace) -> int:
    m = load_methodology(args.path)
    print("\n".join(_header_lines(m)))
    print()
    for node in m.walk():
        print("\n".join(_node_lines(node)))
    return EXIT_OK


def _num(value: object) -> str:
    return format_vn(value.normalize())  # type: ignore[attr-defined]


def _header_lines(m: Methodology) -> list[str]:
    d = m.decision
    decision = " ".join(
        part
        for part in (d.number, f"ngày {d.date}" if d.date else "", d.issuer and f"của {d.issuer}")
        if part
    )
    classes = "; ".join(f"{c.code} {c.label} ≥ {_num(c.min)}" for c in m.classes)
    types = ", ".join(f"{t} ({UNIT_TYPES[t]})" for t in m.unit_types)
    r = m.rounding
    return [
        m.title,
        f"Mã: {m.id} · Năm: {m.year} · Trạng thái: {STATUS_LABELS.get(m.status, m.status)}",
        f"Văn bản: {decision or 'chưa có (bộ tiêu chí chưa gắn quyết định ban hành)'}",
        f"Áp dụng cho: {types}",
        f"Tổng điểm tối đa: {_num(m.max_points)} · Làm tròn: điểm {r.points} chữ số, "
        f"chỉ số {r.index} chữ số ({r.mode}) · Xếp hạng: {m.ranking_method}",
        f"Xếp loại: {classes or 'không xếp loại'}",
    ]


def _node_lines(node: Node) -> list[str]:
    pad = "  " * node.depth
    marks = []
    inherited = node.parent.applies_to if node.parent is not None else None
    if node.kind != "standard" and node.parent is None:
        marks.append({"bonus": "điểm thưởng", "penalty": "điểm trừ"}[node.kind])
    if node.applies_to is not None and node.applies_to != inherited:
        marks.append("chỉ áp dụng: " + ", ".join(UNIT_TYPES[t] for t in sorted(node.applies_to)))
    if node.exemptible:
        marks.append("có thể miễn")
    tail = "".join(f" [{mark}]" for mark in marks)
    lines = [f"{pad}{node.code} {node.title} — {_num(node.max)} điểm{tail}"]
    if node.rule is not None:
        lines.append(f"{pad}    → {node.rule.describe()}")
    return lines


def _published_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = _command(sub, "published", "Kết quả đã công bố (published results)")
    psub = p.add_subparsers(title="lệnh (commands)", metavar="LỆNH", required=True)
    c = _command(
        psub,
        "check",
        "Kiểm tra tính nhất quán của bảng kết quả công bố: tổng thành phần, chỉ số, thứ tự "
        "hạng (check published figures for consistency)",
    )
    c.add_argument("path", metavar="PATH", type=Path, help="tệp CSV/XLSX (CSV/XLSX file)")
    c.add_argument(
        "--decimals",
        type=int,
        default=2,
        choices=range(0, 7),
        metavar="N",
        help="số chữ số thập phân đã công bố, mặc định 2 (published decimals)",
    )
    c.set_defaults(handler=_published_check)


def _published_check(args: argparse.Namespace) -> int:
    rows = read_table(
        args.path,
        PUBLISHED_COLUMNS,
        PUBLISHED_OPTIONAL,
        sheets=PUBLISHED_SHEETS,
        prefixed_columns=PUBLISHED_PREFIXES,
        aliases=PUBLISHED_ALIASES,
    )
    findings = check_published(parse_published(rows, str(args.path)), decimals=args.decimals)
    for finding in findings:
        print(f"{args.path}: {finding.code}: {finding.message}")
    if findings:
        return EXIT_INVALID
    print(f"{args.path}: nhất quán ({len(rows)} đơn vị)")
    return EXIT_OK


# --- template, score, explain ---------------------------------------------------------------


def _units(path: Path, m: Methodology) -> list[Unit]:
    rows = read_table(path, UNIT_COLUMNS, UNIT_OPTIONAL, sheets=UNIT_SHEETS)
    return parse_units(rows, m, source=str(path))


def _inputs(path: Path, m: Methodology, units: list[Unit]) -> Inputs:
    rows = read_table(
        path, INPUT_COLUMNS, INPUT_OPTIONAL, ignored_columns=INPUT_HELPERS, sheets=INPUT_SHEETS
    )
    return parse_inputs(rows, m, units, source=str(path))


def _check_out(args: argparse.Namespace, formats: Sequence[str]) -> None:
    """Refuse an output path that cannot or must not be written, before anything is read."""
    path: Path = args.out
    if path.suffix.lower() not in formats:
        raise UsageError(
            f"{path}: T009: định dạng tệp kết quả '{path.suffix or '(không có)'}' không hỗ trợ; "
            f"dùng: {', '.join(formats)}"
        )
    if path.is_dir():
        raise UsageError(f"{path}: là một thư mục, cần đường dẫn tệp")
    for option in ("methodology", "units", "inputs"):
        other: Path | None = getattr(args, option, None)
        if other is not None and any(_same_file(out, other) for out in output_paths(path)):
            raise UsageError(
                f"{path}: T010: --out là cùng một tệp với --{option} ({other}); ghi kết quả "
                "vào một tệp khác để không ghi đè lên dữ liệu đầu vào"
            )


def _write_error(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"không ghi được tệp {path}: {os_reason(exc)}")


def _template(args: argparse.Namespace) -> int:
    _check_out(args, (".xlsx",))
    m = load_methodology(args.methodology)
    units = _units(args.units, m)
    try:
        rows = write_template(m, units, args.out)
    except OSError as exc:
        raise _write_error(args.out, exc) from None
    print(f"Đã ghi {args.out}: {rows} dòng nhập liệu cho {len(units)} đơn vị.")
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    _check_out(args, RESULT_FORMATS)
    results = _compute(args)
    try:
        write_results(results, args.out)
    except OSError as exc:
        raise _write_error(args.out, exc) from None
    _print_ranking(results)
    for finding in results.findings:
        print(f"cảnh báo {finding.code}: {finding.message}", file=sys.stderr)
    written = ", ".join(str(p) for p in output_paths(args.out))
    print(f"Đã ghi {written}: {len(results.units)} đơn vị, {len(results.findings)} cảnh báo.")
    return EXIT_OK


def _compute(args: argparse.Namespace) -> Results:
    m = load_methodology(args.methodology)
    units = _units(args.units, m)
    return compute(m, units, _inputs(args.inputs, m, units))


def _print_ranking(results: Results) -> None:
    d = results.methodology.rounding
    group = None
    for r in results.ranking():
        if r.unit.group != group:
            group = r.unit.group
            print(f"Khối: {group}")
            print(f"  {'Hạng':>4}  {'Mã':<10} {'Điểm':>17}  {'Chỉ số':>8}  {'Xếp loại':<11} Đơn vị")
        score = f"{format_vn(r.total, d.points)} / {format_vn(r.max, d.points)}"
        index = "—" if r.index is None else f"{format_vn(r.index, d.index)} %"
        klass = r.klass.label if r.klass else ""
        rank = "—" if r.rank is None else str(r.rank)
        print(f"  {rank:>4}  {r.unit.code:<10} {score:>17}  {index:>8}  {klass:<11} {r.unit.name}")


def _explain(args: argparse.Namespace) -> int:
    m = load_methodology(args.methodology)
    units = _units(args.units, m)
    unit = next((u for u in units if u.code == args.unit), None)
    if unit is None:
        known = ", ".join(u.code for u in units)
        raise UsageError(f"không có đơn vị '{args.unit}' trong {args.units} (các mã: {known})")
    if args.node is not None and args.node not in m.nodes:
        raise UsageError(
            f"không có tiêu chí '{args.node}' trong bộ tiêu chí {m.id} "
            f"(xem: parindex methodology show {args.methodology})"
        )
    inputs = _inputs(args.inputs, m, units)
    results = compute(m, units, inputs)
    trace = explain(m, unit, inputs.get(unit.code, {}), node=args.node, results=results)
    print(format_trace(trace))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
