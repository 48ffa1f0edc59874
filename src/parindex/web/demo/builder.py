"""Builds the sample province: units, accounts, methodologies and the published 2025 period.

The 2025 scores are written in bulk, like an import of last year's work (self-assessment,
appraisal, survey indices), then the period is finalized and published with the services.
The 2026 period is :mod:`.journeys`' work.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from parindex.core import Methodology, Node
from parindex.web.accounts.models import Role, User
from parindex.web.appraisal.models import Assignment
from parindex.web.assessments.models import AppraisalStatus, Assessment, AssessmentState, LeafScore
from parindex.web.assessments.scoring import score_texts
from parindex.web.periods import services as periods
from parindex.web.periods.models import MethodologyVersion, Period
from parindex.web.results.services import period_finalize, period_publish
from parindex.web.units.models import Unit, UnitGroup, UnitLineage
from parindex.web.units.services import units_import

from . import catalog as c
from .documents import Registry
from .inputs import Filler, survey_value


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


def local_dt(day: date, hour: int = 17) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split(".") if p.isdigit())


def is_local(unit: Unit) -> bool:
    """A commune-level unit (its numbers are on a commune's scale)."""
    return unit.type in ("commune", "ward", "special_zone")


def exempted(code: str, exempt: list[str]) -> bool:
    return any(code == e or code.startswith(e + ".") for e in exempt)


class Builder:
    """Holds what the steps share: the seeded random source, units, users, unit quality."""

    def __init__(self, out: Writer) -> None:
        self.out = out
        self.rng = random.Random(c.SEED)
        self.now = timezone.now()
        self.filler = Filler(self.rng)
        self.registry = Registry(self.rng)
        self.units: dict[str, Unit] = {}
        self.users: dict[str, User] = {}
        self.quality: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.hashed = ""

    def say(self, text: str) -> None:
        self.out.write(f"  … {text}\n")

    def build(self) -> dict[str, MethodologyVersion]:
        """Everything but the 2026 period; returns the methodology versions for 2026."""
        self._people([User(username=c.ADMIN, role=Role.ADMIN, is_staff=True, is_superuser=True)])
        self._units()
        self._users()
        versions = self._methodologies()
        self._period_2025(versions[2025])
        return versions[2026]

    # -------------------------------------------------------------------------- units, users

    def _units(self) -> None:
        rows: list[dict[str, object]] = [
            {"code": c.PROVINCE, "name": "Tỉnh mẫu", "type": "province", "group": "TINH"}
        ]
        rows += [_row(code, name, "department", "SBN") for code, name, _ in c.DEPARTMENTS]
        rows += [_row(code, name, "central_agency", "TW") for code, name in c.CENTRAL_AGENCIES]
        rows += [_local_row(kind, name) for kind, name in c.local_units()]
        for row in rows:
            row["group_name"] = c.GROUPS[str(row["group"])]
        units_import(actor=self.users[c.ADMIN], rows=list(enumerate(rows, start=2)))
        UnitLineage.objects.filter(successor__code__in=c.unit_codes()).update(
            decision=c.MERGER_DECISION
        )
        units = Unit.objects.filter(code__in=c.unit_codes()).select_related("group")
        self.units = {u.code: u for u in units}
        self.counts["đơn vị"] = len(self.units)
        self.say(f"{len(self.units)} đơn vị, {len(c.MERGERS)} đơn vị hình thành do sáp nhập")

    def current_units(self) -> list[Unit]:
        return sorted(
            (u for u in self.units.values() if u.valid_to is None and u.code != c.PROVINCE),
            key=lambda u: u.code,
        )

    def _users(self) -> None:
        names = random.Random(c.SEED + 1)

        def person() -> str:
            middle, given = names.choice(c.NAMES)
            return f"{names.choice(c.FAMILY)} {names.choice(middle)} {names.choice(given)}"

        self.users[c.ADMIN].full_name = f"{person()} (Sở Nội vụ)"
        self.users[c.ADMIN].save(update_fields=["full_name"])
        people = [User(username=c.VIEWER, role=Role.VIEWER, full_name=f"{person()} (UBND tỉnh)")]
        for username, (team, _) in c.APPRAISERS.items():
            name = f"{person()} ({team})"
            people.append(User(username=username, role=Role.APPRAISER, full_name=name))
        for unit in self.current_units():
            officer, head = c.unit_usernames(unit.code)
            people.append(User(username=officer, role=Role.OFFICER, unit=unit, full_name=person()))
            people.append(User(username=head, role=Role.HEAD, unit=unit, full_name=person()))
        self._people(people)
        self.counts["người dùng"] = len(self.users)
        self.say(f"{len(self.users)} tài khoản (mỗi đơn vị một cán bộ đầu mối và một lãnh đạo)")

    def _people(self, people: list[User]) -> None:
        if not self.hashed:  # hashed once (a slow hash by design): one password for all
            self.hashed = make_password(c.PASSWORD)
        for user in people:
            user.password = self.hashed
        User.objects.bulk_create(people)
        for user in User.objects.filter(username__in=[u.username for u in people]):
            self.users[user.username] = user

    def officer(self, unit: Unit) -> User:
        return self.users[c.unit_usernames(unit.code)[0]]

    def head(self, unit: Unit) -> User:
        return self.users[c.unit_usernames(unit.code)[1]]

    def appraiser(self, unit: Unit, area: str) -> User:
        if area == c.AREA_APPRAISED_APART:
            return self.users["thamdinh.thethe"]
        return self.users["thamdinh.xp" if unit.group.code == "XP" else "thamdinh.sbn"]

    # -------------------------------------------------------------------------- periods

    def _methodologies(self) -> dict[int, dict[str, MethodologyVersion]]:
        """The shipped methodologies for 2026, and the same texts dated 2025 for 2025."""
        admin = self.users[c.ADMIN]
        out: dict[int, dict[str, MethodologyVersion]] = {2025: {}, 2026: {}}
        for name in (c.DEPT_FILE, c.LOCAL_FILE):
            out[2026][name] = periods.methodology_register_shipped(actor=admin, name=name)
            text = (resources.files("parindex") / "methodologies" / name).read_text("utf-8")
            text = text.replace("\nyear: 2026\n", "\nyear: 2025\n").replace("năm 2026", "năm 2025")
            out[2025][name] = periods.methodology_register(
                actor=admin, text=text, source_name=c.source_2025(name)
            )
        return out

    def open_period(
        self,
        year: int,
        versions: dict[str, MethodologyVersion],
        deadlines: list[datetime],
        units: list[Unit] | None = None,
    ) -> Period:
        """Create and open a period with appraisers assigned and exemptions recorded."""
        keys = ["self_assessment", "appraisal", "explanation", "finalization"]
        groups = UnitGroup.objects.filter(code__in=c.METHODOLOGY_OF_GROUP)
        admin = self.users[c.ADMIN]
        period = periods.period_create(
            actor=admin,
            year=year,
            name=c.PERIOD_NAMES[year],
            deadlines={f"{k}_deadline": d for k, d in zip(keys, deadlines, strict=True)},
            methodologies={g: versions[c.METHODOLOGY_OF_GROUP[g.code]] for g in groups},
        )
        self._assign(period)
        periods.period_open(actor=admin, period=period, units=units)
        for code, _, nodes in c.DEPARTMENTS:
            if nodes:
                a = Assessment.objects.get(period=period, unit__code=code)
                periods.assessment_set_exempt(actor=admin, assessment=a, codes=list(nodes))
        period.refresh_from_db()
        return period

    def _assign(self, period: Period) -> None:
        thethe = self.users["thamdinh.thethe"]
        rows = [Assignment(period=period, appraiser=thethe, area_code=c.AREA_APPRAISED_APART)]
        rows += [
            Assignment(period=period, appraiser=self.appraiser(unit, ""), unit=unit)
            for unit in self.units.values()
            if unit.group.code in c.METHODOLOGY_OF_GROUP
        ]
        Assignment.objects.bulk_create(rows)

    # -------------------------------------------------------------------------- 2025

    def _period_2025(self, versions: dict[str, MethodologyVersion]) -> None:
        day = date(2026, 1, 15)
        deadlines = [local_dt(day + timedelta(days=d)) for d in (0, 44, 59, 75)]
        # Units formed on 1/7/2025 are assessed from 2026 on; their predecessors were for 2025.
        units = [
            u for u in self.units.values() if not (u.valid_from and u.valid_from > date(2025, 1, 1))
        ]
        period = self.open_period(2025, versions, deadlines, units)
        for unit in sorted(self.units.values(), key=lambda u: u.code):
            strong = self.rng.random() > 0.15  # most units do well, a few are weaker
            quality = self.rng.uniform(*((0.74, 0.95) if strong else (0.5, 0.7)))
            self.quality[unit.code] = c.FEATURED_QUALITY.get(unit.code, quality)
        leaves = self._leaves_2025(period)
        LeafScore.objects.filter(assessment__period=period).delete()
        LeafScore.objects.bulk_create(leaves, batch_size=1000)
        for a in Assessment.objects.filter(period=period).select_related("unit"):
            a.state, a.submitted_by = AssessmentState.SUBMITTED, self._head_or_none(a.unit)
            a.submitted_at = local_dt(day - timedelta(days=self.rng.randint(1, 12)), 10)
            a.save(update_fields=["state", "submitted_by", "submitted_at"])
        self._publish_2025(period)

    def _head_or_none(self, unit: Unit) -> User | None:
        return self.users.get(c.unit_usernames(unit.code)[1])

    def _leaves_2025(self, period: Period) -> list[LeafScore]:
        out = []
        rows = Assessment.objects.filter(period=period).select_related("unit", "methodology")
        for a in rows.order_by("unit__code"):
            m = periods.methodology_of(a.methodology)
            codes = LeafScore.objects.filter(assessment=a).values_list("node_code", flat=True)
            out += [self._leaf_2025(a, m, m.node(code)) for code in sorted(codes, key=code_key)]
        self.counts["tiêu chí đã chấm năm 2025"] = sum(1 for lf in out if lf.self_inputs)
        return out

    def _leaf_2025(self, a: Assessment, m: Methodology, node: Node) -> LeafScore:
        leaf = LeafScore(assessment=a, node_code=node.code)
        quality, local = self.quality[a.unit.code], is_local(a.unit)
        if exempted(node.code, a.exempt):
            return leaf
        survey = any(s.survey for s in node.inputs)
        if survey:  # stored where the survey import stores it; never self-scored
            texts = {node.inputs[0].name: survey_value(quality, self.rng)}
        else:
            texts = self.filler.fill(m, node, quality, local) or {}
        leaf.self_inputs = texts
        leaf.self_points = score_texts(node, texts, m).points if texts else None
        if not texts or survey:
            return leaf
        worse = self.filler.worse(m, node, texts, local) if self.rng.random() < 0.08 else None
        if worse is None:
            leaf.appraisal_status = AppraisalStatus.ACCEPTED
            leaf.appraised_inputs, leaf.appraised_points = dict(texts), leaf.self_points
        else:
            leaf.appraisal_status = AppraisalStatus.CHANGED
            leaf.appraised_inputs = worse
            leaf.appraised_points = score_texts(node, worse, m).points
            leaf.appraisal_remark = self.rng.choice(c.REMARKS)
        return leaf

    def _publish_2025(self, period: Period) -> None:
        admin = self.users[c.ADMIN]
        periods.period_advance(actor=admin, period=period, to="appraisal")
        self.counts["kết quả năm 2025"] = period_finalize(actor=admin, period=period)
        period_publish(actor=admin, period=period)
        published = min(local_dt(date(2026, 4, 20), 9), self.now - timedelta(days=1))
        Period.objects.filter(pk=period.pk).update(
            finalized_at=published - timedelta(days=10), published_at=published
        )
        self.say(f"kỳ 2025: {self.counts['kết quả năm 2025']} đơn vị có kết quả, đã công bố")


def _row(code: str, name: str, kind: str, group: str) -> dict[str, object]:
    return {"code": code, "name": name, "type": kind, "group": group, "parent": c.PROVINCE}


def _local_row(kind: str, name: str) -> dict[str, object]:
    """A commune or ward; those merged on 1/7/2025 end the day before, the new ones start."""
    row = _row(c.local_code(kind, name), c.local_name(kind, name), kind, "XP")
    for _, new, olds in c.MERGERS:
        if name in olds:
            row["valid_to"] = c.MERGER_DAY - timedelta(days=1)
        if name == new:
            row["valid_from"] = c.MERGER_DAY
            row["predecessors"] = ";".join(c.local_code(kind, old) for old in olds)
    return row
