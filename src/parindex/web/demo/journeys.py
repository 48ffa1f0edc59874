"""The 2026 period in progress: each unit's way through it so far, through the services.

Some units have not started, some are drafting, some have submitted; the appraisers have
appraised some of the submitted ones, changed some scores with a remark and asked for
explanations, some of which are answered and one decided. Every step is a service call made by
the person whose job it is (officer, head, appraiser), so deadlines and permissions hold.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parindex.core import Node
from parindex.web.accounts.models import User
from parindex.web.appraisal import services as appraisal
from parindex.web.appraisal.models import ExplanationRequest, RequestState
from parindex.web.assessments import services as assessments
from parindex.web.assessments.models import Assessment, LeafScore
from parindex.web.assessments.scoring import score_texts
from parindex.web.evidence import services as evidence
from parindex.web.evidence.models import Evidence
from parindex.web.periods import services as periods
from parindex.web.periods.models import MethodologyVersion, Period

from . import catalog as c
from .builder import Builder, code_key, exempted, is_local, local_dt
from .documents import Document


def period_2026(b: Builder, versions: dict[str, MethodologyVersion]) -> None:
    """Open 2026 with deadlines ahead and move every unit to the state its scenario says."""
    today = timezone.localtime(b.now).date()
    deadlines = [local_dt(today + timedelta(days=d)) for d in (30, 60, 75, 90)]
    period = b.open_period(2026, versions, deadlines)
    for unit in b.current_units():
        if unit.code not in b.quality:  # formed by a merger: as good as its predecessors
            olds = [link.predecessor.code for link in unit.predecessor_links.all()]
            b.quality[unit.code] = sum(b.quality[o] for o in olds) / len(olds)
        drift = b.quality[unit.code] + b.rng.gauss(0.015, 0.04)
        b.quality[unit.code] = max(0.45, min(0.98, drift))
    plan = scenarios(b)
    rows = Assessment.objects.filter(period=period).select_related(
        "unit", "unit__group", "methodology", "period"
    )
    for a in sorted(rows, key=lambda a: a.unit.code):
        Journey(b, a).run(plan[a.unit.code])
    _count(b, period)


def scenarios(b: Builder) -> dict[str, str]:
    """unit code → scenario: the featured units' are fixed, the others' drawn by block."""
    plan = {code: scenario for code, (scenario, _) in c.FEATURED.items()}
    for block, counts in c.SCENARIO_COUNTS.items():
        codes = [
            u.code
            for u in b.current_units()
            if u.code not in plan and is_local(u) == (block == "local")
        ]
        b.rng.shuffle(codes)
        drawn = [s for s, n in counts.items() for _ in range(n)]
        drawn += ["submitted"] * (len(codes) - len(drawn))
        plan.update(zip(codes, drawn, strict=False))
    return plan


def _count(b: Builder, period: Period) -> None:
    a = Assessment.objects.filter(period=period)
    leaves = LeafScore.objects.filter(assessment__period=period)
    requests = ExplanationRequest.objects.filter(leaf__assessment__period=period)
    b.counts.update(
        {
            "năm 2026 — đơn vị đang tự đánh giá": a.filter(state="draft").count(),
            "năm 2026 — đơn vị đã gửi": a.filter(state="submitted").count(),
            "năm 2026 — tiêu chí đã thẩm định": leaves.exclude(appraisal_status="").count(),
            "năm 2026 — yêu cầu giải trình chờ trả lời": requests.filter(state="open").count(),
            "năm 2026 — giải trình chờ kết luận": requests.filter(
                state=RequestState.ANSWERED
            ).count(),
            "năm 2026 — giải trình đã kết luận": requests.filter(
                state=RequestState.DECIDED
            ).count(),
            "năm 2026 — tài liệu kiểm chứng": Evidence.objects.filter(
                assessment__period=period
            ).count(),
        }
    )
    b.say(
        f"kỳ 2026: {b.counts['năm 2026 — đơn vị đã gửi']} đơn vị đã gửi, "
        f"{b.counts['năm 2026 — đơn vị đang tự đánh giá']} đang tự đánh giá"
    )


class Journey:
    """One unit's assessment in 2026, moved on by its scenario."""

    def __init__(self, builder: Builder, assessment: Assessment) -> None:
        self.b = builder
        self.a = assessment
        self.unit = assessment.unit
        self.m = periods.methodology_of(assessment.methodology)
        self.local = is_local(self.unit)
        self.quality = builder.quality[self.unit.code]
        self.rng = builder.rng

    def run(self, scenario: str) -> None:
        getattr(self, f"_{scenario}")()

    # scenarios ---------------------------------------------------------------------------

    def _blank(self) -> None:
        """Not started yet."""

    def _draft(self) -> None:
        self.self_assess(self.rng.uniform(0.1, 0.5))

    def _featured_draft(self) -> None:
        self.self_assess(0.55, evidence=4, upload=True)

    def _submitted(self) -> None:
        self.self_assess(1, evidence=2)
        self.submit()

    def _appraising(self) -> None:
        self._submitted()
        self.appraise(self.rng.uniform(0.2, 0.5))

    def _appraised(self) -> None:
        self._submitted()
        self.appraise(1)

    def _explaining(self) -> None:
        self._submitted()
        changed = self.appraise(0.6)
        self.explain(changed, opened=self.rng.randint(1, 2), answered=self.rng.randint(0, 1))

    def _featured_open(self) -> None:
        self.self_assess(1, evidence=4, upload=True)
        self.submit()
        self.explain(self.appraise(0.7, change=0.2), opened=2, answered=0)

    def _featured_answered(self) -> None:
        self.self_assess(1, evidence=3, upload=True)
        self.submit()
        self.explain(self.appraise(1, change=0.15), opened=0, answered=1, decided=1)

    def _featured_mixed(self) -> None:
        self.self_assess(1, evidence=3, upload=True)
        self.submit()
        self.explain(self.appraise(0.8, change=0.15), opened=1, answered=1)

    # steps -------------------------------------------------------------------------------

    def leaves(self) -> list[LeafScore]:
        """The leaves the unit answers: not exempted, not filled by a survey."""
        rows = [
            leaf
            for leaf in LeafScore.objects.filter(assessment=self.a)
            if not exempted(leaf.node_code, self.a.exempt)
            and not any(s.survey for s in self.m.node(leaf.node_code).inputs)
        ]
        return sorted(rows, key=lambda leaf: code_key(leaf.node_code))

    def self_assess(self, share: float, evidence: int = 0, upload: bool = False) -> None:
        """The officer fills a share of the leaves, then attaches evidence to some of them."""
        leaves = self.leaves()
        if share < 1:
            chosen = self.rng.sample(leaves, round(len(leaves) * share))
            leaves = sorted(chosen, key=lambda leaf: code_key(leaf.node_code))
        officer, scored = self.b.officer(self.unit), []
        for leaf in leaves:
            node = self.m.node(leaf.node_code)
            texts = self.b.filler.fill(self.m, node, self.quality, self.local)
            if not texts:
                continue
            note = self._note(node, texts)
            leaf = assessments.leaf_save_self(
                actor=officer, leaf=leaf, inputs=texts, note=note, version=leaf.version
            )
            if leaf.self_points:  # evidence of something done, not of what was not
                scored.append(leaf)
        if evidence:
            self.attach(scored, evidence, upload)

    def _note(self, node: Node, texts: dict[str, str]) -> str:
        """Now and then the unit explains a leaf where it did not get full marks."""
        points = score_texts(node, texts, self.m).points
        if points is None or points >= node.max or self.rng.random() > 0.3:
            return ""
        return self.rng.choice(c.NOTES)

    def attach(self, leaves: list[LeafScore], wanted: int, upload: bool) -> None:
        """The first documents the leaves expect, each linked to every leaf it supports;
        with ``upload`` the first one is a PDF file and the unit's web page is given too."""
        supports: dict[Document, list[LeafScore]] = {}
        for leaf in leaves:
            doc = self.b.registry.for_leaf(self.unit, self.m.node(leaf.node_code), 2026)
            if doc is not None and (doc in supports or len(supports) < wanted):
                supports.setdefault(doc, []).append(leaf)
        for i, (doc, linked) in enumerate(supports.items()):
            if upload and i == 0:
                self.upload(doc, linked)
            else:
                self.cite(doc, linked)
        if upload:
            self.link_page(leaves)

    def upload(self, doc: Document, leaves: list[LeafScore]) -> Evidence:
        file = SimpleUploadedFile(doc.filename(), doc.pdf(), content_type="application/pdf")
        return evidence.evidence_upload(
            actor=self.b.officer(self.unit),
            assessment=self.a,
            upload=file,
            title=doc.title,
            leaves=leaves,
        )

    def cite(self, doc: Document, leaves: list[LeafScore]) -> Evidence:
        return evidence.evidence_cite(
            actor=self.b.officer(self.unit),
            assessment=self.a,
            doc_number=doc.number,
            doc_date=doc.day,
            issuer=doc.issuer,
            summary=doc.summary,
            leaves=leaves,
        )

    def link_page(self, leaves: list[LeafScore]) -> None:
        """The unit's web page as evidence for a leaf that counts published articles."""
        counted = [lf for lf in leaves if "tin, bài" in self.m.node(lf.node_code).title]
        leaf = counted[0] if counted else None
        if leaf is None:
            return
        slug = c.ascii_fold(self.unit.code).lower()
        evidence.evidence_url(
            actor=self.b.officer(self.unit),
            assessment=self.a,
            url=f"https://{slug}.tinhmau.example/cai-cach-hanh-chinh",
            title="Chuyên mục Cải cách hành chính trên trang thông tin điện tử của đơn vị",
            leaves=[leaf],
        )

    def submit(self) -> None:
        assessments.assessment_submit(
            actor=self.b.head(self.unit), assessment=self.a, acknowledge_missing=True
        )
        self.a.refresh_from_db()

    def appraise(self, share: float, change: float = 0.12) -> list[LeafScore]:
        """Appraise the first share of the filled leaves; returns those whose score changed."""
        leaves = [leaf for leaf in self.leaves() if leaf.self_inputs]
        changed = []
        for leaf in leaves[: round(len(leaves) * share)]:
            node = self.m.node(leaf.node_code)
            actor = self.b.appraiser(self.unit, node.area.code)
            worse = self.b.filler.worse(self.m, node, leaf.self_inputs, self.local)
            if worse is not None and self.rng.random() < change:
                remark = self.rng.choice(c.REMARKS)
                leaf = appraisal.leaf_appraise(
                    actor=actor,
                    leaf=leaf,
                    accept=False,
                    inputs=worse,
                    remark=remark,
                    version=leaf.version,
                )
                changed.append(leaf)
            else:
                appraisal.leaf_appraise(
                    actor=actor,
                    leaf=leaf,
                    accept=True,
                    inputs=None,
                    remark="",
                    version=leaf.version,
                )
        return changed

    def explain(
        self, changed: list[LeafScore], *, opened: int, answered: int, decided: int = 0
    ) -> None:
        """Requests on changed leaves first (then other appraised ones): open/answered/decided."""
        wanted = opened + answered + decided
        others = [lf for lf in self.leaves() if lf.appraisal_status and lf not in changed]
        pool = changed + self.rng.sample(others, min(len(others), wanted))
        states = ["decided"] * decided + ["answered"] * answered + ["open"] * opened
        for leaf, state in zip(pool, states, strict=False):
            node = self.m.node(leaf.node_code)
            actor = self.b.appraiser(self.unit, node.area.code)
            question = self.rng.choice(c.QUESTIONS)
            req = appraisal.explanation_request(actor=actor, leaf=leaf, question=question)
            if state != "open":
                self.answer(req, node)
            if state == "decided":
                self.decide(req, actor)

    def decide(self, req: ExplanationRequest, actor: User) -> None:
        """The explanation convinces: the unit's own score is restored."""
        leaf = LeafScore.objects.get(pk=req.leaf_id)
        appraisal.explanation_decide(
            actor=actor,
            request=req,
            inputs=leaf.self_inputs,
            keep_appraised=False,
            remark=c.DECISION,
            version=leaf.version,
        )

    def answer(self, req: ExplanationRequest, node: Node) -> None:
        """The officer answers, citing the explanation report added to the leaf for it."""
        doc = self.b.registry.explanation(self.unit, node.code)
        cited = [self.cite(doc, [LeafScore.objects.get(pk=req.leaf_id)]).pk]
        appraisal.explanation_answer(
            actor=self.b.officer(self.unit),
            request=req,
            text=self.rng.choice(c.ANSWERS),
            evidence_ids=cited,
        )
