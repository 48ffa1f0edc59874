"""Personas and a small period for the web tests.

The world: two departments (Sở Tư pháp ``STP``, Sở Y tế ``SYT``) in group ``SBN``, assessed
with the tiny methodology of the CLI tests; an administrator, an officer and a head for each
unit, an appraiser assigned to STP only, a second appraiser assigned to area 2 of every unit,
and a leader (viewer). The period is open and its deadlines are in the future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from parindex.web.accounts.models import Role, User
from parindex.web.appraisal.models import Assignment
from parindex.web.assessments.models import Assessment, LeafScore
from parindex.web.periods import services as period_services
from parindex.web.periods.models import Period
from parindex.web.units.models import Unit, UnitGroup

TINY = Path(__file__).parent.parent / "cli" / "tiny.yaml"
PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 is the product's hasher (tested in test_accounts); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # A request with the language cookie leaves its language active in the test's thread;
    # every test starts and ends in the default (Vietnamese), as services called directly do.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@dataclass
class World:
    period: Period
    stp: Unit
    syt: Unit
    admin: User
    officer: User
    head: User
    other_officer: User
    other_head: User
    appraiser: User
    area_appraiser: User
    viewer: User
    outsider_appraiser: User

    @property
    def a_stp(self) -> Assessment:
        return Assessment.objects.get(period=self.period, unit=self.stp)

    @property
    def a_syt(self) -> Assessment:
        return Assessment.objects.get(period=self.period, unit=self.syt)

    def leaf(self, code: str, unit: Unit | None = None) -> LeafScore:
        return LeafScore.objects.get(
            assessment__period=self.period, assessment__unit=unit or self.stp, node_code=code
        )


def make_user(username: str, role: str, unit: Unit | None = None, **extra) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, unit=unit, full_name=username, **extra
    )
    return user


def deadlines(days: int = 10) -> dict:
    now = timezone.now()
    return {
        "self_assessment_deadline": now + timedelta(days=days),
        "appraisal_deadline": now + timedelta(days=days + 10),
        "explanation_deadline": now + timedelta(days=days + 20),
        "finalization_deadline": now + timedelta(days=days + 30),
    }


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def live_world(transactional_db) -> World:
    """The same world, committed, for a live server in another thread (browser tests)."""
    return build_world()


def build_world() -> World:
    group = UnitGroup.objects.create(code="SBN", name="Khối sở, ban, ngành")
    stp = Unit.objects.create(code="STP", name="Sở Tư pháp", type="department", group=group)
    syt = Unit.objects.create(code="SYT", name="Sở Y tế", type="department", group=group)
    admin = make_user("quantri", Role.ADMIN)
    version = period_services.methodology_register(
        actor=admin, text=TINY.read_text(encoding="utf-8"), source_name="tiny.yaml"
    )
    period = period_services.period_create(
        actor=admin,
        year=2026,
        name="Kỳ đánh giá CCHC năm 2026",
        deadlines=deadlines(),
        methodologies={group: version},
    )
    period_services.period_open(actor=admin, period=period)
    period.refresh_from_db()
    appraiser = make_user("thamdinh", Role.APPRAISER)
    area_appraiser = make_user("thamdinh2", Role.APPRAISER)
    outsider_appraiser = make_user("thamdinh3", Role.APPRAISER)
    Assignment.objects.create(period=period, appraiser=appraiser, unit=stp)
    Assignment.objects.create(period=period, appraiser=area_appraiser, area_code="2")
    return World(
        period=period,
        stp=stp,
        syt=syt,
        admin=admin,
        officer=make_user("stp.canbo", Role.OFFICER, stp),
        head=make_user("stp.lanhdao", Role.HEAD, stp),
        other_officer=make_user("syt.canbo", Role.OFFICER, syt),
        other_head=make_user("syt.lanhdao", Role.HEAD, syt),
        appraiser=appraiser,
        area_appraiser=area_appraiser,
        viewer=make_user("lanhdao.ubnd", Role.VIEWER),
        outsider_appraiser=outsider_appraiser,
    )


def build_more_units(world: World, n: int) -> list[Unit]:
    """``n`` more departments in the period, each with an assessment and its leaf rows."""
    group = world.stp.group
    version = world.a_stp.methodology
    m = period_services.methodology_of(version)
    units = []
    for i in range(n):
        unit = Unit.objects.create(
            code=f"S{i:02d}", name=f"Sở thứ {i}", type="department", group=group
        )
        a = Assessment.objects.create(period=world.period, unit=unit, methodology=version)
        LeafScore.objects.bulk_create(LeafScore(assessment=a, node_code=x.code) for x in m.leaves())
        units.append(unit)
    return units
