#!/usr/bin/env python3
"""Benchmark of survey import and indices on a synthetic national SIPAS file.

1,000,000 responses (by default) in one KoboToolbox-style CSV: the shipped instrument
``sipas-2017`` (22 counted questions) plus the respondent's role (P1), age group (P3) and
number of visits (P4) — 25 questions — with the unit (3,321 communes, as after the 2025
reform), a design weight, submission ids and times, and Kobo's metadata columns. The file is
generated with a fixed seed (not timed) and then measured:

1. ``read_responses_file``: CSV parsing, every row validated, answers tallied;
2. ``compute_indices``: every question, group, unit and the province with 95 % intervals and
   the sample-size check of every unit;
3. ``leaf_indices`` for the commune methodology ``xa-phuong-mau`` (the 5 SIPAS leaves).

Goal (issue #4, item 6): phases 1–3 together ≤ 20 s and peak memory ≤ 2 GB on a 2-core
machine. A measurement, not a test: exits 0 whatever the verdict, unless a sanity check fails
(the tallies must match what the generator wrote) — then the figures would mean nothing.

    .venv/bin/python bench/survey.py                      # full run (generates ~190 MB)
    .venv/bin/python bench/survey.py --rows 20000         # quick run
    .venv/bin/python bench/survey.py --weights individual # a different weight per response
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import MB, ROOT, current_rss_mb, machine
from parindex.core import load_methodology
from parindex.core.survey import compute_indices, load_shipped_instrument
from parindex.survey_io import read_responses_file

ROWS = 1_000_000
UNITS = 3_321  # communes, wards and special zones after 1/7/2025 (Nghị quyết 202/2025/QH15)
SEED = 20260101
GOAL_TOTAL_S = 20.0
GOAL_MEMORY_MB = 2000.0  # 2 GB = 2·10^9 bytes (the stricter reading)
INSTRUMENT = "sipas-2017"
METHODOLOGY = ROOT / "src" / "parindex" / "methodologies" / "xa-phuong-mau.yaml"
GROUPS = {  # Kobo group name → the instrument's questions in it
    "tiep_can": ["A1", "A2", "A3", "A4"],
    "thu_tuc": ["B1", "B2", "B3", "B4", "B5"],
    "cong_chuc": ["C1", "C2", "C3", "C4", "C5", "C6"],
    "ket_qua": ["D1", "D2", "D3"],
    "phan_anh": ["E1", "E2", "E3", "E4"],
}
SCORED = [q for qs in GROUPS.values() for q in qs]
CHECKED = ("A1", "C4", "E4")  # questions whose tallies the generator keeps for the sanity check
HEADER = [
    "start",
    "end",
    "thong_tin/P1",
    "thong_tin/P3",
    "thong_tin/P4",
    "thong_tin/don_vi",
    *(f"{group}/{q}" for group, qs in GROUPS.items() for q in qs),
    "trong_so",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_index",
]
CODES = ["1", "2", "3", "4", "5", "9", ""]  # 9: no answer; "": skipped


def unit_plan(rows: int, units: int, rng: random.Random) -> list[tuple[str, int, int]]:
    """(code, responses, population) per unit: sizes vary ±50 %; about 8 % of units serve a
    population so large that their sample is too small to rank."""
    shares = [rng.uniform(0.5, 1.5) for _ in range(units)]
    total = sum(shares)
    sizes = [max(1, int(rows * s / total)) for s in shares]
    for i in range(rows - sum(sizes)):
        sizes[i % units] += 1
    plan = []
    for i, n in enumerate(sizes):
        population = 20_000 if rng.random() < 0.08 else round(n * rng.uniform(1.2, 1.6))
        plan.append((f"X{i + 1:04d}", n, population))
    return plan


def generate(path: Path, rows: int, units: int, seed: int, weights: str) -> dict[str, Any]:
    """Write the CSV; return what the sanity check compares against (counts per unit, and
    per code the count and weight sum of the CHECKED questions)."""
    rng = random.Random(seed)
    plan = unit_plan(rows, units, rng)
    order = [u for u, (_, n, _) in enumerate(plan) for _ in range(n)]
    rng.shuffle(order)
    quality = [rng.uniform(0.55, 0.95) for _ in plan]
    cum = []
    for q in quality:  # P(1..5, 9, blank); satisfied = 4 or 5 with probability ≈ q
        p = [(1 - q) * 0.95 * s for s in (0.2, 0.3, 0.5)] + [q * 0.95 * 0.6, q * 0.95 * 0.4]
        p += [0.03, 0.02]
        cum.append([sum(p[: i + 1]) for i in range(len(p))])
    checked = {q: SCORED.index(q) for q in CHECKED}
    expected: dict[str, Any] = {
        "units": {code: n for code, n, _ in plan},
        "counts": {q: Counter() for q in CHECKED},
        "weights": {q: {} for q in CHECKED},
    }
    start = datetime(2024, 3, 1, 1, 0, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEADER) + "\n")
        for i, u in enumerate(order):
            code, n, population = plan[u]
            base = population / n
            w = base if weights == "stratum" else base * rng.uniform(0.5, 1.5)
            weight = f"{w:.4f}"
            answers = rng.choices(CODES, cum_weights=cum[u], k=len(SCORED))
            for q, j in checked.items():
                a = answers[j]
                expected["counts"][q][a] += 1
                expected["weights"][q][a] = expected["weights"][q].get(a, 0.0) + float(weight)
            moment = start + timedelta(seconds=2 * i)
            local = (moment + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%S")
            begin = (moment + timedelta(hours=7, minutes=-6)).strftime("%Y-%m-%dT%H:%M:%S")
            visits = "" if rng.random() < 0.05 else str(min(5, int(rng.expovariate(0.8)) + 1))
            row = [
                f"{begin}.000+07:00",
                f"{local}.000+07:00",
                "1" if rng.random() < 0.85 else "2",
                rng.choice("12349"),
                visits,
                code,
                *answers,
                weight,
                str(i + 1),
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                moment.strftime("%Y-%m-%dT%H:%M:%S"),
                "",
                str(i + 1),
            ]
            f.write(",".join(row) + "\n")
    expected["populations"] = {code: population for code, _, population in plan}
    return expected


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def peak_rss_mb() -> float:
    """VmHWM (this process's own peak; ru_maxrss may carry a parent's peak over exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / MB
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB


def sanity(responses: Any, results: Any, leaves: Any, expected: dict[str, Any]) -> list[str]:
    problems = []
    if responses.counts_by_unit() != expected["units"]:
        problems.append("responses per unit differ from the generated ones")
    codes = ["1", "2", "3", "4", "5", "9"]
    for q in CHECKED:
        tally = responses.tally(q)
        want = [expected["counts"][q][c] for c in codes]
        if list(tally.counts) != want or tally.blank != expected["counts"][q][""]:
            problems.append(f"{q}: counts {tally.counts}/{tally.blank}, generated {want}")
        for c, got in zip(codes, tally.weights, strict=True):
            w = expected["weights"][q].get(c, 0.0)
            if abs(got - w) > 1e-9 * max(1.0, w):
                problems.append(f"{q}, code {c}: weight sum {got}, generated {w}")
    if len(results.units) != len(expected["units"]):
        problems.append(f"{len(results.units)} units with indices")
    for unit, r in results.units.items():
        value = r.index.share
        if value is None or not Decimal(0) <= value <= Decimal(100):
            problems.append(f"{unit}: index {value}")
    if len(leaves) != len(expected["units"]) or any(len(v) != 5 for v in leaves.values()):
        problems.append("not every unit has its 5 SIPAS leaf indices")
    return problems[:20]


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    info = machine()
    print(f"parindex survey benchmark — {started:%Y-%m-%d %H:%M:%S} UTC")
    print(
        f"machine: nproc {info['nproc']}, {info['cpu']}, RAM {info['ram_gib']} GiB; "
        f"{info['python']}; commit {info['commit']}"
    )
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"survey-{args.rows}-{args.units}-{args.seed}-{args.weights}.csv"
    gen_s, expected = timed(lambda: generate(path, args.rows, args.units, args.seed, args.weights))
    size = path.stat().st_size
    print(
        f"workload: {args.rows:,} responses × {len(HEADER)} columns (25 questions: "
        f"{len(SCORED)} counted + P1, P3, P4), {args.units:,} units, weights {args.weights}; "
        f"{size / MB:.1f} MB CSV; seed {args.seed}; generated in {gen_s:.1f} s"
    )
    instrument = load_shipped_instrument(INSTRUMENT)
    methodology = load_methodology(METHODOLOGY)
    populations = expected["populations"]
    gc.collect()
    rss_before = current_rss_mb()

    read_s, responses = timed(lambda: read_responses_file(path, instrument))
    rss_read = current_rss_mb()
    compute_s, results = timed(
        lambda: compute_indices(instrument, responses, populations=populations)
    )
    leaves_s, leaves = timed(lambda: results.leaf_indices(methodology))
    total = read_s + compute_s + leaves_s
    peak = peak_rss_mb()
    problems = sanity(responses, results, leaves, expected)
    findings = Counter(f.code for f in results.findings)
    rankable = sum(1 for r in results.units.values() if r.rankable)
    if not args.keep:
        path.unlink()

    print()
    print(f"{'phase':<52}{'seconds':>10}{'rows/s':>14}")
    print("-" * 76)
    for name, s in (
        ("read_responses_file (parse, validate, tally)", read_s),
        ("compute_indices (questions, groups, units, province)", compute_s),
        ("leaf_indices (xa-phuong-mau, 5 leaves × units)", leaves_s),
        ("total", total),
    ):
        print(f"{name:<52}{s:>10.2f}{args.rows / s:>14,.0f}")
    print()
    print(f"{'memory':<52}{'MB':>10}")
    print("-" * 76)
    print(f"{'process RSS before reading':<52}{rss_before:>10.1f}")
    print(f"{'process RSS after reading (tallies kept)':<52}{rss_read:>10.1f}")
    print(f"{'process peak RSS (VmHWM, whole run)':<52}{peak:>10.1f}")
    print()
    o = results.overall
    print(
        f"province: {len(responses):,} responses, SIPAS index {o.index.share} % "
        f"[{o.index.share_low}; {o.index.share_high}], n_eff {o.index.n_eff}"
    )
    print(
        f"units: {len(results.units):,}, rankable {rankable:,}; findings: "
        + (", ".join(f"{k} {v:,}" for k, v in sorted(findings.items())) or "none")
    )
    print(f"sanity: {'OK' if not problems else 'FAILED'} — tallies match the generator")
    for problem in problems:
        print(f"  ! {problem}")

    full = args.rows == ROWS
    time_ok, mem_ok = total <= GOAL_TOTAL_S, peak <= GOAL_MEMORY_MB

    def verdict(ok: bool) -> str:
        return ("PASS" if ok else "FAIL") if full else "n/a"

    note = "" if full else f" (goal is for {ROWS:,} responses; this run has {args.rows:,})"
    if info["nproc"] != 2:
        note += f" (goal is for a 2-core machine; this one has nproc {info['nproc']})"
    print()
    print(
        f"verdict: total {total:.2f} s ≤ {GOAL_TOTAL_S:.0f} s: {verdict(time_ok)}; "
        f"peak memory {peak:.1f} MB ≤ {GOAL_MEMORY_MB:.0f} MB: {verdict(mem_ok)}{note}"
    )
    if args.json:
        figures = {
            "date": f"{started:%Y-%m-%dT%H:%M:%SZ}",
            "machine": info,
            "rows": args.rows,
            "units": args.units,
            "seed": args.seed,
            "weights": args.weights,
            "csv_mb": size / MB,
            "generate_s": gen_s,
            "read_s": read_s,
            "compute_s": compute_s,
            "leaves_s": leaves_s,
            "total_s": total,
            "rss_before_mb": rss_before,
            "rss_after_read_mb": rss_read,
            "peak_rss_mb": peak,
            "province_index": str(o.index.share),
            "rankable": rankable,
            "findings": dict(findings),
            "sanity": problems,
            "goal": {"total_s": GOAL_TOTAL_S, "memory_mb": GOAL_MEMORY_MB},
            "verdict": {"full_size": full, "time": verdict(time_ok), "memory": verdict(mem_ok)},
        }
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"figures written to {args.json}")
    return 0 if not problems else 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS, help=f"responses (default {ROWS:,})")
    parser.add_argument("--units", type=int, default=UNITS, help=f"units (default {UNITS:,})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument(
        "--weights",
        choices=("stratum", "individual"),
        default="stratum",
        help="stratum: one design weight per unit (default); individual: one per response",
    )
    parser.add_argument("--keep", action="store_true", help="keep the CSV in bench/out/")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.rows < 1 or not 1 <= args.units <= args.rows:
        parser.error("need --rows ≥ 1 and 1 ≤ --units ≤ --rows")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
