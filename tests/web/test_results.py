"""Results pages: who sees what (final vs published), numbers in Vietnamese form, the trace
of a number, the XLSX exports, the public pages, and query counts that do not grow with the
number of units."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from openpyxl import load_workbook

from parindex.web.assessments import services as assessment_services
from parindex.web.periods import services as period_services
from parindex.web.periods.models import MethodologyVersion, Period, PeriodState
from parindex.web.results import policy
from parindex.web.results.models import UnitResultRecord
from parindex.web.results.services import period_finalize, period_publish
from parindex.web.units.models import LineageKind, Unit, UnitGroup, UnitLineage

from .conftest import deadlines

# STP: 1 + 2 (8/10 → band 70–90) + 3,72 (93 % of 4) + 2 + bonus 0,5 − 0 = 9,22 of 12 → 76,83 %
# SYT: 0,5 (late) + 0 (5/10) + 2 (50 % of 4) + 0 + 0 − 1 (two late reports) = 1,5 → 12,50 %
STP_INPUTS = {"1.1": ["on_time"], "1.2": ["8", "10"], "2.1": ["93"], "2.2": ["có"]}
STP_INPUTS |= {"4.1": ["1"], "5.1": ["0"]}
SYT_INPUTS = {"1.1": ["late"], "1.2": ["5", "10"], "2.1": ["50"], "2.2": ["không"]}
SYT_INPUTS |= {"4.1": ["0"], "5.1": ["2"]}


def _self_assess(world, unit, officer, head, values) -> None:
    m = period_services.methodology_of(world.a_stp.methodology)
    for code, texts in values.items():
        leaf = world.leaf(code, unit)
        names = [s.name for s in m.node(code).inputs]
        assessment_services.leaf_save_self(
            actor=officer,
            leaf=leaf,
            inputs=dict(zip(names, texts, strict=True)),
            note="",
            version=leaf.version,
        )
    assessment = world.a_stp if unit == world.stp else world.a_syt
    assessment_services.assessment_submit(
        actor=head, assessment=assessment, acknowledge_missing=True
    )


def run_to_final(world):
    """The world's period self-assessed by both units and finalized (not published)."""
    _self_assess(world, world.stp, world.officer, world.head, STP_INPUTS)
    _self_assess(world, world.syt, world.other_officer, world.other_head, SYT_INPUTS)
    period_services.period_advance(actor=world.admin, period=world.period, to="appraisal")
    period_finalize(actor=world.admin, period=world.period)
    world.period.refresh_from_db()
    return world


@pytest.fixture
def final(world):
    return run_to_final(world)


@pytest.fixture
def published(final):
    period_publish(actor=final.admin, period=final.period)
    final.period.refresh_from_db()
    return final


def url(name, world, *args):
    return reverse(name, args=[world.period.pk, *args])


def cell(html: str, unit: str, role: str) -> str:
    row = re.search(rf'<tr data-unit="{unit}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {unit}"
    found = re.search(rf'data-role="{role}"[^>]*>(.*?)</td>', row.group(1), re.S)
    assert found, f"no {role} for {unit}"
    return re.sub(r"<[^>]+>|\s+", "", found.group(1))


# --- who sees what --------------------------------------------------------------------------

PERSONAS = ["admin", "viewer", "appraiser", "officer", "head", "other_officer", None]
# persona → (ranking, STP scorecard) when the period is final, then when published
MATRIX = {
    "admin": ((200, 200), (200, 200)),
    "viewer": ((200, 200), (200, 200)),
    "appraiser": ((404, 404), (200, 200)),
    "officer": ((404, 404), (200, 200)),
    "head": ((404, 404), (200, 200)),
    "other_officer": ((404, 404), (200, 404)),
    None: ((302, 302), (302, 302)),
}


def _status_matrix(client, world, persona):
    if persona:
        client.force_login(getattr(world, persona))
    unit_urls = [
        url("results-unit", world, "STP"),
        url("results-unit-export", world, "STP"),
        url("results-trace", world, "STP", "2.1"),
        url("results-trace-total", world, "STP"),
    ]
    ranking = {client.get(u).status_code for u in [url("results-ranking", world)]}
    ranking |= {client.get(url("results-export", world)).status_code}
    unit = {client.get(u).status_code for u in unit_urls}
    assert len(ranking) == 1 and len(unit) == 1, (ranking, unit)
    return ranking.pop(), unit.pop()


@pytest.mark.parametrize("persona", PERSONAS)
def test_final_results_are_seen_by_administrator_and_leaders_only(client, final, persona):
    assert _status_matrix(client, final, persona) == MATRIX[persona][0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_results_reach_units_for_their_own_scorecard_only(client, published, persona):
    assert _status_matrix(client, published, persona) == MATRIX[persona][1]


def test_results_of_a_period_still_in_appraisal_are_seen_by_nobody(client, world):
    client.force_login(world.admin)
    assert client.get(url("results-ranking", world)).status_code == 404
    assert client.get(reverse("public-ranking", args=[world.period.pk])).status_code == 404


def test_a_unit_user_sees_links_only_to_their_own_scorecard(client, published):
    client.force_login(published.officer)
    html = client.get(url("results-ranking", published)).content.decode()

    assert url("results-unit", published, "STP") in html
    assert url("results-unit", published, "SYT") not in html


def test_an_inactive_administrator_or_an_unknown_role_sees_nothing(final):
    final.admin.is_active = False
    final.viewer.role = "auditor"

    for user in (final.admin, final.viewer):
        assert not policy.results_periods(user).exists()
        assert not policy.may_see_unit(user, final.period, final.stp.pk)


def test_an_unknown_unit_or_node_is_not_found(client, final):
    client.force_login(final.admin)
    assert client.get(url("results-unit", final, "KHONG")).status_code == 404
    assert client.get(url("results-trace", final, "STP", "9.9")).status_code == 404
    assert client.get(reverse("results-ranking", args=[99999])).status_code == 404


# --- public pages ---------------------------------------------------------------------------


def test_public_pages_hide_a_final_but_unpublished_period(client, final):
    index = client.get(reverse("public-results"))
    ranking = client.get(reverse("public-ranking", args=[final.period.pk]))

    assert index.status_code == 200
    assert final.period.name not in index.content.decode()
    assert "Chưa có kết quả nào được công bố." in index.content.decode()
    assert ranking.status_code == 404
    assert "Sở Tư pháp" not in ranking.content.decode()


def test_public_ranking_of_a_published_period_has_no_internal_links(client, published):
    index = client.get(reverse("public-results")).content.decode()
    response = client.get(reverse("public-ranking", args=[published.period.pk]))
    html = response.content.decode()

    assert reverse("public-ranking", args=[published.period.pk]) in index
    assert response.status_code == 200
    assert cell(html, "STP", "total") == "9,22" and cell(html, "STP", "rank") == "1"
    assert "/results/" + str(published.period.pk) + "/unit/" not in html
    assert "export.xlsx" not in html


def test_public_ranking_never_compares_with_an_unpublished_year(client, published):
    earlier = _period(2025, PeriodState.FINAL)
    _record(earlier, published.stp, rank=2, index="60")
    _record(earlier, published.syt, rank=1, index="70")

    public = client.get(reverse("public-ranking", args=[published.period.pk])).content.decode()
    client.force_login(published.admin)
    internal = client.get(url("results-ranking", published)).content.decode()

    assert "Chưa có kỳ đánh giá năm trước để so sánh." in public
    assert 'data-role="rank-change"' not in public
    assert "60,00" not in public
    assert cell(internal, "STP", "rank-change") == "↑1"


# --- ranking: numbers and the change since last year ---------------------------------------


def test_ranking_shows_vietnamese_numbers_with_the_methodology_decimals(client, final):
    client.force_login(final.viewer)
    html = client.get(url("results-ranking", final)).content.decode()

    assert cell(html, "STP", "rank") == "1" and cell(html, "SYT", "rank") == "2"
    assert cell(html, "STP", "total") == "9,22"
    assert cell(html, "STP", "index") == "76,83"
    assert cell(html, "SYT", "total") == "1,50"
    assert cell(html, "SYT", "index") == "12,50"
    assert "Khối sở, ban, ngành" in html
    assert "chưa công bố" in html
    assert html.index('data-unit="STP"') < html.index('data-unit="SYT"')


def test_change_against_the_previous_year_by_rank_and_index(client, final):
    earlier = _period(2025, PeriodState.PUBLISHED)
    _record(earlier, final.stp, rank=2, index="70.5")
    _record(earlier, final.syt, rank=1, index="80")
    client.force_login(final.admin)

    html = client.get(url("results-ranking", final)).content.decode()

    assert cell(html, "STP", "rank-change") == "↑1"
    assert cell(html, "STP", "index-change") == "+6,33"
    assert cell(html, "SYT", "rank-change") == "↓1"
    assert cell(html, "SYT", "index-change") == "-67,50"
    assert "So với đơn vị tiền thân" not in html


def test_change_is_found_through_the_unit_lineage(client, final):
    earlier = _period(2025, PeriodState.PUBLISHED)
    old = Unit.objects.create(
        code="STP-CU", name="Sở Tư pháp (cũ)", type="department", group=final.stp.group
    )
    UnitLineage.objects.create(
        predecessor=old, successor=final.stp, kind=LineageKind.RENAMED, date="2025-07-01"
    )
    _record(earlier, old, rank=2, index="76.83")
    # SYT was merged from two units that both took part: no single rank to compare with
    for code in ("SYT-A", "SYT-B"):
        part = Unit.objects.create(code=code, name=code, type="department", group=final.stp.group)
        UnitLineage.objects.create(
            predecessor=part, successor=final.syt, kind=LineageKind.MERGED, date="2025-07-01"
        )
        _record(earlier, part, rank=1, index="90")
    client.force_login(final.admin)

    html = client.get(url("results-ranking", final)).content.decode()

    assert cell(html, "STP", "rank-change") == "↑1*"
    assert cell(html, "STP", "index-change") == "0,00"
    assert "So với đơn vị tiền thân: Sở Tư pháp (cũ)." in html
    assert cell(html, "SYT", "rank-change") == "—"
    assert "Hợp nhất từ 2 đơn vị" in html


# --- the scorecard and traces ---------------------------------------------------------------


def test_scorecard_shows_areas_lost_points_and_a_local_chart(client, published):
    client.force_login(published.head)
    response = client.get(url("results-unit", published, "STP"))
    html = response.content.decode()

    assert response.status_code == 200
    areas = re.search(r'data-role="areas">(.*?)</table>', html, re.S).group(1)
    assert re.search(r'data-node="2">.*?5,72.*?6,00.*?95,33', areas, re.S)
    lost = re.search(r'data-role="lost">(.*?)</table>', html, re.S).group(1)
    # 3.1 (survey, no data: 2 lost), 1.2 (1 lost), 2.1 (0,28 lost): biggest first
    assert re.findall(r'data-node="([\d.]+)"', lost) == ["3.1", "1.2", "2.1"]
    assert "Tỷ lệ hồ sơ đúng hạn" in lost and "0,28" in lost
    assert finders.find("plotly/plotly.min.js")
    assert '<script src="/static/plotly/plotly.min.js" defer></script>' in html
    assert '"separators": ",."' in html and '"x": ["1", "2", "3"]' in html
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']//""", html)
    trace = url("results-trace", published, "STP", "2.1")
    assert f'hx-get="{trace}"' in html


def test_a_number_is_traced_by_the_core_engine(client, final):
    client.force_login(final.viewer)

    response = client.get(url("results-trace", final, "STP", "2.1"), HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert "2.1 Tỷ lệ hồ sơ đúng hạn" in html
    assert "3,72 / 4,00" in html
    assert "Quy tắc" in html
    assert "Tính lại từ số liệu đã chốt" not in html  # recomputed = stored


def test_the_total_is_traced_and_the_rank_is_left_to_the_ranking(client, final):
    client.force_login(final.admin)

    partial = client.get(url("results-trace-total", final, "STP"), HTTP_HX_REQUEST="true")
    page = client.get(url("results-trace-total", final, "STP"))

    html = partial.content.decode()
    assert "Chỉ số = 9,22 / 12,00 × 100 = 76,83 %" in html
    assert "Thứ hạng: xem bảng xếp hạng." in html
    assert "<html" in page.content.decode() and "Chỉ số = 9,22" in page.content.decode()


def test_a_trace_warns_when_the_stored_number_no_longer_matches(client, final):
    record = UnitResultRecord.objects.get(period=final.period, unit=final.stp)
    record.nodes["2.1"] = ["1.00", "4"]
    record.save()
    client.force_login(final.admin)

    html = client.get(url("results-trace", final, "STP", "2.1")).content.decode()

    assert "Tính lại từ số liệu đã chốt cho kết quả khác với số đã lưu" in html


# --- exports --------------------------------------------------------------------------------


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def test_results_export_has_numeric_cells_and_a_safe_file_name(client, final):
    earlier = _period(2025, PeriodState.PUBLISHED)
    _record(earlier, final.stp, rank=2, index="70.5")
    client.force_login(final.admin)

    response = client.get(url("results-export", final))
    ws = _workbook(response)["Khối sở, ban, ngành"]

    header = [c.value for c in ws[1]]
    assert header[:7] == [
        "Hạng",
        "Mã đơn vị",
        "Tên đơn vị",
        "Tổng điểm",
        "Điểm tối đa",
        "Chỉ số (%)",
        "Xếp loại",
    ]
    assert header[7:11] == ["Hạng 2025", "Thay đổi hạng", "Chỉ số 2025 (%)", "Thay đổi chỉ số"]
    assert header[11] == "1. Chỉ đạo, điều hành"
    stp = [c.value for c in ws[2]]
    assert stp[:3] == [1, "STP", "Sở Tư pháp"]
    assert stp[3] == pytest.approx(9.22) and stp[4] == 12 and stp[5] == pytest.approx(76.83)
    assert stp[6] == "B — Đạt"
    assert stp[7:10] == [2, 1, pytest.approx(70.5)] and stp[10] == pytest.approx(6.33)
    assert stp[11:16] == [3, pytest.approx(5.72), 0, pytest.approx(0.5), 0]
    assert ws.cell(row=2, column=4).number_format == "0.00"
    assert [c.value for c in ws[3]][1] == "SYT" and ws.cell(row=3, column=8).value is None
    disposition = response["Content-Disposition"]
    ascii_name = re.search(r'filename="([^"]+)"', disposition).group(1)
    assert ascii_name == "Ket-qua-Ky-danh-gia-CCHC-nam-2026.xlsx"
    utf8 = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(utf8) == "Kết quả Kỳ đánh giá CCHC năm 2026.xlsx"


def test_unit_export_is_the_score_sheet_of_every_node(client, published):
    client.force_login(published.officer)

    response = client.get(url("results-unit-export", published, "STP"))
    book = _workbook(response)

    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Đơn vị"] == "STP — Sở Tư pháp"
    assert summary["Tổng điểm"] == pytest.approx(9.22)
    assert summary["Chỉ số (%)"] == pytest.approx(76.83)
    sheet = book["Phiếu điểm"]
    assert [c.value for c in sheet[1]] == [
        "Mã tiêu chí",
        "Tiêu chí",
        "Điểm tối đa",
        "Điểm đạt",
        "Tỷ lệ đạt (%)",
        "Điểm bị mất",
        "Ghi chú",
    ]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == ["1", "1.1", "1.2", "2", "2.1", "2.2", "3", "3.1", "4", "4.1", "5", "5.1"]
    _, title, top, points, percent, lost, _ = rows["2.1"]
    assert title == "Tỷ lệ hồ sơ đúng hạn" and top == 4
    assert points == pytest.approx(3.72) and percent == pytest.approx(93)
    assert lost == pytest.approx(0.28)
    assert rows["2"][5] is None  # lost points are counted on leaves only
    assert rows["4.1"][2:6] == (1, 0.5, None, None)  # bonus: no share, nothing "lost"
    lost_rows = list(book["Điểm bị mất"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in lost_rows] == ["3.1", "1.2", "2.1"]
    assert 'filename="Phieu-diem-STP-2026.xlsx"' in response["Content-Disposition"]


def test_another_unit_cannot_download_the_score_sheet(client, published):
    client.force_login(published.other_head)
    assert client.get(url("results-unit-export", published, "STP")).status_code == 404


# --- a fixed number of queries whatever the number of units --------------------------------


def _period(year: int, state: str) -> Period:
    return Period.objects.create(year=year, name=f"Kỳ đánh giá {year}", state=state, **deadlines())


def _record(period, unit, *, rank, index, total="9", group=None):
    version = MethodologyVersion.objects.first()
    return UnitResultRecord.objects.create(
        period=period,
        unit=unit,
        group=group or unit.group,
        methodology=version,
        total=Decimal(total),
        max=Decimal(12),
        index=Decimal(index),
        rank=rank,
        class_code="B",
        class_label="Đạt",
        nodes={"1": ["3", "4"], "2": ["5", "6"], "3": ["1", "2"]},
    )


def _many(world, n: int) -> Period:
    """A final 2027 period of ``n`` units in a new group; 2026 published with most of them,
    one through a renamed predecessor and one merged from two."""
    group = UnitGroup.objects.create(code="XA", name="Khối xã")
    units = [
        Unit.objects.create(code=f"X{i:02}", name=f"Xã {i}", type="department", group=group)
        for i in range(n)
    ]
    before, now = _period(2026, PeriodState.PUBLISHED), _period(2027, PeriodState.FINAL)
    old = [
        Unit.objects.create(code=f"OLD{i}", name=f"Cũ {i}", type="department", group=group)
        for i in range(3)
    ]
    UnitLineage.objects.create(
        predecessor=old[0], successor=units[0], kind="renamed", date="2026-07-01"
    )
    for o in old[1:]:
        UnitLineage.objects.create(
            predecessor=o, successor=units[1], kind="merged", date="2026-07-01"
        )
        _record(before, o, rank=1, index="50")
    _record(before, old[0], rank=2, index="50")
    for i, unit in enumerate(units):
        _record(now, unit, rank=i + 1, index=str(90 - i))
        if i > 1:
            _record(before, unit, rank=n - i, index=str(60 + i))
    return now


@pytest.mark.parametrize("n", [2, 12])
def test_ranking_pages_and_export_take_the_same_queries_for_2_or_12_units(
    client, world, n, django_assert_num_queries
):
    period = _many(world, n)
    client.force_login(world.admin)
    internal = reverse("results-ranking", args=[period.pk])
    client.get(internal)  # warm the methodology cache

    # session, user, period, records, methodologies, previous period, lineage, earlier records
    with django_assert_num_queries(8):
        html = client.get(internal).content.decode()
    with django_assert_num_queries(8):
        client.get(reverse("results-export", args=[period.pk]))
    assert html.count("<tr data-unit=") == n
    assert cell(html, "X00", "rank-change") == "↑1*"  # via the renamed predecessor
    # session, user, period, the unit's record (methodology and unit joined)
    with django_assert_num_queries(4):
        client.get(reverse("results-unit", args=[period.pk, "X00"]))
    with django_assert_num_queries(4):
        client.get(reverse("results-trace", args=[period.pk, "X00", "2"]))
    period.state = PeriodState.PUBLISHED
    period.save()
    client.logout()
    # anonymous: period, records, methodologies, previous period, lineage, earlier records
    with django_assert_num_queries(6):
        client.get(reverse("public-ranking", args=[period.pk]))
