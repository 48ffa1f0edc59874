#!/usr/bin/env python3
"""Benchmark of the web application on PostgreSQL at national scale.

Loads a period of 3,300 units × 150 leaves (by default) into its own PostgreSQL database
(``parindex_bench``), serves the application the way production would (gunicorn, DEBUG off,
a secret key, ALLOWED_HOSTS, persistent database connections), logs in one officer per client
and lets 50 concurrent clients each repeat: GET the self-assessment page of its unit (opened on
the area of the leaf it saves next: the page holds one area, the others load when opened), POST
that leaf's save (phase 1), then POST saves only (phase 2); one client alone first gives the service
time without queueing. It reports p50/p95/p99, mean, requests per second and errors for each
request kind, the CPU split of each window and the CPU per request, then times
``period_finalize`` of the whole period (median of a few runs, in a separate process whose peak
RSS is reported).

Goal (from the issue): p95 ≤ 250 ms for both requests under 50 clients and finalization
≤ 30 s, on a 2-core machine. This is a measurement, not a test: it exits 0 whatever the
verdict, unless something crashes or a sanity check fails (then the figures mean nothing).

    .venv/bin/python bench/web.py                      # full scale (about 10 minutes)
    .venv/bin/python bench/web.py --units 100 --clients 10 --requests 100   # quick run
    .venv/bin/python bench/web.py --profile --keep     # + where the time goes; keep the DB
    .venv/bin/python bench/web.py --reuse --think 10   # kept DB, users who think ~10 s

The methodology and the inputs come from the generator of ``bench/engine.py`` (imported, not
copied). The bench database is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import http.client
import io
import json
import os
import pstats
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import (
    AREAS,
    MAX_POINTS,
    LeafSpec,
    build_inputs,
    build_methodology,
    build_units,
    draw,
    machine,
)

UNITS = 3300
LEAVES = 150
CLIENTS = 50
REQUESTS = 1000  # measured iterations (page + save) of each phase
WARMUP = 2  # page + save iterations per client before measuring
SEED = 20260101
FINALIZE_RUNS = 3
GOAL_P95_MS = 250.0
GOAL_FINALIZE_S = 30.0
DB_URL = "postgres://postgres@127.0.0.1:5432/parindex_bench"
PASSWORD = "bench-mat-khau-2026"
PERIOD_NAME = "Kỳ đánh giá đo hiệu năng (bench/web.py)"
MB = 1_000_000
ROOT = Path(__file__).resolve().parent.parent
KINDS = ("page", "save")

# --------------------------------------------------------------------------------------------
# Methodology: the engine benchmark's YAML, optionally cut to fewer leaves (whole areas)
# --------------------------------------------------------------------------------------------


def methodology_text(seed: int, leaves: int) -> tuple[str, list[LeafSpec]]:
    """The engine benchmark's methodology; for ``leaves`` < 150, its first standard areas
    (whole areas, so that maxima still add up) plus the bonus and penalty areas."""
    text, specs = build_methodology(seed)
    if leaves >= LEAVES:
        return text, specs
    extra = sum(1 for s in specs if s.path[0] not in {a[0] for a in AREAS})
    keep: list[str] = []
    count = extra
    for code, _, _, per in AREAS:
        if count >= leaves and keep:
            break
        keep.append(code)
        count += sum(per)
    dropped = {a[0] for a in AREAS} - set(keep)
    top = sum(t for code, _, t, _ in AREAS if code in keep)
    out: list[str] = []
    skipping = False
    for line in text.splitlines():
        m = re.match(r'  - code: "(\d+)"$', line)
        if m:
            skipping = m.group(1) in dropped
        if line == f"max_points: {MAX_POINTS}":
            line = f"max_points: {top}"
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n", [s for s in specs if s.path[0] not in dropped]


# --------------------------------------------------------------------------------------------
# Machine and database
# --------------------------------------------------------------------------------------------


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def check_db_url(url: str) -> str | None:
    name = db_name(url)
    if not urlsplit(url).scheme.startswith("postgres"):
        return "--db must be a PostgreSQL URL (postgres://…)"
    if not name or name == "parindex_ci" or name.startswith("test_") or name == "postgres":
        return f"refusing database '{name}': it belongs to the test suite or the server"
    return None


def _admin_connect(url: str) -> Any:
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def db_exists(url: str) -> bool:
    with _admin_connect(url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name(url)])
        return row.fetchone() is not None


def db_recreate(url: str) -> None:
    from psycopg import sql

    with _admin_connect(url) as conn:
        ident = sql.Identifier(db_name(url))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))


def db_drop(url: str) -> None:
    from psycopg import sql

    with _admin_connect(url) as conn:
        ident = sql.Identifier(db_name(url))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))


def pg_version(url: str) -> str:
    with _admin_connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return f"PostgreSQL {row[0]}" if row else "?"


def app_env(url: str, data_dir: str) -> dict[str, str]:
    """The production-like environment of the app (server, finalize child and this process)."""
    return {
        "DJANGO_SETTINGS_MODULE": "parindex.web.settings",
        "DATABASE_URL": url,
        "PARINDEX_DEBUG": "0",
        "PARINDEX_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "PARINDEX_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PARINDEX_DB_CONN_MAX_AGE": "60",
        # plain HTTP on the loopback: cookies without the Secure flag (no cost difference)
        "PARINDEX_SECURE_COOKIES": "0",
        "PARINDEX_DATA_DIR": data_dir,
    }


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) * 1024 / MB  # kB
    return float("nan")


def peak_rss_mb() -> float:
    """Peak RSS of this process image (VmHWM). Not ``ru_maxrss``: Linux carries the parent's
    peak across fork + exec into it, so a child started by a big parent would report that."""
    return _status_mb("VmHWM:")


def current_rss_mb() -> float:
    return _status_mb("VmRSS:")


# --------------------------------------------------------------------------------------------
# Loading the period
# --------------------------------------------------------------------------------------------


@dataclass
class Loaded:
    period_id: int
    admin: str
    units: int
    assessments: int
    leaf_rows: int
    filled: int
    evidence: int
    links: int
    leaves: int
    clients: list[dict[str, Any]]  # per driven unit: username, assessment id, leaves
    timings: dict[str, float] = field(default_factory=dict)


def load(args: argparse.Namespace, text: str, specs: list[LeafSpec]) -> Loaded:
    """Units, officers, methodology, a period created and opened with the services, then
    inputs (points by ``score_texts``) and evidence bulk-loaded."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from parindex.web.accounts.models import Role, User
    from parindex.web.assessments.models import Assessment, LeafScore
    from parindex.web.assessments.scoring import as_text, score_texts
    from parindex.web.evidence.models import Evidence, EvidenceLink
    from parindex.web.periods import services as ps
    from parindex.web.units.models import Unit as UnitRow
    from parindex.web.units.models import UnitGroup

    t: dict[str, float] = {}
    start = time.perf_counter()
    core_units = build_units(args.units, args.seed)
    w = build_inputs(core_units, specs, args.seed)
    t["generate"] = time.perf_counter() - start

    start = time.perf_counter()
    admin = User.objects.create_user(
        username="bench.quantri", password=PASSWORD, role=Role.ADMIN, full_name="Quản trị"
    )
    groups = {
        code: UnitGroup(code=code, name=f"Khối {code}")
        for code in sorted({u.group for u in core_units})
    }
    UnitGroup.objects.bulk_create(groups.values())
    rows = UnitRow.objects.bulk_create(
        [UnitRow(code=u.code, name=u.name, type=u.type, group=groups[u.group]) for u in core_units],
        batch_size=1000,
    )
    unit_ids = {u.code: u.pk for u in rows}
    hashed = make_password(PASSWORD)  # one Argon2 hash for every officer (same password)
    users = User.objects.bulk_create(
        [
            User(
                username=f"canbo.{u.code.lower()}",
                password=hashed,
                role=Role.OFFICER,
                unit_id=unit_ids[u.code],
                full_name=f"Cán bộ {u.name}",
            )
            for u in core_units
        ],
        batch_size=1000,
    )
    user_ids = {u.unit_id: u.pk for u in users}
    t["units_users"] = time.perf_counter() - start

    version = ps.methodology_register(actor=admin, text=text, source_name="bench-web.yaml")
    now = datetime.now(UTC)
    deadlines = {
        "self_assessment_deadline": now + timedelta(days=30),
        "appraisal_deadline": now + timedelta(days=40),
        "explanation_deadline": now + timedelta(days=50),
        "finalization_deadline": now + timedelta(days=60),
    }
    period = ps.period_create(
        actor=admin,
        year=2026,
        name=PERIOD_NAME,
        deadlines=deadlines,
        methodologies={g: version for g in groups.values()},
    )
    t["period_open"], created = timed(lambda: ps.period_open(actor=admin, period=period))

    # exemptions (the engine generator's ~5 % of units), a few update queries
    start = time.perf_counter()
    by_pattern: dict[frozenset[str], list[int]] = {}
    for u in core_units:
        if u.exempt:
            by_pattern.setdefault(u.exempt, []).append(unit_ids[u.code])
    for pattern, ids in by_pattern.items():
        Assessment.objects.filter(period=period, unit_id__in=ids).update(exempt=sorted(pattern))

    # inputs: most leaves filled (the last days before the deadline), points by score_texts
    m = ps.methodology_of(version)
    aids = dict(Assessment.objects.filter(period=period).values_list("unit__code", "pk").iterator())
    rng = random.Random(args.seed + 10)
    cache: dict[tuple[str, tuple[tuple[str, str], ...]], Decimal | None] = {}
    fill: list[tuple[int, str, str, Decimal | None, int]] = []
    for u in core_units:
        uid = user_ids[unit_ids[u.code]]
        for code, values in w.inputs[u.code].items():
            if rng.random() >= args.filled:
                continue
            texts = {k: as_text(v) for k, v in values.items()}
            key = (code, tuple(sorted(texts.items())))
            if key not in cache:
                scoring = score_texts(m.node(code), texts, m)
                if scoring.errors:
                    raise AssertionError(f"{u.code} {code} {texts}: {scoring.errors}")
                cache[key] = scoring.points
            fill.append(
                (aids[u.code], code, json.dumps(texts, ensure_ascii=False), cache[key], uid)
            )
    t["score_inputs"] = time.perf_counter() - start

    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_fill (aid bigint, code varchar(40), inputs jsonb, "
            "points numeric(14, 6), uid bigint)"
        )
        with cur.copy("COPY bench_fill (aid, code, inputs, points, uid) FROM STDIN") as copy:
            for row in fill:
                copy.write_row(row)
        cur.execute(
            "UPDATE assessments_leafscore AS l SET self_inputs = f.inputs, "
            "self_points = f.points, version = 2, updated_by_id = f.uid, updated_at = now() "
            "FROM bench_fill AS f WHERE l.assessment_id = f.aid AND l.node_code = f.code"
        )
        updated = cur.rowcount
        cur.execute("DROP TABLE bench_fill")
    if updated != len(fill):
        raise AssertionError(f"filled {updated} leaf rows, expected {len(fill)}")
    t["fill_inputs"] = time.perf_counter() - start

    # evidence: document citations (no file), each linked to one or two leaves
    start = time.perf_counter()
    n_evidence = n_links = 0
    if args.evidence:
        leaf_ids: dict[int, list[int]] = {}
        for aid, pk in LeafScore.objects.filter(assessment__period=period).values_list(
            "assessment_id", "pk"
        ):
            leaf_ids.setdefault(aid, []).append(pk)
        docs: list[Evidence] = []
        for u in core_units:
            aid = aids[u.code]
            for i in range(args.evidence):
                docs.append(
                    Evidence(
                        assessment_id=aid,
                        kind="document",
                        title=f"Kế hoạch số {i + 1}/KH-{u.code} về cải cách hành chính",
                        doc_number=f"{i + 1}/KH-{u.code}",
                        doc_date=now.date() - timedelta(days=rng.randrange(300)),
                        issuer=u.name,
                        summary="Kế hoạch cải cách hành chính năm 2026 của đơn vị",
                        uploaded_by_id=user_ids[unit_ids[u.code]],
                    )
                )
        docs = Evidence.objects.bulk_create(docs, batch_size=2000)
        links = []
        for e in docs:
            pool = leaf_ids[e.assessment_id]
            for pk in rng.sample(pool, min(len(pool), rng.choice((1, 1, 2)))):
                links.append(EvidenceLink(evidence_id=e.pk, leaf_id=pk))
        EvidenceLink.objects.bulk_create(links, batch_size=5000)
        n_evidence, n_links = len(docs), len(links)
    t["evidence"] = time.perf_counter() - start

    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    t["vacuum_analyze"] = time.perf_counter() - start

    leaf_rows = LeafScore.objects.filter(assessment__period=period).count()
    return Loaded(
        period_id=period.pk,
        admin=admin.username,
        units=len(core_units),
        assessments=created,
        leaf_rows=leaf_rows,
        filled=len(fill),
        evidence=n_evidence,
        links=n_links,
        leaves=len(specs),
        clients=[],
        timings=t,
    )


def pick_clients(
    args: argparse.Namespace, period_id: int, specs: list[LeafSpec]
) -> list[dict[str, Any]]:
    """The units the clients drive (spread over the list) and the leaves each may save."""
    from parindex.web.accounts.models import User
    from parindex.web.assessments.models import Assessment, LeafScore

    assessments = list(
        Assessment.objects.filter(period_id=period_id)
        .order_by("unit__code")
        .values_list("pk", "unit_id", "unit__code")
    )
    step = max(1, len(assessments) // args.clients)
    chosen = assessments[::step][: args.clients]
    if len(chosen) < args.clients:
        raise SystemExit(f"only {len(assessments)} units for {args.clients} clients")
    users = dict(
        User.objects.filter(unit_id__in=[c[1] for c in chosen]).values_list("unit_id", "username")
    )
    by_code = {s.code: s for s in specs}
    out = []
    for aid, unit_id, code in chosen:
        leaves = list(
            LeafScore.objects.filter(assessment_id=aid).values_list("node_code", flat=True)
        )
        editable = [c for c in leaves if by_code[c].kind != "survey"]
        out.append(
            {
                "unit": code,
                "username": users[unit_id],
                "assessment": aid,
                "leaves": len(leaves),
                "editable": sorted(editable),
                "areas": Counter(area_of(c) for c in leaves),
            }
        )
    return out


# --------------------------------------------------------------------------------------------
# In-process profile of the two requests (query counts, where the time goes)
# --------------------------------------------------------------------------------------------


def area_of(code: str) -> str:
    """The area (top-level code) of a leaf of the generated methodology: 1 for 1.2.3."""
    return code.split(".", 1)[0]


def inprocess_profile(
    client_info: dict[str, Any], specs: list[LeafSpec], seed: int, repeat: int, profile: bool
) -> dict[str, Any]:
    """One unit's page and save through Django's test client (no HTTP, no concurrency)."""
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client
    from django.test.client import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from parindex.web.accounts.models import User
    from parindex.web.assessments import policy, selectors
    from parindex.web.assessments.models import LeafScore

    user = User.objects.get(username=client_info["username"])
    aid = client_info["assessment"]
    c = Client()
    c.force_login(user)
    url = f"/assessments/{aid}/"
    c.get(url)
    page_times = []
    for _ in range(repeat):
        t, r = timed(lambda: c.get(url))
        page_times.append(t)
    with CaptureQueriesContext(connection) as q_page:
        r = c.get(url)
    page_queries = list(q_page.captured_queries)  # the log is reset by the next request
    assert r.status_code == 200, r.status_code
    size = len(r.content)
    forms = len(re.findall(rb'name="version"', r.content))
    options = len(re.findall(rb"<option ", r.content))

    area_url = f"/assessments/{aid}/area/2/"  # opening another area of the page (htmx)
    c.get(area_url)
    area_times = []
    for _ in range(repeat):
        t, r = timed(lambda: c.get(area_url))
        area_times.append(t)
    assert r.status_code == 200, r.status_code

    a = policy.visible_assessments(user).get(pk=aid)
    sel_times = []
    ctx: dict[str, Any] = {}
    for _ in range(repeat):
        t, ctx = timed(lambda: selectors.assessment_page(user, a, True, area="1"))
        sel_times.append(t)
    request = RequestFactory().get(url)
    request.user = user
    ctx.update(a=a, may_submit=False)
    render_times = []
    for _ in range(repeat):
        t, _ = timed(lambda: render_to_string("assessments/detail.html", ctx, request))
        render_times.append(t)

    rng = random.Random(seed + 99)
    by_code = {s.code: s for s in specs}
    code = client_info["editable"][0]
    save_times = [float("nan")]
    save_status = 200
    save_queries: list[dict[str, Any]] = []
    c = Client(raise_request_exception=False)
    c.force_login(user)
    with CaptureQueriesContext(connection) as q_save:
        for i in range(repeat + 1):
            leaf = LeafScore.objects.get(assessment_id=aid, node_code=code)
            data = save_form(by_code[code], leaf.version, rng, i)
            leaf_url = f"/assessments/{aid}/leaf/{code}/"
            start = len(q_save.captured_queries)
            t, r = timed(lambda: c.post(leaf_url, data))  # noqa: B023
            if r.status_code != 200:
                save_status = r.status_code
                break
            if i == 0:
                save_times = []
            else:
                save_times.append(t)
            save_queries = q_save.captured_queries[start:]

    out: dict[str, Any] = {
        "page_ms": 1000 * statistics.median(page_times),
        "page_queries": len(page_queries),
        "page_bytes": size,
        "page_leaf_forms": forms,
        "page_option_tags": options,
        "area_ms": 1000 * statistics.median(area_times),
        "selector_ms": 1000 * statistics.median(sel_times),
        "render_ms": 1000 * statistics.median(render_times),
        "save_ms": 1000 * statistics.median(save_times),
        "save_status": save_status,
        "save_queries": len(save_queries) if save_status == 200 else -1,
        "repeat": repeat,
    }
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(3):
            c.get(url)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(20)
        out["page_profile"] = buf.getvalue()
        out["page_query_sql"] = [q["sql"][:160] for q in page_queries]
        out["save_query_sql"] = [q["sql"][:160] for q in save_queries] if save_status == 200 else []
        if save_status == 200:
            prof = cProfile.Profile()
            prof.enable()
            for i in range(5):
                leaf = LeafScore.objects.get(assessment_id=aid, node_code=code)
                c.post(leaf_url, save_form(by_code[code], leaf.version, rng, 100 + i))
            prof.disable()
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(30)
            out["save_profile"] = buf.getvalue()
    return out


def save_form(spec: LeafSpec, version: int, rng: random.Random, n: int) -> dict[str, str]:
    """The POST fields of a leaf save: fresh realistic inputs and a note that changes."""
    from parindex.web.assessments.scoring import as_text

    values = draw(spec, rng, 0.85, Counter())
    data = {f"in_{k}": as_text(v) for k, v in values.items()}
    data["version"] = str(version)
    data["note"] = f"Thuyết minh lần {n}: số liệu theo báo cáo quý."
    return data


# --------------------------------------------------------------------------------------------
# The server and the clients
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn serving ``parindex.web.wsgi`` with the production-like environment."""

    def __init__(self, env: dict[str, str], workers: int, threads: int, log: Path) -> None:
        self.port = free_port()
        self.log = log
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "parindex.web.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread" if threads > 1 else "sync",
            "--threads",
            str(threads),
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "--error-logfile",
            str(log),
        ]
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env})

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}); see {self.log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/health/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn not ready after {timeout:.0f} s; see {self.log}")

    def workers(self) -> list[int]:
        try:
            path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def proc_cpu_s(pid: int) -> float:
    """user + system CPU seconds of one process (from /proc; 0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + parts[4]
    total = sum(parts[:8])
    tick = os.sysconf("SC_CLK_TCK")
    return (total - idle) / tick, total / tick


def postgres_cpu_s() -> float:
    """CPU seconds of PostgreSQL: its live processes, plus what the postmaster's exited
    children used (cutime/cstime). A read-only look at /proc."""
    procs: dict[int, list[str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if text.partition("(")[2].startswith("postgres"):
            procs[int(text.split(" ", 1)[0])] = text.rsplit(")", 1)[1].split()
    ticks = 0
    for fields in procs.values():
        ticks += int(fields[11]) + int(fields[12])
        if int(fields[1]) not in procs:  # the postmaster: add its reaped children
            ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def busy_share(seconds: float = 2.0) -> float:
    """How busy the machine is (0–1) over a short sample: other work skews the figures."""
    busy0, total0 = machine_cpu_s()
    time.sleep(seconds)
    busy1, total1 = machine_cpu_s()
    return (busy1 - busy0) / max(total1 - total0, 1e-9)


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int


class HttpClient:
    """One browser: its own connection and cookies (http.client, no dependency)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, htmx: bool = False
    ) -> tuple[int, bytes, float]:
        headers = {"Host": "127.0.0.1", "User-Agent": "parindex-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        elapsed = time.perf_counter() - start
        for cookie in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, data, elapsed

    def login(self, username: str) -> None:
        status, body, _ = self.request("GET", "/login/")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not m:
            raise RuntimeError(f"login page: HTTP {status}")
        form = {
            "csrfmiddlewaretoken": m.group(1).decode(),
            "username": username,
            "password": PASSWORD,
            "next": "",
        }
        status, body, _ = self.request("POST", "/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username}: HTTP {status}")


_VERSIONS = re.compile(
    rb'action="/assessments/\d+/leaf/([^"/]+)/"[^>]*>\s*<input[^>]*csrfmiddlewaretoken[^>]*>'
    rb'\s*<input type="hidden" name="version" value="(\d+)">'
)
_VERSION = re.compile(rb'name="version" value="(\d+)"')


@dataclass
class LoadResult:
    samples: list[Sample]
    errors: Counter[str]
    wall_s: float
    cpu: dict[str, float]
    login_s: float


def run_clients(
    args: argparse.Namespace,
    server: Server,
    clients: list[dict[str, Any]],
    specs: list[LeafSpec],
    mode: str,
    requests: int,
) -> LoadResult:
    """Log every client in, warm up, then measure ``requests`` iterations in all.

    ``mode`` "mixed": each iteration is GET page + POST save (the issue's workload): the page
    opened on the area of the leaf about to be saved (``?area=``; a page holds one area and
    loads the others when opened), then the save of that leaf with the version the page gave;
    "saves": POST save only (a page GET of every area in the warm-up to learn the leaf
    versions), to see the save's own latency without page renders queued in front of it.
    """
    by_code = {s.code: s for s in specs}
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    samples: list[Sample] = []
    tickets = [requests]
    ready = threading.Barrier(len(clients) + 1)
    done = threading.Barrier(len(clients) + 1)
    failures: list[str] = []

    def error(key: str) -> None:
        with lock:
            errors[key] += 1

    def take() -> bool:
        with lock:
            if tickets[0] <= 0:
                return False
            tickets[0] -= 1
            return True

    def worker(i: int, info: dict[str, Any]) -> None:
        rng = random.Random(args.seed * 1000 + i + (0 if mode == "mixed" else 500))
        http_ = HttpClient(server.port)
        versions: dict[str, int] = {}
        page = f"/assessments/{info['assessment']}/"
        leaves = info["editable"]
        pos = rng.randrange(len(leaves))
        mine: list[Sample] = []
        n = 0

        def get_page(area: str, measure: bool) -> bool:
            """The page opened on ``area`` (it holds that area's leaves; the others load
            when opened): the page a user has in front of them to save one of its leaves."""
            try:
                status, body, t = http_.request("GET", f"{page}?area={area}")
            except (OSError, http.client.HTTPException) as exc:
                error(f"page: {type(exc).__name__}")
                return False
            if measure:
                mine.append(Sample("page", t, status))
            if status != 200:
                error(f"page: HTTP {status}")
                return False
            found = {c.decode(): int(v) for c, v in _VERSIONS.findall(body)}
            versions.update(found)
            if len(found) != info["areas"][area]:
                error("page: leaf forms missing")
            return True

        def save(code: str, measure: bool) -> None:
            nonlocal n
            n += 1
            form = save_form(by_code[code], versions.get(code, 0), rng, n)
            form["csrfmiddlewaretoken"] = http_.cookies.get("csrftoken", "")
            path = f"/assessments/{info['assessment']}/leaf/{code}/"
            try:
                status, body, t = http_.request("POST", path, form, htmx=True)
            except (OSError, http.client.HTTPException) as exc:
                error(f"save: {type(exc).__name__}")
                return
            if measure:
                mine.append(Sample("save", t, status))
            if status in (200, 409):
                m = _VERSION.search(body)
                if m:
                    versions[code] = int(m.group(1))
            if status != 200:
                error(f"save: HTTP {status}" + (" (stale version)" if status == 409 else ""))

        def one(measure: bool) -> None:
            nonlocal pos
            if args.think > 0 and measure:
                time.sleep(rng.expovariate(1 / args.think))
            code = leaves[pos % len(leaves)]
            pos += 1
            if mode == "mixed" and not get_page(area_of(code), measure):
                return
            save(code, measure)

        try:
            http_.login(info["username"])
            if mode == "saves":  # learn every leaf's version first (not measured)
                for area in sorted(info["areas"]):
                    get_page(area, False)
            for _ in range(args.warmup):
                one(False)
        except Exception as exc:  # a client that cannot start makes the run meaningless
            failures.append(f"{info['username']}: {exc!r}")
        ready.wait()
        try:
            while not failures and take():
                one(True)
        except Exception as exc:
            failures.append(f"{info['username']}: {exc!r}")
        finally:
            with lock:
                samples.extend(mine)
            done.wait()

    login_start = time.perf_counter()
    threads = [
        threading.Thread(target=worker, args=(i, info), daemon=True)
        for i, info in enumerate(clients)
    ]
    for t in threads:
        t.start()
    ready.wait()
    login_s = time.perf_counter() - login_start
    if failures:
        done.wait()
        raise SystemExit("clients failed to start:\n  " + "\n  ".join(failures[:10]))
    workers = server.workers()
    busy0, total0 = machine_cpu_s()
    srv0 = sum(proc_cpu_s(p) for p in workers)
    pg0 = postgres_cpu_s()
    me0 = sum(os.times()[:2])
    start = time.perf_counter()
    done.wait()
    wall = time.perf_counter() - start
    busy1, total1 = machine_cpu_s()
    srv1 = sum(proc_cpu_s(p) for p in workers)
    pg1 = postgres_cpu_s()
    me1 = sum(os.times()[:2])
    for t in threads:
        t.join()
    busy, client, app, pg = busy1 - busy0, me1 - me0, srv1 - srv0, pg1 - pg0
    cpu = {
        "capacity_s": total1 - total0,
        "machine_busy_s": busy,
        "app_workers_s": app,
        "postgres_s": pg,
        "load_clients_s": client,
        "other_s": busy - app - client - pg,  # kernel threads and other people's processes
    }
    return LoadResult(samples, errors, wall, cpu, login_s)


def latency_stats(samples: list[Sample], wall: float) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        ms = sorted(1000 * s.seconds for s in samples if s.kind == kind)
        if not ms:
            continue
        q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
        out[kind] = {
            "count": len(ms),
            "ok": sum(1 for s in samples if s.kind == kind and s.status == 200),
            "p50_ms": q[49],
            "p95_ms": q[94],
            "p99_ms": q[98],
            "mean_ms": statistics.fmean(ms),
            "max_ms": ms[-1],
            "rps": len(ms) / wall,
        }
    return out


# --------------------------------------------------------------------------------------------
# Finalization (in a child process, for a clean peak RSS)
# --------------------------------------------------------------------------------------------


def finalize_child(args: argparse.Namespace) -> int:
    """Run ``period_finalize`` ``--finalize-runs`` times; print the figures as JSON."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from parindex.web.accounts.models import User
    from parindex.web.bulk import insert_rows
    from parindex.web.periods.models import Period
    from parindex.web.results import services as rs
    from parindex.web.results.models import UnitResultRecord

    admin = User.objects.get(username="bench.quantri")
    pid = args.period

    def reset() -> None:
        UnitResultRecord.objects.filter(period_id=pid).delete()
        Period.objects.filter(pk=pid).update(state="appraisal", finalized_at=None)

    rss_start = current_rss_mb()
    times: list[float] = []
    count = 0
    for _ in range(args.finalize_runs):
        reset()
        gc.collect()
        t, count = timed(lambda: rs.period_finalize(actor=admin, period=Period(pk=pid)))
        times.append(t)
    peak = peak_rss_mb()
    records = UnitResultRecord.objects.filter(period_id=pid)
    checksum = sum((r for r in records.values_list("total", flat=True)), Decimal(0))
    classes = Counter(records.values_list("class_code", flat=True))

    # where the time goes: the service's steps one by one, as it runs them (rolled back)
    class Rollback(Exception):
        pass

    reset()
    period = Period.objects.get(pk=pid)
    phases: dict[str, float] = {}
    rss: dict[str, float] = {}
    try:
        with transaction.atomic():
            gc.collect()
            phases["effective_texts"], texts = timed(lambda: rs.effective_texts(period))
            rss["effective_texts"] = current_rss_mb()
            phases["compute_period"], pairs = timed(lambda: rs.compute_period(period, texts))
            rss["compute_period"] = current_rss_mb()
            phases["_record × units"], built = timed(
                lambda: [rs._record(period, a, r, texts[a.pk]) for a, r in pairs]
            )
            rss["_record × units"] = current_rss_mb()
            phases["insert_rows (COPY) of the results"], _ = timed(
                lambda: insert_rows(UnitResultRecord, built)
            )
            rss["insert_rows (COPY) of the results"] = current_rss_mb()
            raise Rollback
    except Rollback:
        pass
    reset()
    with CaptureQueriesContext(connection) as q:
        rs.period_finalize(actor=admin, period=period)
    json_bytes = sum(
        len(json.dumps(n)) + len(json.dumps(i, ensure_ascii=False))
        for n, i in records.values_list("nodes", "inputs").iterator(chunk_size=500)
    )
    out = {
        "runs_s": times,
        "median_s": statistics.median(times),
        "records": count,
        "rss_start_mb": rss_start,
        "max_rss_mb": peak,
        "checksum_total": str(checksum),
        "classes": dict(sorted(classes.items())),
        "phases_s": phases,
        "phases_rss_mb": rss,
        "queries": len(q.captured_queries),
        "stored_json_mb": json_bytes / MB,
    }
    if args.profile:
        reset()
        prof = cProfile.Profile()
        prof.enable()
        rs.period_finalize(actor=admin, period=period)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
        out["profile"] = buf.getvalue()
    print("BENCH-JSON " + json.dumps(out))
    return 0


def run_finalize(args: argparse.Namespace, env: dict[str, str], period_id: int) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--finalize-child",
        "--period",
        str(period_id),
        "--finalize-runs",
        str(args.finalize_runs),
    ]
    if args.profile:
        cmd.append("--profile")
    out = subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"finalization failed:\n{out.stdout}\n{out.stderr}")
    line = next(x for x in out.stdout.splitlines() if x.startswith("BENCH-JSON "))
    return dict(json.loads(line.removeprefix("BENCH-JSON ")))


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def reuse(args: argparse.Namespace) -> Loaded:
    """A kept bench database: the period back to self-assessment, results removed."""
    from parindex.web.assessments.models import Assessment, LeafScore
    from parindex.web.periods.models import Period
    from parindex.web.results.models import UnitResultRecord

    period = Period.objects.filter(name=PERIOD_NAME).first()
    if period is None:
        raise SystemExit("--reuse: no bench period in this database; run without --reuse")
    UnitResultRecord.objects.filter(period=period).delete()
    Period.objects.filter(pk=period.pk).update(state="open", finalized_at=None)
    n = Assessment.objects.filter(period=period).count()
    if n != args.units:
        raise SystemExit(f"--reuse: the kept period has {n} units, not --units {args.units}")
    rows = LeafScore.objects.filter(assessment__period=period)
    return Loaded(
        period_id=period.pk,
        admin="bench.quantri",
        units=n,
        assessments=n,
        leaf_rows=rows.count(),
        filled=rows.exclude(self_inputs={}).count(),
        evidence=-1,
        links=-1,
        leaves=-1,
        clients=[],
    )


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    info = machine()
    info["postgresql"] = pg_version(args.db)
    import django
    import gunicorn

    info["django"] = django.get_version()
    info["gunicorn"] = gunicorn.__version__
    print(f"parindex web benchmark — {started:%Y-%m-%d %H:%M:%S} UTC")
    print(
        f"machine: nproc {info['nproc']}, {info['cpu']}, RAM {info['ram_gib']} GiB; "
        f"{info['postgresql']}; {info['python']}; Django {info['django']}; "
        f"gunicorn {info['gunicorn']}; commit {info['commit']}"
    )
    text, specs = methodology_text(args.seed, args.leaves)
    data_dir = tempfile.mkdtemp(prefix="parindex-bench-")
    env = app_env(args.db, data_dir)
    keep_db = args.keep
    if args.reuse and db_exists(args.db):
        django_setup(env)
        loaded = reuse(args)
        keep_db = True
        print(f"database: reusing {db_name(args.db)} (kept from an earlier --keep run)")
    else:
        db_recreate(args.db)
        django_setup(env)
        from django.core.management import call_command

        t_migrate, _ = timed(lambda: call_command("migrate", verbosity=0, interactive=False))
        loaded = load(args, text, specs)
        loaded.timings["migrate"] = t_migrate
        tm = loaded.timings
        print(
            f"database: {db_name(args.db)} created; migrate {t_migrate:.1f} s; generated in "
            f"{tm['generate']:.1f} s; units + officers {tm['units_users']:.1f} s"
        )
        print(
            f"period_open (service): {tm['period_open']:.1f} s for {loaded.assessments:,} "
            f"assessments and {loaded.leaf_rows:,} leaf rows"
        )
        print(
            f"bulk load: {loaded.filled:,} leaves filled ({loaded.filled / loaded.leaf_rows:.0%};"
            f" points by score_texts {tm['score_inputs']:.1f} s, COPY + UPDATE "
            f"{tm['fill_inputs']:.1f} s); {loaded.evidence:,} evidence documents, "
            f"{loaded.links:,} links ({tm['evidence']:.1f} s); VACUUM ANALYZE "
            f"{tm['vacuum_analyze']:.1f} s"
        )
    kinds = Counter(s.kind for s in specs)
    print(
        f"workload: {loaded.units:,} units, {len(specs)} leaves "
        f"({', '.join(f'{k} {n}' for k, n in kinds.most_common())}), seed {args.seed}"
    )
    loaded.clients = pick_clients(args, loaded.period_id, specs)

    prof = inprocess_profile(loaded.clients[0], specs, args.seed, 5, args.profile)
    print(
        f"one unit in-process (Django test client, no HTTP, no concurrency, median of 5): "
        f"page {prof['page_ms']:.0f} ms ({prof['page_queries']} queries, "
        f"{prof['page_bytes'] / 1000:,.0f} kB, {prof['page_leaf_forms']} leaf forms, "
        f"{prof['page_option_tags']:,} <option> tags; selector {prof['selector_ms']:.0f} ms, "
        f"template {prof['render_ms']:.0f} ms); opening another area "
        f"{prof['area_ms']:.0f} ms; save {prof['save_ms']:.0f} ms "
        f"({prof['save_queries']} queries)"
    )
    if prof["save_status"] != 200:
        print(f"! the save answered HTTP {prof['save_status']} in-process")

    log = Path(data_dir) / "gunicorn.log"
    idle = busy_share()
    deadline = time.monotonic() + args.wait_quiet
    while idle > 0.15 and time.monotonic() < deadline:
        time.sleep(10)
        idle = busy_share()
    print(f"machine busy before the load (2 s sample): {idle:.0%}", end="")
    print(" — other work is running: the figures below are skewed" if idle > 0.1 else "")
    server = Server(env, args.workers, args.threads, log)
    phases: dict[str, LoadResult] = {}
    try:
        server.wait_ready()
        mode = f"gthread {args.workers}×{args.threads}" if args.threads > 1 else "sync"
        print(
            f"server: gunicorn {mode} workers={args.workers}, DEBUG off, "
            f"conn_max_age 60, http://127.0.0.1:{server.port}/"
        )
        print(
            f"load: {args.clients} clients (threads, http.client, "
            f"{f'think time {args.think:g} s' if args.think else 'no think time'}), each logged "
            f"in, {args.warmup} warm-up iterations, then {args.requests:,} measured iterations "
            f"in all; phase 1: GET page (opened on the area of the leaf saved next) + POST save; "
            f"phase 2: POST save only; before them, "
            f"{args.solo} iterations of phase 1 by one client alone (no queueing) …"
        )
        if args.solo:
            phases["solo"] = run_clients(
                args, server, loaded.clients[:1], specs, "mixed", args.solo
            )
        phases["mixed"] = run_clients(args, server, loaded.clients, specs, "mixed", args.requests)
        if not args.no_save_phase:
            phases["saves"] = run_clients(
                args, server, loaded.clients, specs, "saves", args.requests
            )
    finally:
        server.stop()
    server_errors = [
        line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line
    ]
    stats = {name: latency_stats(lr.samples, lr.wall_s) for name, lr in phases.items()}
    print()
    head = f"{'phase / request':<18}{'n':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'mean':>9}{'max':>9}"
    print(f"{head}{'req/s':>9}{'errors':>8}")
    print("-" * 87)
    for name, lr in phases.items():
        for kind, st in stats[name].items():
            label = f"{name} / {kind}"
            errs = sum(1 for x in lr.samples if x.kind == kind and x.status != 200)
            print(
                f"{label:<18}{st['count']:>7,}{st['p50_ms']:>7.0f}ms{st['p95_ms']:>7.0f}ms"
                f"{st['p99_ms']:>7.0f}ms{st['mean_ms']:>7.0f}ms{st['max_ms']:>7.0f}ms"
                f"{st['rps']:>9.1f}{errs:>8}"
            )
    all_errors: Counter[str] = Counter()
    for name, lr in phases.items():
        cpu, cap = lr.cpu, lr.cpu["capacity_s"]
        all_errors.update(lr.errors)
        errs = ", ".join(f"{k}: {v}" for k, v in sorted(lr.errors.items())) or "none"
        print(
            f"{name}: {len(lr.samples) / lr.wall_s:.1f} req/s over {lr.wall_s:.1f} s; "
            f"errors: {errs}; CPU of the window ({cap:.0f} CPU·s): busy "
            f"{cpu['machine_busy_s'] / cap:.0%} = app workers {cpu['app_workers_s'] / cap:.0%}"
            f" + PostgreSQL {cpu['postgres_s'] / cap:.0%} + load clients "
            f"{cpu['load_clients_s'] / cap:.0%} + other processes {cpu['other_s'] / cap:.0%}"
        )
    print(f"server tracebacks in the gunicorn log: {len(server_errors)}")
    # Service demand: CPU per request of the app workers and PostgreSQL, which other work on
    # the machine does not inflate much, and the bound it sets on a dedicated machine.
    nproc = info["nproc"] or 1
    demand: dict[str, dict[str, float]] = {}
    for name, lr in phases.items():
        n = max(len(lr.samples), 1)
        app_ms = 1000 * lr.cpu["app_workers_s"] / n
        pg_ms = 1000 * lr.cpu["postgres_s"] / n
        bound = nproc / max((app_ms + pg_ms) / 1000, 1e-6)
        demand[name] = {
            "app_cpu_ms_per_request": app_ms,
            "postgres_cpu_ms_per_request": pg_ms,
            "max_rps_dedicated": bound,
        }
        little = ""
        if name != "solo" and not args.think:
            demand[name]["min_mean_latency_ms"] = 1000 * args.clients / bound
            little = (
                f"; with {args.clients} clients and no think time, mean latency ≥ "
                f"{args.clients / bound * 1000:,.0f} ms (Little's law)"
            )
        print(
            f"{name}: CPU per request: app {app_ms:.0f} ms + PostgreSQL {pg_ms:.1f} ms → at most "
            f"{bound:.0f} req/s on {nproc} dedicated cores{little}"
        )

    # finalization
    from parindex.web.accounts.models import User
    from parindex.web.periods import services as ps
    from parindex.web.periods.models import Period

    admin = User.objects.get(username="bench.quantri")
    ps.period_advance(actor=admin, period=Period(pk=loaded.period_id), to="appraisal")
    print()
    print(f"finalization: period_finalize × {args.finalize_runs} in a child process …")
    fin = run_finalize(args, env, loaded.period_id)
    runs = ", ".join(f"{t:.1f}" for t in fin["runs_s"])
    print(
        f"period_finalize: median {fin['median_s']:.1f} s (runs {runs} s), "
        f"{fin['records']:,} results stored; peak RSS {fin['max_rss_mb']:.0f} MB "
        f"(process start {fin['rss_start_mb']:.0f} MB)"
    )
    ph, prss = fin["phases_s"], fin["phases_rss_mb"]
    print(
        "  its steps (one extra run, step by step, rolled back): "
        + "; ".join(f"{k} {v:.1f} s (RSS then {prss[k]:.0f} MB)" for k, v in ph.items())
    )
    print(
        f"  {fin['queries']} queries (the COPY is not among them);"
        f" {fin['stored_json_mb']:.0f} MB of JSON stored"
    )
    cls = ", ".join(f"{k or '—'} {v:,}" for k, v in fin["classes"].items())
    print(f"  classes: {cls}; sum(total) = {fin['checksum_total']}")

    problems = []
    if prof["save_status"] != 200:
        problems.append(f"the save answered HTTP {prof['save_status']} in-process")
    if fin["records"] != loaded.assessments:
        problems.append(f"{fin['records']} results for {loaded.assessments} assessments")
    if all_errors or server_errors:
        problems.append("requests failed (see errors)")

    full = (
        args.units == UNITS and len(specs) == LEAVES and args.clients == CLIENTS and not args.think
    )
    page_p95 = stats["mixed"].get("page", {}).get("p95_ms", float("inf"))
    save_p95 = stats["mixed"].get("save", {}).get("p95_ms", float("inf"))

    def verdict(ok: bool) -> str:
        return ("PASS" if ok else "FAIL") if full else "n/a"

    v = {
        "full_size": full,
        "page_p95": verdict(page_p95 <= GOAL_P95_MS),
        "save_p95": verdict(save_p95 <= GOAL_P95_MS),
        "finalize": verdict(fin["median_s"] <= GOAL_FINALIZE_S),
    }
    note = (
        ""
        if full
        else f" (goals are for {UNITS:,} units × {LEAVES} leaves, {CLIENTS} clients, no think time)"
    )
    if info["nproc"] != 2:
        note += f" (goals are for a 2-core machine; this one has nproc {info['nproc']})"
    print()
    print(
        f"verdict: page p95 {page_p95:.0f} ms ≤ {GOAL_P95_MS:.0f} ms: {v['page_p95']}; "
        f"save p95 {save_p95:.0f} ms ≤ {GOAL_P95_MS:.0f} ms: {v['save_p95']}; "
        f"finalization {fin['median_s']:.1f} s ≤ {GOAL_FINALIZE_S:.0f} s: {v['finalize']}{note}"
    )
    for p in problems:
        print(f"  ! {p}")
    if args.profile:
        print()
        print("page queries:")
        for sql in prof["page_query_sql"]:
            print(f"  {sql}")
        print("save queries:")
        for sql in prof["save_query_sql"]:
            print(f"  {sql}")
        print()
        print("cProfile of 3 page requests in-process, top 20 by tottime:")
        print(prof.pop("page_profile"))
        print("cProfile of 5 saves in-process, top 30 by cumulative time:")
        print(prof.pop("save_profile", ""))

        print("cProfile of one period_finalize, top 25 by cumulative time:")
        print(fin.pop("profile", ""))

    if args.json:
        figures = {
            "date": f"{started:%Y-%m-%dT%H:%M:%SZ}",
            "machine": info,
            "command": " ".join(sys.argv),
            "scale": {
                "units": loaded.units,
                "leaves": len(specs),
                "leaf_rows": loaded.leaf_rows,
                "filled": loaded.filled,
                "evidence": loaded.evidence,
                "evidence_links": loaded.links,
                "clients": args.clients,
                "requests": args.requests,
                "warmup": args.warmup,
                "think_s": args.think,
                "workers": args.workers,
                "threads": args.threads,
                "seed": args.seed,
            },
            "load_s": loaded.timings,
            "inprocess": {k: v for k, v in prof.items() if not k.endswith("_sql")},
            "machine_busy_before_load": idle,
            "requests": stats,
            "phases": {
                name: {
                    "wall_s": lr.wall_s,
                    "rps": len(lr.samples) / lr.wall_s,
                    "errors": dict(lr.errors),
                    "cpu_s": lr.cpu,
                    "login_s": lr.login_s,
                }
                for name, lr in phases.items()
            },
            "server_tracebacks": len(server_errors),
            "demand": demand,
            "finalize": fin,
            "goal": {"p95_ms": GOAL_P95_MS, "finalize_s": GOAL_FINALIZE_S},
            "verdict": v,
            "problems": problems,
        }
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        print(f"figures written to {args.json}")

    from django.db import connections

    connections.close_all()
    if keep_db:
        print(f"database kept: {args.db}; server log and settings folder: {data_dir}")
    else:
        db_drop(args.db)
        shutil.rmtree(data_dir, ignore_errors=True)
        print(f"database {db_name(args.db)} dropped")
    return 0 if not problems else 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=UNITS, help=f"units (default {UNITS:,})")
    parser.add_argument(
        "--leaves",
        type=int,
        default=LEAVES,
        help="leaves (default 150); fewer keeps whole areas, so it rounds up (27, 41, 61, …)",
    )
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent clients (50)")
    parser.add_argument(
        "--requests", type=int, default=REQUESTS, help="measured iterations per phase (1000)"
    )
    parser.add_argument("--warmup", type=int, default=WARMUP, help="warm-up iterations per client")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean think time in seconds before each measured iteration (0: none, as the issue)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker; > 1 uses gthread (1: sync)"
    )
    parser.add_argument(
        "--filled", type=float, default=0.9, help="share of leaves with inputs (0.9)"
    )
    parser.add_argument("--evidence", type=int, default=20, help="evidence documents per unit (20)")
    parser.add_argument(
        "--finalize-runs", type=int, default=FINALIZE_RUNS, help="period_finalize runs (3)"
    )
    parser.add_argument(
        "--wait-quiet",
        type=int,
        default=0,
        metavar="S",
        help="wait up to S seconds for the machine to be idle (< 15 %% busy) before the load",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--db", default=DB_URL, help=f"bench database URL (default {DB_URL})")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse a database kept with --keep (skip loading)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument(
        "--solo",
        type=int,
        default=50,
        help="iterations of page + save by one client alone first, no queueing (50; 0: skip)",
    )
    parser.add_argument(
        "--no-save-phase", action="store_true", help="skip phase 2 (saves without page loads)"
    )
    parser.add_argument("--profile", action="store_true", help="query lists and cProfile output")
    parser.add_argument("--finalize-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--period", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.finalize_child:
        return finalize_child(args)
    if min(args.units, args.leaves, args.clients, args.requests, args.workers, args.threads) < 1:
        parser.error("--units, --leaves, --clients, --requests, --workers, --threads must be ≥ 1")
    if args.units < args.clients:
        parser.error("--units must be ≥ --clients (one unit per client)")
    problem = check_db_url(args.db)
    if problem:
        parser.error(problem)
    try:
        return run(args)
    except BaseException:
        if not args.keep and not args.reuse:  # no bench database left behind after a failure
            try:
                from django.db import connections

                connections.close_all()
            except Exception:
                pass
            db_drop(args.db)
            print(f"database {db_name(args.db)} dropped (the run failed)", file=sys.stderr)
        raise


if __name__ == "__main__":
    sys.exit(main())
