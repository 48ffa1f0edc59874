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
import time
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from .core import Methodology, format_vn, load_methodology
from .core.survey import (
    Instrument,
    InstrumentError,
    ResponseError,
    ResponseSet,
    SurveyResults,
    check_mapping,
    compute_indices,
    index_value,
    load_instrument,
    load_shipped_instrument,
    shipped_instruments,
)
from .exports.files import same_file
from .exports.survey import SURVEY_FORMATS, survey_output_paths, write_survey_results
from .survey_io import estimated_rows, read_populations, read_responses_file
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
    bar = _Progress(args.responses, sys.stderr) if args.progress or sys.stderr.isatty() else None
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
            _print_preview(exc.preview[: args.preview], None)
        raise
    out = sys.stdout
    print(f"{args.responses}: {_summary(responses, instrument)}", file=out)
    print(_columns(responses), file=out)
    _print_preview(responses.preview(args.preview), responses)
    print("Theo đơn vị:", file=out)
    kinds = [t.code for t in instrument.respondent_types]
    print(f"  {'Mã đơn vị':<12}{'Số phiếu':>10}" + "".join(f"{k:>16}" for k in kinds), file=out)
    by_type = responses.counts_by_type()
    for unit, n in sorted(responses.counts_by_unit().items()):
        per = "".join(f"{_int(by_type[unit].get(k, 0)):>16}" for k in kinds)
        print(f"  {unit:<12}{_int(n):>10}{per}  {(names or {}).get(unit, '')}".rstrip(), file=out)
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
    _print_indices(results, names or {})
    for warning in [*responses.warnings, *results.findings]:
        print(f"cảnh báo {warning.code}: {warning.message}", file=sys.stderr)
    written = ", ".join(str(p) for p in survey_output_paths(args.out, methodology))
    print(f"Đã ghi {written}: {_int(len(results.units))} đơn vị, {_int(len(responses))} phiếu.")
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


# --- printing -------------------------------------------------------------------------------


def _int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_vn(value)} %"


def _summary(responses: ResponseSet, instrument: Instrument) -> str:
    weighted = "có trọng số thiết kế" if responses.weighted else "không có trọng số"
    period = ""
    if responses.period is not None:
        first, last = responses.period
        period = f"; nộp từ {first:%d/%m/%Y %H:%M} đến {last:%d/%m/%Y %H:%M} (UTC)"
    return (
        f"hợp lệ — {_int(len(responses))} phiếu của {_int(len(responses.units()))} đơn vị, "
        f"công cụ {instrument.id}; {weighted}{period}"
    )


def _columns(responses: ResponseSet) -> str:
    h = responses.header
    counted = [q for q in responses.instrument.questions if q.scored]
    present = sum(1 for q in counted if q.code in h.questions)
    roles = [
        ("đơn vị", h.unit),
        ("mã phiếu", h.submission_id),
        ("thời gian", h.time),
        ("trọng số", h.weight),
        ("loại người trả lời", h.respondent_type),
    ]
    found = "; ".join(f"{name} = {h.header_of(i)}" for name, i in roles if i is not None)
    meta = len(h.role_of("meta"))
    unknown = sum(1 for c in h.role_of("unknown") if c.header)
    return (
        f"Cột: {found}; {present}/{len(counted)} câu hỏi tính điểm có cột; bỏ qua {meta} cột "
        f"của phần mềm khảo sát và {unknown} cột không thuộc công cụ"
    )


def _print_preview(rows: Sequence[dict[str, str]], responses: ResponseSet | None) -> None:
    if not rows:
        return
    keep = None
    if responses is not None:
        h = responses.header
        wanted = [h.unit, h.submission_id, *h.questions.values()]
        keep = [h.headers[i] for i in wanted if i is not None]
    print(f"Xem trước {len(rows)} dòng đầu:")
    for row in rows:
        pairs = [f"{k}={v}" for k, v in row.items() if (keep is None or k in keep) and v]
        text = ", ".join(pairs)
        print("  " + (text if len(text) <= 150 else text[:149] + "…"))


def _print_indices(results: SurveyResults, names: dict[str, str]) -> None:
    print(f"  {'Mã đơn vị':<12}{'Số phiếu':>10}{'Chỉ số':>10}  {'KTC 95 %':<20}{'Mẫu':<14}Tên")
    everyone = [("*", "Toàn tỉnh", results.overall)]
    everyone += [(c, names.get(c, ""), u) for c, u in results.units.items()]
    for code, name, u in everyone:
        e = u.index
        low, high = (
            (e.share_low, e.share_high) if e.share is not None else (e.mean_low, e.mean_high)
        )
        interval = "" if low is None or high is None else f"{format_vn(low)} – {format_vn(high)}"
        sample = "đủ" if u.sample.enough else "thiếu" if u.sample.enough is False else "—"
        if not u.rankable:
            sample += ", không xếp hạng"
        print(
            f"  {code:<12}{_int(u.n):>10}{_pct(index_value(e)):>10}  {interval:<20}{sample:<14}"
            f"{name}".rstrip()
        )


class _Progress:
    """A one-line progress bar on stderr: rows read, per cent of the estimated total."""

    def __init__(self, path: Path, stream: TextIO) -> None:
        self.stream = stream
        self.total = estimated_rows(path)
        self.started = time.monotonic()
        self.rows = 0
        self.shown = False

    def __call__(self, rows: int) -> None:
        self.rows = rows
        self._draw(min(rows / self.total, 0.99) if self.total else None)

    def _draw(self, share: float | None) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        head = "" if share is None else f"[{'#' * int(share * 30):<30}] {share:>4.0%} "
        speed = _int(int(self.rows / elapsed))
        self.stream.write(f"\rđọc câu trả lời: {head}{_int(self.rows)} dòng, {speed} dòng/s ")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Redraw at 100 % (the total was an estimate) and end the line."""
        if self.shown:
            self._draw(1.0 if self.total else None)
            self.stream.write("\n")
            self.stream.flush()
