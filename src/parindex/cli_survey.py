"""``parindex survey validate|import|indices``: instruments, response files, indices.

``import`` checks a responses file and shows what would be imported; it writes nothing (the
command line has no database: importing into an assessment period is done in the web
application). ``indices`` computes and writes the indices. Errors and exit codes as in
:mod:`parindex.cli`: one problem per line ``FILE:LINE: CODE: [cột X] message``, exit 2 and
nothing written when a file cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .cli_survey_text import (
    Progress,
    columns_line,
    num,
    print_indices,
    print_preview,
    summary_line,
)
from .core import Methodology, load_methodology
from .core.survey import (
    Instrument,
    InstrumentError,
    ResponseError,
    ResponseSet,
    check_mapping,
    compute_indices,
    load_instrument,
    load_shipped_instrument,
    shipped_instruments,
)
from .exports.files import same_file
from .exports.survey import SURVEY_FORMATS, survey_output_paths, write_survey_results
from .survey_io import read_populations, read_responses_file
from .tabular import UNIT_COLUMNS, UNIT_OPTIONAL, UNIT_SHEETS, os_reason, read_table

EXIT_OK, EXIT_INVALID = 0, 1  # usage errors and unusable files: 2, from parindex.cli.main


class SurveyUsageError(Exception):
    """A mistake in the command line; printed as ``parindex: lỗi: …`` (exit 2)."""


def add_survey_parser(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    command: Callable[..., argparse.ArgumentParser],
) -> None:
    """Register ``survey`` and its commands; ``command(sub, name, text)`` makes a parser."""
    p = command(sub, "survey", "Khảo sát xã hội học: công cụ, tệp câu trả lời, chỉ số (surveys)")
    ssub = p.add_subparsers(title="lệnh (commands)", metavar="LỆNH", required=True)
    v = command(
        ssub,
        "validate",
        "Kiểm tra tệp công cụ khảo sát và ánh xạ tới bộ tiêu chí (validate survey instruments)",
    )
    v.add_argument("paths", nargs="+", metavar="INSTRUMENT", help=_INSTRUMENT_HELP)
    v.add_argument(
        "--methodology",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="kiểm tra thêm ánh xạ tới bộ tiêu chí này; lặp lại được (check the mappings)",
    )
    v.set_defaults(handler=_validate)
    i = command(
        ssub,
        "import",
        "Kiểm tra tệp câu trả lời, xem trước và tóm tắt theo đơn vị; không ghi gì — nhập vào "
        "một kỳ đánh giá làm trong ứng dụng web (check a responses file and preview it; "
        "importing into a period is done in the web application)",
    )
    _responses_arguments(i)
    i.add_argument(
        "--preview",
        type=int,
        default=5,
        metavar="N",
        help="số dòng xem trước, mặc định 5 (rows to preview)",
    )
    i.set_defaults(handler=_import)
    x = command(
        ssub,
        "indices",
        "Tính chỉ số hài lòng theo câu hỏi, nhóm, đơn vị, toàn tỉnh và ghi ra tệp "
        "(compute indices and write them)",
    )
    _responses_arguments(x)
    x.add_argument(
        "--out",
        required=True,
        type=Path,
        help="tệp kết quả .xlsx, .csv hoặc .json (output file; format from the extension)",
    )
    x.add_argument(
        "--populations",
        type=Path,
        metavar="FILE",
        help="quy mô tổng thể mỗi đơn vị .csv/.xlsx: unit,population — để kiểm tra cỡ mẫu "
        "(population of each unit, for the sample-size check)",
    )
    x.add_argument(
        "--margin",
        type=_margin,
        default=Decimal("0.05"),
        metavar="E",
        help="sai số cho phép khi tính cỡ mẫu cần có, mặc định 0.05 = 5 %% (margin of error)",
    )
    x.add_argument(
        "--decimals",
        type=int,
        default=2,
        choices=range(0, 7),
        metavar="N",
        help="số chữ số thập phân của chỉ số, mặc định 2 (decimals)",
    )
    x.add_argument(
        "--methodology",
        type=Path,
        metavar="PATH",
        help="thêm chỉ số và điểm của các tiêu chí khảo sát của bộ tiêu chí này "
        "(add the index and points of its survey leaves)",
    )
    x.set_defaults(handler=_indices)


_INSTRUMENT_HELP = (
    "tệp công cụ khảo sát YAML, hoặc tên công cụ mẫu đi kèm: "
    + ", ".join(n.removesuffix(".yaml") for n in shipped_instruments())
    + " (instrument file or shipped instrument)"
)


def _responses_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--instrument", required=True, metavar="INSTRUMENT", help=_INSTRUMENT_HELP)
    p.add_argument(
        "--responses",
        required=True,
        type=Path,
        metavar="FILE",
        help="tệp câu trả lời .csv/.xlsx, kể cả tệp xuất từ KoboToolbox, ODK Central "
        "(responses file)",
    )
    p.add_argument(
        "--units",
        type=Path,
        metavar="UNITS",
        help="tệp đơn vị .csv/.xlsx (code,name,type,group): mã đơn vị trong câu trả lời phải "
        "có ở đây (units table; without it any unit code is accepted)",
    )
    p.add_argument("--unit-column", metavar="NAME", help="tên cột đơn vị (unit column)")
    p.add_argument("--weight-column", metavar="NAME", help="tên cột trọng số (weight column)")
    p.add_argument(
        "--progress",
        action="store_true",
        help="hiện tiến độ đọc tệp (cả khi stderr không phải terminal) (show progress)",
    )


def _margin(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not Decimal(0) < value < Decimal(1):
        raise argparse.ArgumentTypeError(f"'{text}' phải là số giữa 0 và 1 (0.05 là 5 %)")
    return value


# --- validate -------------------------------------------------------------------------------


def _instrument(name: str) -> Instrument:
    path = Path(name)
    if not path.exists() and "/" not in name and not name.endswith((".yaml", ".yml")):
        return load_shipped_instrument(name)
    return load_instrument(path)


def _validate(args: argparse.Namespace) -> int:
    methodologies = [load_methodology(p) for p in args.methodology]
    code = EXIT_OK
    for name in args.paths:
        try:
            instrument = _instrument(name)
        except InstrumentError as exc:
            print("\n".join(issue.format() for issue in exc.issues))
            code = EXIT_INVALID
            continue
        issues = [i for m in methodologies for i in check_mapping(instrument, m)]
        if issues:
            print("\n".join(issue.format() for issue in issues))
            code = EXIT_INVALID
            continue
        scored = sum(1 for q in instrument.questions if q.scored)
        groups = sum(1 for _ in instrument.walk_groups())
        fits = f"; khớp {', '.join(m.id for m in methodologies)}" if methodologies else ""
        print(
            f"{name}: hợp lệ ({len(instrument.questions)} câu hỏi, {scored} câu tính điểm, "
            f"{groups} nhóm, {len(instrument.respondent_types)} loại người trả lời{fits})"
        )
    return code


# --- import and indices ---------------------------------------------------------------------


def _read(args: argparse.Namespace, instrument: Instrument, units: list[str] | None) -> ResponseSet:
    bar = Progress(args.responses, sys.stderr) if args.progress or sys.stderr.isatty() else None
    try:
        return read_responses_file(
            args.responses,
            instrument,
            units=units,
            progress=bar,
            unit_column=args.unit_column,
            weight_column=args.weight_column,
        )
    finally:
        if bar is not None:
            bar.close()


def _unit_names(path: Path | None) -> dict[str, str] | None:
    if path is None:
        return None
    rows = read_table(path, UNIT_COLUMNS, UNIT_OPTIONAL, sheets=UNIT_SHEETS)
    return {str(row["code"]).strip(): str(row["name"]).strip() for _, row in rows}


def _import(args: argparse.Namespace) -> int:
    instrument = _instrument(args.instrument)
    names = _unit_names(args.units)
    try:
        responses = _read(args, instrument, None if names is None else list(names))
    except ResponseError as exc:
        if exc.preview:
            print_preview(exc.preview[: args.preview], None)
        raise
    out = sys.stdout
    print(f"{args.responses}: {summary_line(responses, instrument)}", file=out)
    print(columns_line(responses), file=out)
    print_preview(responses.preview(args.preview), responses)
    print("Theo đơn vị:", file=out)
    kinds = [t.code for t in instrument.respondent_types]
    print(f"  {'Mã đơn vị':<12}{'Số phiếu':>10}" + "".join(f"{k:>16}" for k in kinds), file=out)
    by_type = responses.counts_by_type()
    for unit, n in sorted(responses.counts_by_unit().items()):
        per = "".join(f"{num(by_type[unit].get(k, 0)):>16}" for k in kinds)
        print(f"  {unit:<12}{num(n):>10}{per}  {(names or {}).get(unit, '')}".rstrip(), file=out)
    for warning in responses.warnings:
        print(f"cảnh báo {warning.format()}", file=sys.stderr)
    print(
        "Chưa nhập vào kỳ đánh giá nào: lệnh này chỉ kiểm tra tệp. Nhập câu trả lời vào một kỳ "
        "đánh giá trong ứng dụng web (trang khảo sát của kỳ), hoặc tính chỉ số bằng "
        "`parindex survey indices`.",
        file=out,
    )
    return EXIT_OK


def _indices(args: argparse.Namespace) -> int:
    _check_out(args)
    instrument = _instrument(args.instrument)
    methodology = _methodology(args.methodology, instrument)
    names = _unit_names(args.units)
    populations = read_populations(args.populations) if args.populations else None
    responses = _read(args, instrument, None if names is None else list(names))
    results = compute_indices(
        instrument, responses, populations=populations, margin=args.margin, decimals=args.decimals
    )
    try:
        write_survey_results(results, args.out, names=names, methodology=methodology)
    except OSError as exc:
        raise SurveyUsageError(f"không ghi được tệp {args.out}: {os_reason(exc)}") from None
    print_indices(results, names or {})
    for warning in [*responses.warnings, *results.findings]:
        print(f"cảnh báo {warning.code}: {warning.message}", file=sys.stderr)
    written = ", ".join(str(p) for p in survey_output_paths(args.out, methodology))
    print(f"Đã ghi {written}: {num(len(results.units))} đơn vị, {num(len(responses))} phiếu.")
    return EXIT_OK


def _methodology(path: Path | None, instrument: Instrument) -> Methodology | None:
    if path is None:
        return None
    m = load_methodology(path)
    issues = check_mapping(instrument, m)
    if issues:
        raise InstrumentError(issues)
    return m


def _check_out(args: argparse.Namespace) -> None:
    path: Path = args.out
    if path.suffix.lower() not in SURVEY_FORMATS:
        raise SurveyUsageError(
            f"{path}: T009: định dạng tệp kết quả '{path.suffix or '(không có)'}' không hỗ trợ; "
            f"dùng: {', '.join(SURVEY_FORMATS)}"
        )
    if path.is_dir():
        raise SurveyUsageError(f"{path}: là một thư mục, cần đường dẫn tệp")
    for option in ("responses", "units", "populations", "methodology", "instrument"):
        other = getattr(args, option, None)
        outputs = survey_output_paths(path, leaves=True)
        if other is not None and any(same_file(o, Path(other)) for o in outputs):
            raise SurveyUsageError(
                f"{path}: T010: --out là cùng một tệp với --{option} ({other}); ghi kết quả vào "
                "một tệp khác để không ghi đè lên dữ liệu đầu vào"
            )
