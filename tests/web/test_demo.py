"""The sample province (``python -m django demo``, ``make run``): what a visitor finds in it.

The demo is built once for the module (it takes seconds, not milliseconds) and removed at the
end; each test runs in a transaction on top of it, so the --reset test's rebuild is rolled back.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from parindex.web.accounts.models import Role, User
from parindex.web.appraisal.models import ExplanationRequest, RequestState
from parindex.web.assessments.models import Assessment, Event, LeafScore
from parindex.web.assessments.services import self_edit_refusal
from parindex.web.demo import PASSWORD, build_demo, remove_demo
from parindex.web.demo.documents import pdf_bytes
from parindex.web.evidence.models import Evidence, StoredFile
from parindex.web.periods.models import MethodologyVersion, Period
from parindex.web.results.models import UnitResultRecord
from parindex.web.units.models import Unit, UnitGroup, UnitLineage

pytestmark = pytest.mark.django_db

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=MD5, STORAGES=storages):
        out = io.StringIO()
        summary = build_demo(reset=False, stdout=out)
        yield summary, out.getvalue(), storages
        remove_demo()
        assert not Unit.objects.exists() and not User.objects.exists()


def period(year: int) -> Period:
    return Period.objects.get(year=year)


def current(units):
    return [u for u in units if u.valid_to is None]


def test_the_province_has_its_departments_central_agencies_and_communes(demo):
    summary, _, _ = demo
    province = Unit.objects.get(type="province")
    assert summary.built and province.name == "Tỉnh mẫu"
    departments = Unit.objects.filter(group__code="SBN")
    locals_ = current(Unit.objects.filter(group__code="XP"))

    assert 15 <= departments.count() <= 22
    assert {"Sở Tư pháp", "Sở Y tế", "Văn phòng UBND tỉnh", "Thanh tra tỉnh"} <= {
        u.name for u in departments
    }
    assert 3 <= Unit.objects.filter(group__code="TW", type="central_agency").count() <= 5
    assert len(locals_) == 60
    assert {u.type for u in locals_} == {"commune", "ward"}
    assert set(Unit.objects.exclude(type="province").values_list("parent", flat=True)) == {
        province.pk
    }


def test_communes_merged_in_2025_are_linked_to_the_commune_they_formed(demo):
    links = UnitLineage.objects.select_related("predecessor", "successor")

    assert links.count() >= 6
    for link in links:
        assert link.kind == "merged"
        assert link.predecessor.valid_to == date(2025, 6, 30)
        assert link.successor.valid_from == date(2025, 7, 1)
        assert link.predecessor.group == link.successor.group


def test_every_role_has_an_account_that_logs_in_with_the_printed_password(demo, client):
    summary, printed, _ = demo
    for role in Role:
        assert User.objects.filter(role=role).exists(), role
    assert PASSWORD in printed
    for username, _, _ in summary.accounts:
        assert username in printed
        assert client.login(username=username, password=PASSWORD), username
        assert client.get("/dashboard/").status_code == 200, username
        client.logout()
    admin = User.objects.get(username="quantri")
    assert admin.is_staff and admin.is_superuser and admin.role == Role.ADMIN
    for unit in current(Unit.objects.exclude(type="province")):
        code = unit.code.lower()
        assert User.objects.filter(username=f"{code}.canbo", role=Role.OFFICER, unit=unit).exists()
        assert User.objects.filter(username=f"{code}.lanhdao", role=Role.HEAD, unit=unit).exists()


def test_2025_is_published_with_results_for_every_assessed_unit(demo):
    p = period(2025)
    results = UnitResultRecord.objects.filter(period=p).select_related("unit")
    assessed = Assessment.objects.filter(period=p)

    assert p.state == "published" and p.published_at < timezone.now()
    assert results.count() == assessed.count() >= 80
    assert set(results.values_list("unit", flat=True)) == set(
        assessed.values_list("unit", flat=True)
    )
    # the communes merged on 1/7/2025 were assessed, the communes they formed were not (yet)
    assert all(r.unit.valid_from is None for r in results)
    assert any(r.unit.valid_to == date(2025, 6, 30) for r in results)
    indices = [float(r.index) for r in results]
    plausible = [i for i in indices if 70 <= i <= 95]
    assert len(plausible) >= 0.7 * len(indices) and min(indices) < 70
    assert all(r.rank and r.class_label for r in results)


def test_2025_scores_look_like_a_real_cycle(demo):
    leaves = LeafScore.objects.filter(assessment__period=period(2025))
    survey = leaves.filter(node_code__startswith="8.1.")

    assert survey.exists() and all(lf.self_inputs.get("index") for lf in survey)
    assert leaves.filter(appraisal_status="accepted").count() > 1000
    changed = leaves.filter(appraisal_status="changed")
    assert changed.exists()
    assert all(lf.appraisal_remark and lf.appraised_points != lf.self_points for lf in changed)
    exempt = Assessment.objects.get(period=period(2025), unit__code="VPUBND")
    assert "3.2" in exempt.exempt
    assert not leaves.filter(assessment=exempt, node_code__startswith="3.2.").exclude(
        self_inputs={}
    )


def test_2026_is_in_progress_at_every_stage(demo):
    p = period(2026)
    assessments = Assessment.objects.filter(period=p)
    leaves = LeafScore.objects.filter(assessment__period=p)
    requests = ExplanationRequest.objects.filter(leaf__assessment__period=p)

    assert p.state == "open" and p.self_assessment_deadline > timezone.now()
    assert assessments.filter(state="draft").count() >= 10
    assert assessments.filter(state="submitted").count() >= 10
    assert leaves.filter(appraisal_status="accepted").exists()
    assert leaves.filter(appraisal_status="changed").exclude(appraisal_remark="").exists()
    assert requests.filter(state=RequestState.OPEN).count() >= 3
    assert requests.filter(state=RequestState.ANSWERED).exists()
    assert requests.filter(state=RequestState.DECIDED).exists()
    assert not Event.objects.filter(assessment__period=p, actor__isnull=True).exists()
    assert {"save", "submit", "appraise", "request_explanation", "answer", "decide"} <= set(
        Event.objects.filter(assessment__period=p).values_list("action", flat=True)
    )


def test_the_featured_units_are_where_the_readme_says(demo):
    p = period(2026)
    stp = Assessment.objects.get(period=p, unit__code="STP")
    syt = Assessment.objects.get(period=p, unit__code="SYT")
    snv = Assessment.objects.get(period=p, unit__code="SNV")

    assert stp.state == "draft" and self_edit_refusal(stp) == ""
    assert stp.leaves.filter(self_points__isnull=False).exists()
    assert stp.leaves.filter(self_points__isnull=True).exists()
    assert ExplanationRequest.objects.filter(leaf__assessment=syt, state="open").exists()
    assert ExplanationRequest.objects.filter(leaf__assessment=snv, state="answered").exists()
    assert Assessment.objects.get(period=p, unit__code="XA-TANLAP").state == "draft"
    assert Assessment.objects.get(period=p, unit__code="PH-BINHMINH").state == "submitted"


def test_evidence_has_cited_documents_and_pdf_files(demo, settings):
    settings.STORAGES = demo[2]  # where the module's build stored the files
    evidence = Evidence.objects.filter(assessment__period=period(2026))
    cited = evidence.filter(kind="document")
    files = evidence.filter(kind="file").select_related("stored")

    assert cited.exists() and files.exists() and evidence.filter(kind="url").exists()
    for ev in cited:
        assert re.fullmatch(r"\d+/(KH|BC|CTr)-[A-ZĐ]+", ev.doc_number), ev.doc_number
        assert ev.doc_date and ev.issuer and ev.summary and ev.links.exists()
    for ev in files:
        assert ev.stored.content_type == "application/pdf" and ev.filename.endswith(".pdf")
        with ev.stored.file.open("rb") as f:
            assert f.read(5) == b"%PDF-"


def test_the_sample_pdf_is_well_formed():
    data = pdf_bytes(["Ke hoach (mau)", "So: 15/KH-UBND"])
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])

    assert data.startswith(b"%PDF-1.4") and data.endswith(b"%%EOF\n")
    assert data[start:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in data[start:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, 1):
        assert data[offset:].startswith(b"%d 0 obj" % number)
    assert b"(Ke hoach \\(mau\\)) '" in data


def test_without_reset_an_existing_demo_is_left_alone(demo):
    before = (Unit.objects.count(), User.objects.count(), LeafScore.objects.count())
    out = io.StringIO()

    call_command("demo", stdout=out)

    assert (Unit.objects.count(), User.objects.count(), LeafScore.objects.count()) == before
    assert "Dữ liệu mẫu đã có" in out.getvalue() and PASSWORD in out.getvalue()


def test_a_database_with_other_data_gets_no_demo(demo):
    remove_demo()
    group = UnitGroup.objects.create(code="KHAC", name="Khối khác")
    Unit.objects.create(code="X1", name="Đơn vị thật", type="department", group=group)

    summary = build_demo(reset=False, stdout=io.StringIO())

    assert not summary.built and "không nạp" in summary.message
    assert Unit.objects.count() == 1


def test_reset_rebuilds_the_same_demo_without_duplicates(demo):
    def state():
        return {
            "units": Unit.objects.count(),
            "users": User.objects.count(),
            "periods": sorted(Period.objects.values_list("name", flat=True)),
            "versions": MethodologyVersion.objects.count(),
            "assessments": Assessment.objects.count(),
            "leaves": LeafScore.objects.count(),
            "files": StoredFile.objects.count(),
            "totals": dict(UnitResultRecord.objects.values_list("unit__code", "total")),
        }

    before = state()
    out = io.StringIO()

    call_command("demo", "--reset", stdout=out)

    assert state() == before
    assert "Đã nạp dữ liệu mẫu" in out.getvalue() and "Thời gian nạp" in out.getvalue()


def test_names_taken_by_other_data_stop_the_build_with_a_clear_message(demo):
    remove_demo()
    User.objects.create_user(username="quantri", password="mat-khau-khac-123")

    with pytest.raises(CommandError, match="quantri"):
        call_command("demo", stdout=io.StringIO())

    assert not Unit.objects.exists() and User.objects.count() == 1


def test_the_parindex_command_builds_the_same_demo(demo, capsys):
    from parindex.cli import main

    assert main(["demo"]) == 0  # the demo is there: nothing changes, the accounts are printed
    out = capsys.readouterr().out
    assert "Dữ liệu mẫu đã có" in out and PASSWORD in out
