"""Surveys in the browser: instruments, import with preview and error report, apply into the
assessments, results per unit with intervals, ranking, comparison with last year, exports.

The world's tiny methodology has one survey leaf, 3.1 (max 2 points, source ``sipas``). The
test instrument (``khao-sat-thu.yaml`` beside this file) feeds it from two groups of equal
weight, so a unit's leaf index is the mean of "tiếp cận" (mean of A1, A2) and "công chức"
(B1): with every answer counted as satisfied or not, each number can be worked out by hand.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from parindex.core import parse_decimal
from parindex.core.survey import load_shipped_instrument, loads_instrument
from parindex.web.assessments.models import Assessment, Event, LeafScore
from parindex.web.periods import services as period_services
from parindex.web.results.models import UnitResultRecord
from parindex.web.results.services import period_finalize, period_publish
from parindex.web.surveys import services
from parindex.web.surveys.models import (
    ImportState,
    SurveyImport,
    SurveyInstrument,
    SurveyUnitResult,
)
from parindex.web.units.models import Unit, UnitLineage

from .conftest import World, deadlines

INSTRUMENT = (Path(__file__).parent / "khao-sat-thu.yaml").read_text(encoding="utf-8")
SCORED = [q.code for q in loads_instrument(INSTRUMENT).questions if q.scored]  # A1, A2, B1

# unit → answers to (A1, A2, B1), one tuple per respondent.
# STP: all satisfied → 100. SYT: A1 half satisfied (50), A2 all (100), B1 none (0):
# tiếp cận 75, công chức 0, leaf 3.1 = 37.5 → 2 × 37.5 / 100 = 0.75 points.
ANSWERS = {
    "STP": [(5, 4, 5)] * 10,
    "SYT": [(4, 5, 1)] * 5 + [(2, 5, 2)] * 5,
}


def responses_csv(answers: dict[str, list[tuple[int, ...]]], header: list[str] | None = None):
    columns = header or ["unit", "P1", *SCORED]
    lines = [",".join(columns)]
    for unit, rows in answers.items():
        lines += [",".join([unit, "1", *map(str, row)]) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def upload(content: bytes, name: str = "tra-loi.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register(world: World) -> SurveyInstrument:
    return services.instrument_register(
        actor=world.admin, text=INSTRUMENT, source_name="khao-sat-thu.yaml"
    )


def imported(world: World, answers=None, populations: str = "", period=None) -> SurveyImport:
    """Preview then apply an import with the services."""
    si = services.survey_import_preview(
        actor=world.admin,
        period=period or world.period,
        instrument=register(world),
        upload=upload(responses_csv(answers or ANSWERS)),
        populations=populations,
    )
    services.survey_import_apply(actor=world.admin, survey_import=si)
    si.refresh_from_db()
    return si


def media_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- instruments --------------------------------------------------------------------------


def test_a_shipped_instrument_is_added_and_checked_against_the_period(world):
    admin = client_for(world.admin)
    url = reverse("survey-instrument-add", args=[world.period.pk])

    response = admin.post(url, {"shipped": "sipas-2017.yaml"})

    assert response.status_code == 302
    stored = SurveyInstrument.objects.get()
    assert (stored.code, stored.source, stored.status) == ("sipas-2017", "sipas", "sample")
    page = admin.get(reverse("survey-period", args=[world.period.pk])).content.decode()
    assert "sipas-2017" in page
    # SIPAS 2017 maps the sample methodologies, not the world's tiny one: it cannot be used
    assert "không dùng được" in page and "S073" in page
    admin.post(url, {"shipped": "sipas-2017.yaml"})
    assert SurveyInstrument.objects.count() == 1  # the same text is stored once


def test_an_uploaded_instrument_that_maps_the_period_is_usable(world):
    admin = client_for(world.admin)
    file = SimpleUploadedFile("khao-sat-thu.yaml", INSTRUMENT.encode())

    admin.post(reverse("survey-instrument-add", args=[world.period.pk]), {"file": file})

    page = admin.get(reverse("survey-period", args=[world.period.pk])).content.decode()
    assert "khao-sat-thu" in page and "khớp" in page
    form = admin.get(reverse("survey-import-new", args=[world.period.pk])).content.decode()
    assert f'value="{SurveyInstrument.objects.get().pk}"' in form


def test_an_invalid_instrument_is_refused_with_its_lines(world):
    bad = INSTRUMENT.replace("questions: [B1]", "questions: [B1, B9]")
    file = SimpleUploadedFile("hong.yaml", bad.encode())

    response = client_for(world.admin).post(
        reverse("survey-instrument-add", args=[world.period.pk]), {"file": file}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-role="error-report"' in html and "S020" in html
    assert not SurveyInstrument.objects.exists()


# --- import: preview, error report, apply ------------------------------------------------------


def test_import_preview_then_apply_scores_every_units_survey_leaf(world, settings):
    stored = register(world)
    admin = client_for(world.admin)

    response = admin.post(
        reverse("survey-import-new", args=[world.period.pk]),
        {"instrument": stored.pk, "file": upload(responses_csv(ANSWERS))},
    )

    si = SurveyImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "survey-import", args=[si.pk]
    )
    assert si.state == ImportState.PREVIEW and si.rows == 20
    assert world.leaf("3.1").self_inputs == {}  # a preview changes nothing
    page = admin.get(response["Location"]).content.decode()
    assert 'data-role="preview"' in page and 'data-role="apply"' in page
    assert 'data-unit="STP"' in page and 'data-unit="SYT"' in page

    response = admin.post(reverse("survey-import-apply", args=[si.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("survey-ranking", args=[si.pk])
    expected = {"STP": Decimal(100), "SYT": Decimal("37.5")}
    for unit in (world.stp, world.syt):
        leaf = world.leaf("3.1", unit)
        index = parse_decimal(leaf.self_inputs["index"])
        assert index == expected[unit.code]
        assert leaf.self_points == 2 * index / 100  # max × index / 100
        event = Event.objects.get(assessment=leaf.assessment, node_code="3.1")
        assert (event.stage, event.action, event.actor) == ("self", "survey_import", world.admin)
    si.refresh_from_db()
    assert si.state == ImportState.APPLIED and si.applied_by == world.admin
    assert SurveyUnitResult.objects.filter(survey_import=si).count() == 2
    assert len(media_files(settings)) == 1


def test_a_shipped_instrument_scores_the_sample_methodology(world):
    """SIPAS 2017 as shipped, into a period assessed with the shipped departments' method:
    8.1.1–8.1.3 get max × index / 100; leaves of other survey sources stay empty."""
    version = period_services.methodology_register_shipped(
        actor=world.admin, name="so-ban-nganh-mau.yaml"
    )
    period = period_services.period_create(
        actor=world.admin,
        year=2027,
        name="Kỳ đánh giá CCHC năm 2027",
        deadlines=deadlines(),
        methodologies={world.stp.group: version},
    )
    period_services.period_open(actor=world.admin, period=period)
    admin = client_for(world.admin)
    admin.post(reverse("survey-instrument-add", args=[period.pk]), {"shipped": "sipas-2017.yaml"})
    sipas = load_shipped_instrument("sipas-2017")
    header = ["unit", "P1", *(q.code for q in sipas.questions if q.scored)]
    n = len(header) - 2
    answers = {"STP": [(5,) * n] * 6, "SYT": [(4,) * n] * 3 + [(2,) * n] * 3}

    response = admin.post(
        reverse("survey-import-new", args=[period.pk]),
        {
            "instrument": SurveyInstrument.objects.get(code="sipas-2017").pk,
            "file": upload(responses_csv(answers, header)),
        },
    )
    si = SurveyImport.objects.get(period=period)
    assert response["Location"] == reverse("survey-import", args=[si.pk])
    admin.post(reverse("survey-import-apply", args=[si.pk]))

    m = period_services.methodology_of(version)
    leaves = LeafScore.objects.filter(assessment__period=period).select_related("assessment__unit")
    expected = {"STP": Decimal(100), "SYT": Decimal(50)}
    for leaf in leaves:
        if leaf.node_code in ("8.1.1", "8.1.2", "8.1.3"):
            index = parse_decimal(leaf.self_inputs["index"])
            assert index == expected[leaf.assessment.unit.code]
            assert leaf.self_points == m.node(leaf.node_code).max * index / 100
        elif leaf.node_code.startswith("8."):
            assert leaf.self_inputs == {} and leaf.self_points is None, leaf.node_code


def test_the_assessment_page_shows_the_survey_value_read_only(world):
    imported(world)
    officer = client_for(world.officer)

    html = officer.get(reverse("assessment", args=[world.a_stp.pk]) + "?area=3").content.decode()

    start = html.index('id="leaf-3-1"')
    end = html.find('class="leaf card', start + 10)
    leaf = html[start : end if end > 0 else None]
    assert "2,00 / 2" in leaf  # 100 % of 2 points
    assert 'value="100,00"' in leaf and "disabled" in leaf
    assert 'name="in_index"' not in leaf  # no field a unit could send


def test_a_unit_cannot_overwrite_the_survey_value(world):
    imported(world)
    leaf = world.leaf("3.1")
    from parindex.web.assessments import services as assessment_services

    assessment_services.leaf_save_self(
        actor=world.officer, leaf=leaf, inputs={"index": "0"}, note="ghi chú", version=leaf.version
    )

    leaf.refresh_from_db()
    assert parse_decimal(leaf.self_inputs["index"]) == 100 and leaf.self_points == 2


def test_finalization_uses_the_survey_points(world):
    imported(world)
    period_services.period_advance(actor=world.admin, period=world.period, to="appraisal")

    period_finalize(actor=world.admin, period=world.period)

    stp = UnitResultRecord.objects.get(period=world.period, unit=world.stp)
    syt = UnitResultRecord.objects.get(period=world.period, unit=world.syt)
    assert Decimal(stp.nodes["3.1"][0]) == 2
    assert Decimal(syt.nodes["3.1"][0]) == Decimal("0.75")
    assert parse_decimal(syt.inputs["3.1"]["index"]) == Decimal("37.5")


def test_an_appraised_survey_leaf_takes_the_newer_survey_value(world):
    """An appraiser who accepted 3.1 before the survey froze an empty value; the survey
    replaces the survey input at that stage too, so the result reflects it."""
    leaf = world.leaf("3.1")
    LeafScore.objects.filter(pk=leaf.pk).update(appraised_inputs={}, appraisal_status="accepted")

    imported(world)

    leaf.refresh_from_db()
    assert parse_decimal(leaf.appraised_inputs["index"]) == 100 and leaf.appraised_points == 2


def test_a_bad_file_gives_an_error_report_with_rows_and_columns_and_stores_nothing(world, settings):
    stored = register(world)
    answers = {"STP": [(5, 4, 5), (7, 4, 5)], "KHONGCO": [(5, 5, 5)]}

    response = client_for(world.admin).post(
        reverse("survey-import-new", args=[world.period.pk]),
        {"instrument": stored.pk, "file": upload(responses_csv(answers))},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-role="error-report"' in html
    assert 'data-row="3" data-column="A1"' in html  # the answer 7 is not on the scale
    assert 'data-row="4" data-column="unit"' in html  # a unit outside the period
    assert not SurveyImport.objects.exists()
    assert media_files(settings) == []
    assert world.leaf("3.1").self_inputs == {}


def test_an_xlsx_export_is_imported_like_a_csv(world):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "data"
    ws.append(["_uuid", "thong_tin/don_vi", "P1", "tiep_can/A1", "tiep_can/A2", "B1"])
    for unit, rows in ANSWERS.items():
        for i, row in enumerate(rows):
            ws.append([f"{unit}-{i}", unit, 1, *row])
    content = io.BytesIO()
    book.save(content)
    si = services.survey_import_preview(
        actor=world.admin,
        period=world.period,
        instrument=register(world),
        upload=SimpleUploadedFile("kobo.xlsx", content.getvalue()),
    )
    services.survey_import_apply(actor=world.admin, survey_import=si)

    assert si.original_name == "kobo.xlsx" and si.rows == 20
    assert parse_decimal(world.leaf("3.1", world.syt).self_inputs["index"]) == Decimal("37.5")


def test_a_file_that_is_not_a_table_is_refused(world):
    stored = register(world)
    response = client_for(world.admin).post(
        reverse("survey-import-new", args=[world.period.pk]),
        {"instrument": stored.pk, "file": upload(b"PK\x03\x04rubbish", "tra-loi.csv")},
    )
    assert response.status_code == 200 and 'data-role="error"' in response.content.decode()
    assert not SurveyImport.objects.exists()


def test_a_newer_import_replaces_the_earlier_values(world):
    first = imported(world)
    second = imported(world, {"SYT": [(5, 5, 5)] * 4})

    first.refresh_from_db()
    assert first.state == ImportState.DISCARDED and first.replaced_by == second
    assert parse_decimal(world.leaf("3.1", world.syt).self_inputs["index"]) == 100
    stp = world.leaf("3.1", world.stp)  # no responses now: the earlier value is gone
    assert stp.self_inputs == {} and stp.self_points is None
    ranking = client_for(world.admin).get(reverse("survey-ranking", args=[first.pk]))
    assert ranking.status_code == 404  # a replaced import is no longer a result


def test_a_preview_is_discarded_without_touching_the_assessments(world):
    si = services.survey_import_preview(
        actor=world.admin,
        period=world.period,
        instrument=register(world),
        upload=upload(responses_csv(ANSWERS)),
    )

    response = client_for(world.admin).post(reverse("survey-import-discard", args=[si.pk]))

    si.refresh_from_db()
    assert response.status_code == 302 and si.state == ImportState.DISCARDED
    assert world.leaf("3.1").self_inputs == {}
    with pytest.raises(services.ServiceError):
        services.survey_import_apply(actor=world.admin, survey_import=si)


def test_nothing_is_imported_once_the_period_is_final(world):
    si = services.survey_import_preview(
        actor=world.admin,
        period=world.period,
        instrument=register(world),
        upload=upload(responses_csv(ANSWERS)),
    )
    period_services.period_advance(actor=world.admin, period=world.period, to="appraisal")
    period_finalize(actor=world.admin, period=world.period)

    with pytest.raises(services.ServiceError, match="chốt điểm"):
        services.survey_import_apply(actor=world.admin, survey_import=si)
    with pytest.raises(services.ServiceError, match="chốt điểm"):
        imported(world)
    assert world.leaf("3.1").self_inputs == {}


def test_only_an_administrator_imports(world):
    stored = register(world)
    with pytest.raises(services.ServiceError):
        services.survey_import_preview(
            actor=world.viewer,
            period=world.period,
            instrument=stored,
            upload=upload(responses_csv(ANSWERS)),
        )
    with pytest.raises(services.ServiceError):
        services.instrument_register(actor=world.officer, text=INSTRUMENT, source_name="x.yaml")


# --- results, ranking, comparison ---------------------------------------------------------------


def test_results_per_unit_show_groups_with_intervals_and_a_local_chart(world):
    si = imported(world)

    html = client_for(world.viewer).get(reverse("survey-unit", args=[si.pk, "SYT"])).content
    html = html.decode()

    assert 'data-group="tiep_can"' in html and 'data-group="cong_chuc"' in html
    assert 'data-role="interval"' in html
    assert "/static/plotly/plotly.min.js" in html and "cdn" not in html.lower()
    assert '"error_y"' in html
    assert 'data-node="3.1"' in html and "0,75" in html  # the points written to the leaf
    result = SurveyUnitResult.objects.get(survey_import=si, unit=world.syt)
    low, high = result.index_low, result.index_high
    assert low is not None and high is not None and low < result.index < high


def test_small_samples_are_marked_and_not_ranked(world):
    # 10 answers where N = 1000 needs 286 (Yamane, e = 5 %): STP is not ranked
    si = imported(world, populations="STP, 1000")

    html = client_for(world.admin).get(reverse("survey-ranking", args=[si.pk])).content.decode()

    stp = SurveyUnitResult.objects.get(survey_import=si, unit=world.stp)
    syt = SurveyUnitResult.objects.get(survey_import=si, unit=world.syt)
    assert (stp.rankable, stp.rank, stp.required) == (False, None, 286)
    assert (syt.rankable, syt.rank) == (True, 1)
    row = html[html.index('data-unit="STP"') :]
    row = row[: row.index("</tr>")]
    assert 'data-small-sample="1"' in row and "mẫu nhỏ, không xếp hạng" in row
    # the survey still scores the leaf: a small sample is not a reason to give 0 points
    assert parse_decimal(world.leaf("3.1").self_inputs["index"]) == 100


def test_bad_populations_are_reported_by_line(world):
    with pytest.raises(services.ImportRejected) as caught:
        services.survey_import_preview(
            actor=world.admin,
            period=world.period,
            instrument=register(world),
            upload=upload(responses_csv(ANSWERS)),
            populations="STP, 1000\nKHONGCO, 5\nSYT, nhiều",
        )
    assert [(line.row, line.code) for line in caught.value.lines] == [(2, "P002"), (3, "P003")]


def previous_year(world: World) -> tuple[Unit, SurveyImport]:
    """A 2025 period with STP and OLD (renamed into SYT in 2026), and its applied survey."""
    old = Unit.objects.create(
        code="OLD", name="Sở Y tế cũ", type="department", group=world.stp.group
    )
    UnitLineage.objects.create(
        predecessor=old, successor=world.syt, kind="renamed", date="2026-01-01"
    )
    version = world.a_stp.methodology
    earlier = period_services.period_create(
        actor=world.admin,
        year=2025,
        name="Kỳ đánh giá CCHC năm 2025",
        deadlines=deadlines(),
        methodologies={world.stp.group: version},
    )
    period_services.period_open(actor=world.admin, period=earlier, units=[world.stp, old])
    si = imported(world, {"STP": [(5, 5, 1)] * 4, "OLD": [(5, 5, 5)] * 4}, period=earlier)
    return old, si


def test_the_ranking_compares_with_last_year_through_the_lineage(world):
    previous_year(world)
    si = imported(world)

    html = client_for(world.admin).get(reverse("survey-ranking", args=[si.pk])).content.decode()

    assert "Thay đổi chỉ số so với 2025" in html
    stp = html[html.index('data-unit="STP"') :]
    assert "+50,00" in stp[: stp.index("</tr>")]  # 2025: 50 (A 100, B 0) → 2026: 100
    syt = html[html.index('data-unit="SYT"') :]
    syt = syt[: syt.index("</tr>")]
    assert "-62,50" in syt and "Sở Y tế cũ" in syt  # compared with its predecessor OLD
    unit = client_for(world.admin).get(reverse("survey-unit", args=[si.pk, "SYT"]))
    assert "So với năm 2025" in unit.content.decode()


def test_unit_users_see_their_own_survey_results_once_published(world):
    si = imported(world)
    officer = client_for(world.officer)
    own = reverse("survey-unit", args=[si.pk, "STP"])
    other = reverse("survey-unit", args=[si.pk, "SYT"])
    assert officer.get(own).status_code == 404
    period_services.period_advance(actor=world.admin, period=world.period, to="appraisal")
    period_finalize(actor=world.admin, period=world.period)
    period_publish(actor=world.admin, period=world.period)

    assert officer.get(own).status_code == 200
    assert officer.get(other).status_code == 404
    ranking = officer.get(reverse("survey-ranking", args=[si.pk])).content.decode()
    assert f'href="{own}"' in ranking and f'href="{other}"' not in ranking


def test_the_index_lists_what_the_reader_may_read(world):
    si = imported(world, {"SYT": [(5, 5, 5)] * 3})
    link = reverse("survey-ranking", args=[si.pk])
    assert link in client_for(world.viewer).get(reverse("survey-index")).content.decode()
    assert link not in client_for(world.officer).get(reverse("survey-index")).content.decode()
    period_services.period_advance(actor=world.admin, period=world.period, to="appraisal")
    period_finalize(actor=world.admin, period=world.period)
    period_publish(actor=world.admin, period=world.period)
    own = reverse("survey-unit", args=[si.pk, "SYT"])
    assert own in client_for(world.other_officer).get(reverse("survey-index")).content.decode()
    page = client_for(world.officer).get(reverse("survey-index")).content.decode()
    assert link in page and "/unit/" not in page  # STP has no responses in this survey


# --- exports -------------------------------------------------------------------------------------


def test_the_ranking_export_has_numbers_and_safe_text(world):
    Unit.objects.filter(pk=world.syt.pk).update(name='=HYPERLINK("http://x")')
    si = imported(world)

    response = client_for(world.viewer).get(reverse("survey-ranking-export", args=[si.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    ws = book[world.stp.group.name]
    rows = {row[1]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["STP"][0] == 1 and rows["STP"][4] == 100
    assert rows["SYT"][4] == 37.5 or rows["SYT"][4] == pytest.approx(37.5)
    name = next(c for c in ws[3] if c.column == 3)
    assert name.data_type == "s" and name.value.startswith("=")  # text, not a formula
    groups = book["Theo nhóm câu hỏi"]
    header = [c.value for c in groups[1]]
    assert "tiep_can. Tiếp cận dịch vụ" in header


def test_the_unit_export_lists_groups_questions_and_leaves(world):
    si = imported(world)

    response = client_for(world.admin).get(reverse("survey-unit-export", args=[si.pk, "SYT"]))

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo nhóm câu hỏi",
        "Theo câu hỏi",
        "Tiêu chí được chấm",
    ]
    groups = {
        r[0].strip(): r for r in book["Theo nhóm câu hỏi"].iter_rows(min_row=2, values_only=True)
    }
    assert groups["tiep_can"][3] == pytest.approx(75) and groups["cong_chuc"][3] == 0
    leaves = list(book["Tiêu chí được chấm"].iter_rows(min_row=2, values_only=True))
    assert leaves[0][0] == "3.1" and leaves[0][3] == pytest.approx(0.75)


# --- no query per row -----------------------------------------------------------------------------


def pages(si: SurveyImport, unit: str) -> list[str]:
    return [
        reverse("survey-period", args=[si.period_id]),
        reverse("survey-import", args=[si.pk]),
        reverse("survey-ranking", args=[si.pk]),
        reverse("survey-ranking-export", args=[si.pk]),
        reverse("survey-unit", args=[si.pk, unit]),
        reverse("survey-index"),
    ]


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def add_units(world: World, prefix: str, n: int) -> None:
    """``n`` more departments in the period, each with its assessment and leaf rows."""
    version = world.a_stp.methodology
    m = period_services.methodology_of(version)
    for i in range(n):
        unit = Unit.objects.create(
            code=f"{prefix}{i:02d}",
            name=f"Sở {prefix} {i}",
            type="department",
            group=world.stp.group,
        )
        a = Assessment.objects.create(period=world.period, unit=unit, methodology=version)
        LeafScore.objects.bulk_create(LeafScore(assessment=a, node_code=x.code) for x in m.leaves())


def test_pages_run_the_same_number_of_queries_whatever_the_number_of_units(world):
    previous_year(world)
    admin = client_for(world.admin)
    counts = []
    for prefix, n in (("A", 2), ("B", 10)):
        add_units(world, prefix, n)
        codes = Assessment.objects.filter(period=world.period).values_list("unit__code", flat=True)
        si = imported(world, {code: [(5, 4, 1)] * 3 for code in codes})
        counts.append([count_queries(admin, url) for url in pages(si, "SYT")])
    assert counts[0] == counts[1]
