"""Who may do what: every page and API endpoint × every persona × own/other unit × stage.

``ROWS`` is the table. Each row is one URL of the project with one method it accepts, the
data a real form would send, and a rule saying what each persona must get. The rules are
written from the design's role table (§2) and the policy modules' docstrings
(``assessments/policy.py``, ``appraisal/policy.py``, ``results/policy.py``,
``api/policy.py``), never read back from the views: a view that lets more through than its
policy promises fails here. ``test_every_url_has_a_row`` enumerates the resolver, so a new
view without a row fails too.

What a persona gets:

- allowed: the page (200), a redirect after success (302), or a refusal that still proves
  access (400 with a message for htmx parts; 200 with the form and its error for full-page
  forms; a redirect with a message for the administrator's actions);
- forbidden: 404, byte for byte the answer for an id that does not exist;
- anonymous on a login-required page: a redirect to the login page; anonymous on a
  token-only API endpoint: 401.

Every request must leave the data as they were unless the row says it writes (a leaf's
version, an event, an evidence, a message, a period's state…), and no answer is a 500.

Stages: ``draft`` (period open, nothing submitted), ``submitted`` (both units submitted, the
period in appraisal, an explanation requested on 2.1 of each), ``final``, ``published``. The
world of a stage is built once for its class, inside a transaction rolled back at the end;
every case runs in a savepoint of it (pytest-django's ``db``), so no case sees another's
writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from parindex.web.api.services import token_create
from parindex.web.appraisal import services as appraisal_services
from parindex.web.appraisal.models import ExplanationRequest, Message
from parindex.web.assessments import services as assessment_services
from parindex.web.assessments.models import Assessment, Event, LeafScore
from parindex.web.evidence import services as evidence_services
from parindex.web.evidence.models import Evidence, EvidenceLink
from parindex.web.periods import services as period_services
from parindex.web.periods.models import MethodologyVersion, Period, PeriodGroup
from parindex.web.results.models import UnitResultRecord
from parindex.web.results.services import period_finalize, period_publish
from parindex.web.surveys import services as survey_services
from parindex.web.surveys.models import SurveyImport, SurveyInstrument, SurveyUnitResult
from parindex.web.units.models import Unit, UnitGroup

from .conftest import World, build_world

SURVEY = (Path(__file__).parent / "khao-sat-thu.yaml").read_text(encoding="utf-8")
SURVEY_CSV = b"unit,P1,A1,A2,B1\nSTP,1,5,4,5\nSYT,1,4,5,1\n"

DRAFT, SUBMITTED, FINAL, PUBLISHED = "draft", "submitted", "final", "published"
STAGES = (DRAFT, SUBMITTED, FINAL, PUBLISHED)
AFTER_SUBMISSION = (SUBMITTED, FINAL, PUBLISHED)
UNITS = ("STP", "SYT")
UNIT_NAMES = {"STP": "Sở Tư pháp", "SYT": "Sở Y tế"}
OTHER = {"STP": "SYT", "SYT": "STP"}
NOPE = 999_999  # an id that exists nowhere
NO_UNIT = "KHONGCO"  # a unit code that exists nowhere
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INPUTS = {
    "1.1": ["on_time"],
    "1.2": ["8", "10"],
    "2.1": ["90"],
    "2.2": ["có"],
    "4.1": ["1"],
    "5.1": ["0"],
}
# Public or infrastructure pages without a permission row (and the Django admin's own).
EXEMPT = frozenset({"home", "health", "login", "logout", "static"})


# --- personas ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    """A user of the world, described by what the design gives them (not by their id)."""

    name: str
    role: str | None  # None: an anonymous visitor
    unit: str | None = None  # officers and heads: the code of their unit
    # appraisers: unit code → the areas assigned there (None: every area)
    assigned: dict[str, frozenset[str] | None] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name

    @property
    def anonymous(self) -> bool:
        return self.role is None


EVERY_UNIT_AREA_2 = {code: frozenset({"2"}) for code in UNITS}
PERSONAS = (
    Persona("anonymous", None),
    Persona("admin", "admin"),
    Persona("officer", "officer", "STP"),
    Persona("head", "head", "STP"),
    Persona("other_officer", "officer", "SYT"),
    Persona("appraiser", "appraiser", assigned={"STP": None}),
    Persona("area_appraiser", "appraiser", assigned=EVERY_UNIT_AREA_2),
    Persona("outsider_appraiser", "appraiser"),
    Persona("viewer", "viewer"),
)


# --- expectations: the design's role table and the policy docstrings ------------------------


@dataclass(frozen=True)
class Expect:
    status: int
    writes: bool = False  # the request must change the data (else: must change nothing)
    login: bool = False  # a redirect to the login page

    def __str__(self) -> str:
        if self.login:
            return "login"
        return f"{self.status}{' (writes)' if self.writes else ''}"


OK = Expect(200)
OK_WRITES = Expect(200, writes=True)
REFUSED = Expect(400)  # an htmx part re-rendered with the reason: access proven, no change
FORM_REFUSED = Expect(200)  # a full-page form re-rendered with its error
REDIRECT = Expect(302)  # an administrator's action refused: back to the page with a message
REDIRECT_WRITES = Expect(302, writes=True)
NOT_FOUND = Expect(404)
UNAUTHORIZED = Expect(401)
LOGIN = Expect(302, login=True)

Rule = Callable[[Persona, "str | None", str], "Expect | None"]  # None: forbidden


def own(p: Persona, unit: str | None) -> bool:
    """Unit officer / head of this unit (design §2: "own unit only")."""
    return p.unit is not None and p.unit == unit


def sees_assessment(p: Persona, unit: str | None, stage: str) -> bool:
    """assessments/policy.py: administrators every assessment; officers and heads their own
    unit's; appraisers the submitted assessments of the units assigned to them; leaders never
    an assessment in progress."""
    if p.role == "admin":
        return True
    if p.unit is not None:
        return own(p, unit)
    return p.role == "appraiser" and stage != DRAFT and unit in p.assigned


def may_appraise(p: Persona, unit: str | None, area: str, stage: str) -> bool:
    """appraisal/policy.py: an appraiser, for the units and areas assigned in that period,
    once the assessment is submitted."""
    if p.role != "appraiser" or stage == DRAFT or unit not in p.assigned:
        return False
    areas = p.assigned[unit]
    return areas is None or area in areas


def reads_ranking(p: Persona, stage: str) -> bool:
    """results/policy.py table, "ranking of a period" column."""
    if p.role in ("admin", "viewer"):
        return stage in (FINAL, PUBLISHED)
    if p.role in ("appraiser", "officer", "head"):
        return stage == PUBLISHED
    return False


def reads_scorecard(p: Persona, unit: str | None, stage: str) -> bool:
    """results/policy.py table, "a unit's scorecard" column."""
    if not reads_ranking(p, stage):
        return False
    return p.role in ("admin", "viewer", "appraiser") or own(p, unit)


def api_sees_period(p: Persona, stage: str) -> bool:
    """api/policy.py: anybody sees published periods; administrators and leaders every one."""
    return p.role in ("admin", "viewer") or stage == PUBLISHED


def api_reads_results(p: Persona, stage: str) -> bool:
    """api/policy.py: the results policy, plus anybody reads a published period's ranking."""
    return stage == PUBLISHED or reads_ranking(p, stage)


def admin_only(expect: Expect | Callable[[str], Expect]) -> Rule:
    """Design §2: only the administrator configures units, methodologies and periods."""

    def rule(p: Persona, unit: str | None, stage: str) -> Expect | None:
        if p.role != "admin":
            return None
        return expect(stage) if callable(expect) else expect

    return rule


def if_sees(expect: Expect) -> Rule:
    return lambda p, unit, stage: expect if sees_assessment(p, unit, stage) else None


def if_own(expect: Expect | Callable[[Persona, str], Expect]) -> Rule:
    """Design §2: officers and heads enter self-assessment, evidence and explanations for
    their own unit only; the administrator reads them but does not enter them."""

    def rule(p: Persona, unit: str | None, stage: str) -> Expect | None:
        if not own(p, unit):
            return None
        return expect(p, stage) if callable(expect) else expect

    return rule


def if_appraises(area: str) -> Rule:
    """Appraisal actions: done while the period is in appraisal, refused (400) once final."""

    def rule(p: Persona, unit: str | None, stage: str) -> Expect | None:
        if not may_appraise(p, unit, area, stage):
            return None
        return OK_WRITES if stage == SUBMITTED else REFUSED

    return rule


def nobody(p: Persona, unit: str | None, stage: str) -> Expect | None:
    return None


def everybody(p: Persona, unit: str | None, stage: str) -> Expect | None:
    return OK


def signed_in(p: Persona, unit: str | None, stage: str) -> Expect | None:
    return None if p.anonymous else OK


def signed_in_api(p: Persona, unit: str | None, stage: str) -> Expect | None:
    """api/policy.py: units and methodologies are for signed-in callers (token or session)."""
    return UNAUTHORIZED if p.anonymous else OK


def api_result_detail(p: Persona, unit: str | None, stage: str) -> Expect | None:
    """A scorecard is not public: 404 while the period's results are hidden from the caller,
    then 401 for an anonymous caller, then the results policy."""
    if not api_reads_results(p, stage):
        return None
    if p.anonymous:
        return UNAUTHORIZED
    return OK if reads_scorecard(p, unit, stage) else None


def reads_survey(p: Persona, stage: str) -> bool:
    """surveys/policy.py table, "ranking of an import" column: administrators and leaders
    in any period state; appraisers, officers and heads with the published results."""
    if p.role in ("admin", "viewer"):
        return True
    return p.role in ("appraiser", "officer", "head") and stage == PUBLISHED


def reads_survey_unit(p: Persona, unit: str | None, stage: str) -> bool:
    """surveys/policy.py table, "one unit's results" column."""
    if not reads_survey(p, stage):
        return False
    return p.role in ("admin", "viewer", "appraiser") or own(p, unit)


# --- the world of each stage -----------------------------------------------------------------


@dataclass
class Stage:
    name: str
    world: World
    users: dict[str, Any]
    tokens: dict[str, str]
    sessions: dict[str, str]  # persona → the key of a session logged in once for the stage
    assessment: dict[str, int]  # unit code → assessment id
    evidence: dict[str, int]  # unit code → the id of a file evidence of that unit
    request: dict[str, int] = field(default_factory=dict)  # unit code → explanation on 2.1
    survey: dict[str, int] = field(default_factory=dict)  # "applied" / "preview" → import id

    @property
    def period(self) -> int:
        return self.world.period.pk

    def version(self, unit: str, code: str) -> int:
        return LeafScore.objects.get(assessment_id=self.assessment[unit], node_code=code).version


def session_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def build_stage(name: str) -> Stage:
    w = build_world()
    users = {p.name: getattr(w, p.name) for p in PERSONAS if not p.anonymous}
    tokens = {n: token_create(actor=None, user=u, name="bảng quyền")[1] for n, u in users.items()}
    sessions = {n: session_of(u) for n, u in users.items()}
    units = {"STP": (w.stp, w.officer, w.head), "SYT": (w.syt, w.other_officer, w.other_head)}
    assessments = {
        c: Assessment.objects.get(period=w.period, unit=u) for c, (u, _, _) in units.items()
    }
    evidence = {}
    for code, (_, officer, _) in units.items():
        a = assessments[code]
        ev = evidence_services.evidence_upload(
            actor=officer,
            assessment=a,
            upload=SimpleUploadedFile(f"ke-hoach-{code}.pdf", PDF + code.encode()),
            title=f"Kế hoạch CCHC {code}",
            leaves=[a.leaves.get(node_code="1.1")],
        )
        evidence[code] = ev.pk
    ids = {c: a.pk for c, a in assessments.items()}
    stage = Stage(name, w, users, tokens, sessions, ids, evidence)
    build_survey(stage)
    if name == DRAFT:
        return stage
    m = period_services.methodology_of(assessments["STP"].methodology)
    for code, (_, _, head) in units.items():
        for node, values in INPUTS.items():
            leaf = assessments[code].leaves.get(node_code=node)
            names = [s.name for s in m.node(node).inputs]
            assessment_services.leaf_save_self(
                actor=head,
                leaf=leaf,
                inputs=dict(zip(names, values, strict=True)),
                note="",
                version=leaf.version,
            )
        assessment_services.assessment_submit(
            actor=head, assessment=assessments[code], acknowledge_missing=True
        )
    period_services.period_advance(actor=w.admin, period=w.period, to="appraisal")
    for code in UNITS:
        req = appraisal_services.explanation_request(
            actor=w.area_appraiser,
            leaf=assessments[code].leaves.get(node_code="2.1"),
            question="Đề nghị cung cấp báo cáo của hệ thống một cửa",
        )
        stage.request[code] = req.pk
    if name in (FINAL, PUBLISHED):
        period_finalize(actor=w.admin, period=w.period)
    if name == PUBLISHED:
        period_publish(actor=w.admin, period=w.period)
    w.period.refresh_from_db()
    return stage


def build_survey(stage: Stage) -> None:
    """A survey applied while the period is open (3.1 of both units scored), and a second
    import of the same file left in preview."""
    w = stage.world
    instrument = survey_services.instrument_register(
        actor=w.admin, text=SURVEY, source_name="khao-sat-thu.yaml"
    )

    def preview() -> SurveyImport:
        return survey_services.survey_import_preview(
            actor=w.admin,
            period=w.period,
            instrument=instrument,
            upload=SimpleUploadedFile("tra-loi.csv", SURVEY_CSV),
        )

    applied = preview()
    survey_services.survey_import_apply(actor=w.admin, survey_import=applied)
    stage.survey = {"instrument": instrument.pk, "applied": applied.pk, "preview": preview().pk}


# --- the table ---------------------------------------------------------------------------------

Url = Callable[[Stage, "str | None"], str]
Data = Callable[[Stage, "str | None"], dict]
Check = Callable[[HttpResponse, Persona, "str | None", Stage], None]


@dataclass(frozen=True)
class Row:
    view: str  # the URL name, with its namespace ("api:…")
    method: str
    url: Url
    rule: Rule
    label: str = ""
    unit_scoped: bool = True  # run for the own unit (STP) and the other unit (SYT)
    stages: tuple[str, ...] = STAGES
    data: Data | None = None
    missing: Url | None = None  # the same request for an object that does not exist
    login_required: bool = True  # anonymous visitors are sent to the login page
    api: str = ""  # "token" or "session": how an API caller identifies itself
    check: Check | None = None  # what the answer may show, beyond its status

    @property
    def id(self) -> str:
        return f"{self.view}:{self.method}" + (f"[{self.label}]" if self.label else "")

    def expect(self, p: Persona, unit: str | None, stage: str) -> Expect:
        allowed = self.rule(p, unit, stage)
        if allowed is not None:
            return allowed
        if p.anonymous and self.login_required:
            return LOGIN
        return NOT_FOUND


def a_url(name: str, *extra: str) -> Url:
    return lambda s, u: reverse(name, args=[s.assessment[u], *extra])


def p_url(name: str, *extra: str) -> Url:
    return lambda s, u: reverse(name, args=[s.period, *extra])


def missing_id(name: str, *extra: str) -> Url:
    """The same URL for an assessment, period or evidence id that does not exist."""
    return lambda s, u: reverse(name, args=[NOPE, *extra])


def unit_url(name: str, *extra: str) -> Url:
    return lambda s, u: reverse(name, args=[s.period, u, *extra])


def unit_missing(name: str, *extra: str) -> Url:
    return lambda s, u: reverse(name, args=[s.period, NO_UNIT, *extra])


def fixed(name: str) -> Url:
    return lambda s, u: reverse(name)


def leaf_save(s: Stage, u: str | None) -> dict:
    return {"in_numerator": "9", "in_denominator": "10", "note": "", "version": s.version(u, "1.2")}


def appraise_data(code: str) -> Data:
    return lambda s, u: {"action": "accept", "remark": "", "version": s.version(u, code)}


def decide_data(s: Stage, u: str | None) -> dict:
    return {"action": "keep", "remark": "Giữ điểm thẩm định", "version": s.version(u, "2.1")}


def new_period(s: Stage, u: str | None) -> dict:
    pg = PeriodGroup.objects.get(period_id=s.period)
    return {
        "year": "2027",
        "name": "Kỳ đánh giá CCHC năm 2027",
        "self_assessment_deadline": "31/03/2027",
        "appraisal_deadline": "30/04/2027",
        "explanation_deadline": "31/05/2027",
        "finalization_deadline": "30/06/2027",
        f"group_{pg.group_id}": str(pg.methodology_id),
    }


def units_file(s: Stage, u: str | None) -> dict:
    csv = "code,name,type,group,group_name,parent,valid_from,valid_to,predecessors\n"
    csv += "SNV,Sở Nội vụ,department,SBN,,,,,\n"
    return {"file": SimpleUploadedFile("don-vi.csv", csv.encode())}


def evidence_expect(code: str, stage: str) -> Expect:
    """Evidence is added until the period is final; after submission only to a leaf with an
    open explanation request (evidence/services.py ``_link``)."""
    if stage in (FINAL, PUBLISHED):
        return REFUSED
    if stage == SUBMITTED and code != "2.1":
        return REFUSED
    return OK_WRITES


NEXT_ACTION = {DRAFT: "appraisal", SUBMITTED: "explanation", FINAL: "publish", PUBLISHED: "publish"}


def show_only(shown: Callable[[Persona, str, Stage], bool]) -> Check:
    """The page names exactly the units ``shown`` allows (the other ones must not appear)."""

    def check(response: HttpResponse, p: Persona, unit: str | None, s: Stage) -> None:
        html = response.content.decode()
        for code in UNITS:
            expected = shown(p, code, s)
            assert (UNIT_NAMES[code] in html) == expected, (
                f"{UNIT_NAMES[code]} should {'' if expected else 'not '}appear"
            )

    return check


def scorecard_links(response: HttpResponse, p: Persona, unit: str | None, s: Stage) -> None:
    """A ranking links to exactly the scorecards the reader may open."""
    html = response.content.decode()
    for code in UNITS:
        link = reverse("results-unit", args=[s.period, code])
        expected = reads_scorecard(p, code, s.name)
        assert (f'href="{link}"' in html) == expected, f"link to {link}: expected {expected}"


def no_scorecard_links(response: HttpResponse, p: Persona, unit: str | None, s: Stage) -> None:
    html = response.content.decode()
    assert "/unit/" not in html, "a public page links to an internal scorecard"


def answer_cites_own_evidence_only(
    response: HttpResponse, p: Persona, unit: str | None, s: Stage
) -> None:
    """An answer may cite its own unit's evidence only; another unit's id is dropped."""
    if response.status_code != 302:
        return
    message = Message.objects.filter(request_id=s.request[unit]).order_by("-pk").first()
    cited = set(message.evidence.values_list("pk", flat=True))
    assert cited == {s.evidence[unit]}, f"the answer cites {cited}"


def period_count(response: HttpResponse, p: Persona, unit: str | None, s: Stage) -> None:
    expected = 1 if api_sees_period(p, s.name) else 0
    assert response.json()["count"] == expected, "API period list shows periods it should not"


def survey_url(name: str, key: str) -> Url:
    return lambda s, u: reverse(name, args=[s.survey[key]])


def survey_unit_url(name: str, code: str | None = None) -> Url:
    return lambda s, u: reverse(name, args=[s.survey["applied"], code or u])


def survey_file(s: Stage, u: str | None) -> dict:
    return {
        "instrument": s.survey["instrument"],
        "file": SimpleUploadedFile("tra-loi.csv", SURVEY_CSV),
        "populations": "STP, 40",
    }


def survey_index_links(response: HttpResponse, p: Persona, unit: str | None, s: Stage) -> None:
    """The survey index lists the applied survey to exactly those who may read it."""
    link = reverse("survey-ranking", args=[s.survey["applied"]])
    expected = reads_survey(p, s.name)
    assert (f'href="{link}"' in response.content.decode()) == expected, f"{link}: {expected}"


def survey_unit_links(response: HttpResponse, p: Persona, unit: str | None, s: Stage) -> None:
    """A survey ranking links to exactly the units' results the reader may open."""
    html = response.content.decode()
    for code in UNITS:
        link = reverse("survey-unit", args=[s.survey["applied"], code])
        expected = reads_survey_unit(p, code, s.name)
        assert (f'href="{link}"' in html) == expected, f"link to {link}: expected {expected}"


def survey_rows() -> list[Row]:
    """Surveys: the administrator manages; results follow surveys/policy.py."""
    importable = (DRAFT, SUBMITTED)  # the period is open or in appraisal: not yet final
    ranking = lambda p, u, st: OK if reads_survey(p, st) else None  # noqa: E731
    return [
        Row(
            "survey-index",
            "GET",
            fixed("survey-index"),
            signed_in,
            unit_scoped=False,
            check=survey_index_links,
        ),
        Row(
            "survey-period",
            "GET",
            p_url("survey-period"),
            admin_only(OK),
            unit_scoped=False,
            missing=missing_id("survey-period"),
        ),
        Row(
            "survey-instrument-add",
            "POST",
            p_url("survey-instrument-add"),
            admin_only(REDIRECT_WRITES),
            label="shipped",
            unit_scoped=False,
            stages=(DRAFT,),
            missing=missing_id("survey-instrument-add"),
            data=lambda s, u: {"shipped": "sipas-2017.yaml"},
        ),
        Row(
            "survey-import-new",
            "GET",
            p_url("survey-import-new"),
            admin_only(OK),
            unit_scoped=False,
            missing=missing_id("survey-import-new"),
        ),
        Row(
            "survey-import-new",
            "POST",
            p_url("survey-import-new"),
            admin_only(lambda st: REDIRECT_WRITES if st in importable else FORM_REFUSED),
            unit_scoped=False,
            missing=missing_id("survey-import-new"),
            data=survey_file,
        ),
        Row(
            "survey-import",
            "GET",
            survey_url("survey-import", "preview"),
            admin_only(OK),
            unit_scoped=False,
            missing=missing_id("survey-import"),
        ),
        Row(
            "survey-import-apply",
            "POST",
            survey_url("survey-import-apply", "preview"),
            admin_only(lambda st: REDIRECT_WRITES if st in importable else REDIRECT),
            unit_scoped=False,
            missing=missing_id("survey-import-apply"),
        ),
        Row(
            "survey-import-discard",
            "POST",
            survey_url("survey-import-discard", "preview"),
            admin_only(REDIRECT_WRITES),
            unit_scoped=False,
            missing=missing_id("survey-import-discard"),
        ),
        Row(
            "survey-ranking",
            "GET",
            survey_url("survey-ranking", "applied"),
            ranking,
            unit_scoped=False,
            missing=missing_id("survey-ranking"),
            check=survey_unit_links,
        ),
        Row(
            "survey-ranking-export",
            "GET",
            survey_url("survey-ranking-export", "applied"),
            ranking,
            unit_scoped=False,
            missing=missing_id("survey-ranking-export"),
        ),
        *[
            Row(
                name,
                "GET",
                survey_unit_url(name),
                lambda p, u, st: OK if reads_survey_unit(p, u, st) else None,
                missing=survey_unit_url(name, NO_UNIT),
            )
            for name in ("survey-unit", "survey-unit-export")
        ],
    ]


def page_rows() -> list[Row]:
    """Every HTML page and action (sessions)."""
    leaf = ("1.2",)
    return [
        # --- project
        Row(
            "dashboard",
            "GET",
            fixed("dashboard"),
            signed_in,
            unit_scoped=False,
            check=show_only(lambda p, code, s: own(p, code)),
        ),
        Row(
            "set_language",
            "POST",
            fixed("set_language"),
            lambda p, u, st: REDIRECT,
            label="en",
            unit_scoped=False,
            login_required=False,
            data=lambda s, u: {"language": "en", "next": "/"},
        ),
        # --- units, methodologies, periods: the administrator's pages
        Row("units", "GET", fixed("units"), admin_only(OK), unit_scoped=False, stages=(DRAFT,)),
        Row(
            "units",
            "POST",
            fixed("units"),
            admin_only(REDIRECT_WRITES),
            unit_scoped=False,
            stages=(DRAFT,),
            data=units_file,
        ),
        Row(
            "methodologies",
            "GET",
            fixed("methodologies"),
            admin_only(OK),
            unit_scoped=False,
            stages=(DRAFT,),
        ),
        Row(
            "methodologies",
            "POST",
            fixed("methodologies"),
            admin_only(REDIRECT_WRITES),
            unit_scoped=False,
            stages=(DRAFT,),
            data=lambda s, u: {"shipped": period_services.shipped_methodologies()[0]},
        ),
        Row(
            "period-new",
            "GET",
            fixed("period-new"),
            admin_only(OK),
            unit_scoped=False,
            stages=(DRAFT,),
        ),
        Row(
            "period-new",
            "POST",
            fixed("period-new"),
            admin_only(REDIRECT_WRITES),
            unit_scoped=False,
            stages=(DRAFT,),
            data=new_period,
        ),
        Row(
            "period",
            "GET",
            p_url("period"),
            admin_only(OK),
            unit_scoped=False,
            missing=missing_id("period"),
        ),
        Row(
            "period-progress-export",
            "GET",
            p_url("period-progress-export"),
            admin_only(OK),
            unit_scoped=False,
            missing=missing_id("period-progress-export"),
        ),
        Row(
            "period-action",
            "POST",
            p_url("period-action"),
            admin_only(lambda st: REDIRECT if st == PUBLISHED else REDIRECT_WRITES),
            label="next step",
            unit_scoped=False,
            missing=missing_id("period-action"),
            data=lambda s, u: {"action": NEXT_ACTION[s.name]},
        ),
        Row(
            "period-reopen",
            "POST",
            p_url("period-reopen"),
            # before submission there is nothing to reopen: refused, nothing written
            admin_only(lambda st: REDIRECT_WRITES if st == SUBMITTED else REDIRECT),
            label="1.2",
            missing=missing_id("period-reopen"),
            data=lambda s, u: {"unit": u, "node": "1.2", "reason": "Sai số liệu"},
        ),
        # --- self-assessment
        Row(
            "assessment", "GET", a_url("assessment"), if_sees(OK), missing=missing_id("assessment")
        ),
        Row(
            "assessment-area",
            "GET",
            a_url("assessment-area", "2"),
            if_sees(OK),
            label="2",
            missing=missing_id("assessment-area", "2"),
        ),
        Row(
            "assessment-leaf",
            "GET",
            a_url("assessment-leaf", *leaf),
            if_sees(OK),
            label="1.2",
            missing=missing_id("assessment-leaf", *leaf),
        ),
        Row(
            "assessment-leaf",
            "POST",
            a_url("assessment-leaf", *leaf),
            if_own(lambda p, st: OK_WRITES if st == DRAFT else REFUSED),
            label="1.2",
            missing=missing_id("assessment-leaf", *leaf),
            data=leaf_save,
        ),
        Row(
            "assessment-leaf-preview",
            "POST",
            a_url("assessment-leaf-preview", *leaf),
            if_sees(OK),
            label="1.2",
            missing=missing_id("assessment-leaf-preview", *leaf),
            data=lambda s, u: {"in_numerator": "8", "in_denominator": "10"},
        ),
        Row(
            "assessment-leaf-history",
            "GET",
            a_url("assessment-leaf-history", *leaf),
            if_sees(OK),
            label="1.2",
            missing=missing_id("assessment-leaf-history", *leaf),
        ),
        Row(
            "assessment-submit",
            "GET",
            a_url("assessment-submit"),
            if_own(OK),
            missing=missing_id("assessment-submit"),
        ),
        Row(
            "assessment-submit",
            "POST",
            a_url("assessment-submit"),
            if_own(
                lambda p, st: REDIRECT_WRITES if p.role == "head" and st == DRAFT else FORM_REFUSED
            ),
            missing=missing_id("assessment-submit"),
            data=lambda s, u: {"acknowledge": "1"},
        ),
        # --- evidence: until the period is final; after submission only for a leaf with an
        # open explanation request (2.1 has one from the "submitted" stage on)
        *[
            Row(
                "evidence-add",
                "POST",
                a_url("evidence-add", code),
                if_own(lambda p, st, code=code: evidence_expect(code, st)),
                label=f"url {code}",
                missing=missing_id("evidence-add", code),
                data=lambda s, u: {
                    "kind": "url",
                    "url": "https://congbao.example.vn/vb/1",
                    "title": "Công báo",
                },
            )
            for code in ("1.2", "2.1")
        ],
        Row(
            "evidence-add",
            "POST",
            a_url("evidence-add", "2.1"),
            if_own(lambda p, st: evidence_expect("2.1", st)),
            label="link own evidence 2.1",
            missing=missing_id("evidence-add", "2.1"),
            data=lambda s, u: {"kind": "link", "evidence": s.evidence[u]},
        ),
        Row(
            "evidence-add",
            "POST",
            a_url("evidence-add", "2.1"),
            nobody,
            label="link another unit's evidence 2.1",
            missing=missing_id("evidence-add", "2.1"),
            data=lambda s, u: {"kind": "link", "evidence": s.evidence[OTHER[u]]},
        ),
        Row(
            "evidence-forms",
            "GET",
            a_url("evidence-forms", "1.2"),
            if_own(OK),  # the forms are read-only HTML; adding is checked on POST
            missing=missing_id("evidence-forms", "1.2"),
        ),
        Row(
            "evidence-download",
            "GET",
            lambda s, u: reverse("evidence-download", args=[s.evidence[u]]),
            if_sees(OK),
            missing=lambda s, u: reverse("evidence-download", args=[NOPE]),
        ),
        # --- appraisal
        Row(
            "appraisal-queue",
            "GET",
            fixed("appraisal-queue"),
            lambda p, u, st: OK if p.role == "appraiser" else None,
            unit_scoped=False,
            check=show_only(lambda p, code, s: s.name == SUBMITTED and code in p.assigned),
        ),
        Row(
            "appraisal-page",
            "GET",
            a_url("appraisal-page"),
            lambda p, u, st: (
                OK if sees_assessment(p, u, st) and p.role in ("admin", "appraiser") else None
            ),
            missing=missing_id("appraisal-page"),
        ),
        Row(
            "appraisal-area",
            "GET",
            a_url("appraisal-area", "2"),
            lambda p, u, st: (
                OK if sees_assessment(p, u, st) and p.role in ("admin", "appraiser") else None
            ),
            label="2",
            missing=missing_id("appraisal-area", "2"),
        ),
        *[
            Row(
                "appraisal-leaf",
                "POST",
                a_url("appraisal-leaf", code),
                if_appraises(code[0]),
                label=code,
                missing=missing_id("appraisal-leaf", code),
                data=appraise_data(code),
            )
            for code in ("1.2", "2.1")
        ],
        *[
            Row(
                "appraisal-request",
                "POST",
                a_url("appraisal-request", code),
                if_appraises(code[0]),
                label=code,
                missing=missing_id("appraisal-request", code),
                data=lambda s, u: {"question": "Đề nghị bổ sung tài liệu kiểm chứng"},
            )
            for code in ("1.2", "2.2")
        ],
        Row(
            "appraisal-decide",
            "POST",
            a_url("appraisal-decide", "2.1"),
            if_appraises("2"),
            label="2.1",
            missing=missing_id("appraisal-decide", "2.1"),
            data=decide_data,
        ),
        Row(
            "explanation-inbox",
            "GET",
            a_url("explanation-inbox"),
            lambda p, u, st: OK if own(p, u) or p.role == "admin" else None,
            missing=missing_id("explanation-inbox"),
        ),
        Row(
            "explanation-inbox",
            "POST",
            a_url("explanation-inbox"),
            if_own(lambda p, st: REDIRECT_WRITES if st == SUBMITTED else FORM_REFUSED),
            label="answer citing both units' evidence",
            stages=AFTER_SUBMISSION,
            missing=missing_id("explanation-inbox"),
            data=lambda s, u: {
                "request": s.request[u],
                "text": "Số liệu là 90 %",
                "evidence": [s.evidence[u], s.evidence[OTHER[u]]],
            },
            check=answer_cites_own_evidence_only,
        ),
        Row(
            "explanation-inbox",
            "POST",
            a_url("explanation-inbox"),
            nobody,
            label="another unit's request",
            stages=AFTER_SUBMISSION,
            missing=missing_id("explanation-inbox"),
            data=lambda s, u: {"request": s.request[OTHER[u]], "text": "Số liệu là 90 %"},
        ),
        # --- results
        Row(
            "results-ranking",
            "GET",
            p_url("results-ranking"),
            lambda p, u, st: OK if reads_ranking(p, st) else None,
            unit_scoped=False,
            missing=missing_id("results-ranking"),
            check=scorecard_links,
        ),
        Row(
            "results-export",
            "GET",
            p_url("results-export"),
            lambda p, u, st: OK if reads_ranking(p, st) else None,
            unit_scoped=False,
            missing=missing_id("results-export"),
        ),
        *[
            Row(
                name,
                "GET",
                unit_url(name, *extra),
                lambda p, u, st: OK if reads_scorecard(p, u, st) else None,
                label="/".join(extra),
                missing=unit_missing(name, *extra),
            )
            for name, extra in (
                ("results-unit", ()),
                ("results-unit-export", ()),
                ("results-trace-total", ()),
                ("results-trace", ("2.1",)),
            )
        ],
        Row(
            "results-trace",
            "GET",
            unit_url("results-trace", "9.9"),
            nobody,
            label="unknown node",
            missing=unit_missing("results-trace", "9.9"),
        ),
        Row(
            "public-results",
            "GET",
            fixed("public-results"),
            everybody,
            unit_scoped=False,
            login_required=False,
            check=no_scorecard_links,
        ),
        Row(
            "public-ranking",
            "GET",
            p_url("public-ranking"),
            lambda p, u, st: OK if st == PUBLISHED else None,
            unit_scoped=False,
            login_required=False,
            missing=missing_id("public-ranking"),
            check=no_scorecard_links,
        ),
    ]


def api_rows(auth: str) -> list[Row]:
    """Every API endpoint, the caller identified by a bearer token or a browser session."""

    def api(name: str, *extra: Any) -> Url:
        return lambda s, u: reverse(f"api:{name}", args=[*extra])

    def period(name: str, missing: bool = False) -> Url:
        return lambda s, u: reverse(f"api:{name}", args=[NOPE if missing else s.period])

    def version(missing: bool = False) -> Url:
        def url(s: Stage, u: str | None) -> str:
            pk = NOPE if missing else PeriodGroup.objects.get(period_id=s.period).methodology_id
            return reverse("api:methodology-detail", args=[pk])

        return url

    common = {"login_required": False, "api": auth, "label": auth}
    return [
        Row("api:openapi", "GET", api("openapi"), everybody, unit_scoped=False, **common),
        Row(
            "api:period-list",
            "GET",
            api("period-list"),
            everybody,
            unit_scoped=False,
            check=period_count,
            **common,
        ),
        Row(
            "api:period-detail",
            "GET",
            period("period-detail"),
            lambda p, u, st: OK if api_sees_period(p, st) else None,
            unit_scoped=False,
            missing=period("period-detail", True),
            **common,
        ),
        Row(
            "api:result-list",
            "GET",
            period("result-list"),
            lambda p, u, st: OK if api_reads_results(p, st) else None,
            unit_scoped=False,
            missing=period("result-list", True),
            **common,
        ),
        Row(
            "api:result-detail",
            "GET",
            lambda s, u: reverse("api:result-detail", args=[s.period, u]),
            api_result_detail,
            missing=lambda s, u: reverse("api:result-detail", args=[s.period, NO_UNIT]),
            **common,
        ),
        Row("api:unit-list", "GET", api("unit-list"), signed_in_api, unit_scoped=False, **common),
        Row(
            "api:methodology-list",
            "GET",
            api("methodology-list"),
            signed_in_api,
            unit_scoped=False,
            **common,
        ),
        Row(
            "api:methodology-detail",
            "GET",
            version(),
            signed_in_api,
            unit_scoped=False,
            missing=version(True),
            **common,
        ),
        Row(
            "api:unknown",
            "GET",
            lambda s, u: "/api/v1/khong-co/",
            nobody,
            unit_scoped=False,
            **common,
        ),
    ]


ROWS = page_rows() + survey_rows() + api_rows("token") + api_rows("session")


@dataclass(frozen=True)
class Case:
    row: Row
    persona: Persona
    unit: str | None

    def __str__(self) -> str:
        return f"{self.row.id}-{self.persona}-{self.unit or 'any'}"


def cases(stage: str) -> list[Case]:
    return [
        Case(row, p, unit)
        for row in ROWS
        if stage in row.stages
        for unit in (UNITS if row.unit_scoped else (None,))
        for p in PERSONAS
    ]


# --- running a case ----------------------------------------------------------------------------


def fingerprint() -> tuple:
    """Everything a denied request must leave as it was."""
    return (
        tuple(LeafScore.objects.order_by("pk").values_list("pk", "version", "reopened")),
        tuple(Assessment.objects.order_by("pk").values_list("pk", "state")),
        tuple(Period.objects.order_by("pk").values_list("pk", "state")),
        tuple(ExplanationRequest.objects.order_by("pk").values_list("pk", "state")),
        Event.objects.count(),
        Message.objects.count(),
        Evidence.objects.count(),
        EvidenceLink.objects.count(),
        MethodologyVersion.objects.count(),
        Unit.objects.count(),
        UnitGroup.objects.count(),
        UnitResultRecord.objects.count(),
        SurveyInstrument.objects.count(),
        tuple(SurveyImport.objects.order_by("pk").values_list("pk", "state")),
        SurveyUnitResult.objects.count(),
    )


def send(
    stage: Stage, p: Persona, method: str, url: str, data: dict | None, *, token: bool = False
) -> HttpResponse:
    """One request as ``p``: a bearer token, else the session logged in for the stage."""
    client = Client()
    extra = {}
    if not p.anonymous:
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {stage.tokens[p.name]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = stage.sessions[p.name]
    if method == "GET":
        return client.get(url, **extra)
    return client.post(url, data or {}, **extra)


WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# What a read may write: when a token was last used (at most every few minutes).
BOOKKEEPING = re.compile(r'^UPDATE "api_apitoken" SET "last_used"')
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


def body(response: HttpResponse) -> bytes:
    return CSRF.sub(b"csrf", response.content)


def assert_case(stage: Stage, case: Case) -> None:
    row, p, unit = case.row, case.persona, case.unit
    expected = row.expect(p, unit, stage.name)
    url = row.url(stage, unit)
    assert resolve(url.split("?")[0]).view_name == row.view, f"{url} is not {row.view}"
    data = row.data(stage, unit) if row.data else None
    token = row.api == "token"
    if row.method == "GET":  # a read must not write at all: no data-changing SQL is run
        with CaptureQueriesContext(connection) as queries:
            response = send(stage, p, row.method, url, data, token=token)
        changed = any(WRITE.match(q["sql"]) and not BOOKKEEPING.search(q["sql"]) for q in queries)
    else:  # an action: compare the data before and after
        before = fingerprint()
        response = send(stage, p, row.method, url, data, token=token)
        changed = fingerprint() != before
    got = response.status_code
    where = f"{row.method} {url} as {p} ({stage.name}, unit {unit or '-'})"

    assert got < 500, f"{where}: {got}"
    assert got == expected.status, f"{where}: expected {expected}, got {got}"
    if expected.login:
        assert response["Location"].startswith(f"{reverse('login')}?next="), where
    if expected.status == 401:
        assert response["WWW-Authenticate"].startswith("Bearer"), where
    assert changed == expected.writes, (
        f"{where}: the data {'did not change' if expected.writes else 'changed'}"
    )
    if expected == NOT_FOUND:
        assert_same_as_missing(stage, row, p, unit, response, data, where)
    if row.check and row.rule(p, unit, stage.name) is not None:
        row.check(response, p, unit, stage)


def assert_same_as_missing(
    stage: Stage,
    row: Row,
    p: Persona,
    unit: str | None,
    response: HttpResponse,
    data: dict | None,
    where: str,
) -> None:
    """Forbidden answers like missing: the same status and body, and no other unit named.

    Compared with the same request for an id that does not exist, or (for a view without an
    id) with a path that does not exist."""
    token = row.api == "token"
    if row.missing is not None:
        missing = send(stage, p, row.method, row.missing(stage, unit), data, token=token)
    else:
        nowhere = "/api/v1/khong-ton-tai/" if row.api else "/khong-ton-tai/"
        missing = send(stage, p, "GET", nowhere, None, token=token)
    assert missing.status_code == 404, f"{where}: the missing object answered {missing.status_code}"
    assert body(response) == body(missing), f"{where}: the 404 differs from a missing object's"
    html = response.content.decode()
    for code in UNITS:
        if not own(p, code):
            assert UNIT_NAMES[code] not in html, f"{where}: the 404 names {UNIT_NAMES[code]}"


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


def storages(settings_storages: dict, root) -> dict:
    return {
        **settings_storages,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }


@pytest.fixture(autouse=True)
def _media(settings, media_root):
    """Overrides conftest's: the files of a stage are written once, for every case of it."""
    settings.STORAGES = storages(settings.STORAGES, media_root)


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames and metafunc.cls is not None:
        metafunc.parametrize("case", cases(metafunc.cls.STAGE), ids=str)


class PermissionTable:
    STAGE = ""

    @pytest.fixture(scope="class")
    @classmethod
    def stage(cls, django_db_setup, django_db_blocker, media_root):
        with (
            django_db_blocker.unblock(),
            override_settings(
                STORAGES=storages(settings.STORAGES, media_root),
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ),
            transaction.atomic(),
        ):
            yield build_stage(cls.STAGE)
            transaction.set_rollback(True)

    def test_permission(self, stage, db, case):
        assert_case(stage, case)


class TestDraft(PermissionTable):
    STAGE = DRAFT


class TestSubmitted(PermissionTable):
    STAGE = SUBMITTED


class TestFinal(PermissionTable):
    STAGE = FINAL


class TestPublished(PermissionTable):
    STAGE = PUBLISHED


def named_urls(patterns=None, prefix: str = "") -> list[tuple[str | None, str]]:
    """(name, pattern) of every URL of the project, the Django admin's own left out."""
    out: list[tuple[str | None, str]] = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            out += named_urls(p.url_patterns, prefix + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            out.append((prefix + p.name if p.name else None, str(p.pattern)))
    return out


def test_every_url_has_a_row():
    urls = named_urls()
    unnamed = [pattern for name, pattern in urls if name is None]
    assert not unnamed, f"URLs without a name cannot be checked: {unnamed}"
    names = {name for name, _ in urls} - EXEMPT
    covered = {row.view for row in ROWS}
    assert names - covered == set(), "views without a permission row"
    assert covered - names == set(), "rows for views that do not exist"


def test_rows_are_named_apart():
    """Two rows with one name would hide each other in a failure report."""
    seen = [row.id for row in ROWS]
    assert sorted(seen) == sorted(set(seen))
