"""The self-assessment page and its htmx parts, as a unit officer uses them."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parindex.web.assessments.models import Event
from parindex.web.evidence.models import Evidence, StoredFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page(world):
    return reverse("assessment", args=[world.a_stp.pk])


def leaf_url(world, code, name="assessment-leaf"):
    return reverse(name, args=[world.a_stp.pk, code])


def test_the_officer_sees_the_tree_with_inputs_and_progress(client, world):
    client.force_login(world.officer)
    html = client.get(page(world)).content.decode()

    assert "Sở Tư pháp" in html and "Chỉ đạo, điều hành" in html
    assert 'name="in_numerator"' in html  # the ratio leaf 1.2 asks for its inputs
    assert "Đã chấm" in html and "0/7" in html

    # the survey leaf 3.1 is in an area the page loads when it is opened
    area = client.get(reverse("assessment-area", args=[world.a_stp.pk, "3"])).content.decode()
    assert 'id="leaf-3-1"' in area and "Lấy từ kết quả điều tra" in area  # not self-scored


def leaves_on(html):
    import re

    return re.findall(r'class="leaf card[^"]*" id="leaf-[^"]+" data-code="([^"]+)"', html)


def test_the_page_holds_the_first_area_and_loads_the_others_when_opened(client, world):
    client.force_login(world.officer)
    html = client.get(page(world)).content.decode()

    assert leaves_on(html) == ["1.1", "1.2"]
    # every other area is there, with its progress, closed, and loads its leaves when opened
    for code in ("2", "3", "5"):
        url = reverse("assessment-area", args=[world.a_stp.pk, code])
        assert f'data-area="{code}" hx-get="{url}" hx-trigger="toggle once"' in html
        assert f'id="area-progress-{code}"' in html
        # without JavaScript, the placeholder opens the page on that area
        assert f'href="?area={code}#area-{code}"' in html
    area_2 = client.get(reverse("assessment-area", args=[world.a_stp.pk, "2"])).content.decode()
    assert leaves_on(area_2) == ["2.1", "2.2"]

    # ?area= opens the page on another area; an unknown one falls back to the first
    assert leaves_on(client.get(page(world) + "?area=5").content.decode()) == ["5.1"]
    assert leaves_on(client.get(page(world) + "?area=9").content.decode()) == ["1.1", "1.2"]


@pytest.mark.parametrize("code", ["9", "1.1", "x"])
def test_an_area_that_is_not_one_answers_404(client, world, code):
    client.force_login(world.officer)
    assert client.get(reverse("assessment-area", args=[world.a_stp.pk, code])).status_code == 404


@pytest.mark.parametrize("who", ["other_officer", "other_head", "viewer", "appraiser"])
def test_others_get_404_for_a_draft_assessment(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(page(world)).status_code == 404
    assert client.post(leaf_url(world, "1.2"), {"version": 1}).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get(page(world))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_live_points_come_from_the_server_and_nothing_is_saved(client, world):
    client.force_login(world.officer)
    response = client.post(
        leaf_url(world, "1.2", "assessment-leaf-preview"),
        {"in_numerator": "8", "in_denominator": "10"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-role="preview-points">2,00</strong> / 3' in response.content.decode()
    assert world.leaf("1.2").self_points is None

    bad = client.post(leaf_url(world, "1.2", "assessment-leaf-preview"), {"in_numerator": "tám"})
    assert "không phải là số" in bad.content.decode()


def test_saving_returns_the_leaf_with_its_points(client, world):
    client.force_login(world.officer)
    response = client.post(
        leaf_url(world, "1.2"),
        {"in_numerator": "8", "in_denominator": "10", "note": "Theo báo cáo", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-role="self-points">2,00 / 3' in html
    assert world.leaf("1.2").self_points == Decimal("2.00")


def test_a_score_above_the_maximum_gets_a_vietnamese_message_and_changes_nothing(client, world):
    client.force_login(world.officer)
    response = client.post(leaf_url(world, "2.1"), {"in_value": "120", "version": 1})

    assert response.status_code == 400
    assert "nằm ngoài khoảng cho phép" in response.content.decode()
    assert world.leaf("2.1").self_points is None and world.leaf("2.1").version == 1


def test_a_stale_edit_is_refused_with_the_newer_value_shown(client, world):
    client.force_login(world.officer)
    client.post(leaf_url(world, "1.2"), {"in_numerator": "9", "in_denominator": "10", "version": 1})

    client.force_login(world.head)
    response = client.post(
        leaf_url(world, "1.2"), {"in_numerator": "1", "in_denominator": "10", "version": 1}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-role="stale"' in html and "stp.canbo" in html
    assert 'value="9"' in html  # the newer value is in the form
    assert "numerator = 1" in html  # and what the second person typed is not lost from view
    assert world.leaf("1.2").self_inputs["numerator"] == "9"


def upload(client, world, content, name="bao-cao.pdf", code="1.1"):
    return client.post(
        reverse("evidence-add", args=[world.a_stp.pk, code]),
        {"kind": "file", "file": SimpleUploadedFile(name, content), "title": ""},
    )


def test_a_pdf_is_stored_once_linked_and_served_only_to_those_allowed(client, world, settings):
    client.force_login(world.officer)
    assert upload(client, world, PDF, "../../Báo cáo <CCHC>.pdf").status_code == 200
    assert upload(client, world, PDF, "ban-sao.pdf", code="1.2").status_code == 200

    assert StoredFile.objects.count() == 1  # same content, stored once
    ev = Evidence.objects.order_by("pk").first()
    assert ev.filename == "Báo cáo _CCHC.pdf"  # no path, no <>, extension of its kind
    assert Event.objects.filter(action="link_evidence").count() == 2

    response = client.get(reverse("evidence-download", args=[ev.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    client.force_login(world.other_officer)
    assert client.get(reverse("evidence-download", args=[ev.pk])).status_code == 404
    client.force_login(world.appraiser)  # not before the unit submits
    assert client.get(reverse("evidence-download", args=[ev.pk])).status_code == 404


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "ok"),
    [
        (b"MZ\x90\x00 not a pdf at all", "virus.pdf", False),
        (b"<html><script>alert(1)</script></html>", "trang.png", False),
        (docx_bytes(), "ke-hoach.docx", True),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "anh.png", True),
        (b"PK\x03\x04broken zip", "hong.xlsx", False),
    ],
)
def test_file_type_is_checked_by_content(client, world, content, name, ok):
    client.force_login(world.officer)
    response = upload(client, world, content, name)

    assert (response.status_code == 200) is ok
    assert Evidence.objects.exists() is ok
    if not ok:
        assert "Loại tệp không được chấp nhận" in response.content.decode()


def test_a_file_over_the_cap_is_refused(client, world, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    client.force_login(world.officer)
    response = upload(client, world, PDF + b"0" * 2000)

    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()


def test_citing_a_decision_needs_its_number_date_issuer_and_summary(client, world):
    client.force_login(world.officer)
    url = reverse("evidence-add", args=[world.a_stp.pk, "1.1"])
    bad = client.post(
        url, {"kind": "document", "doc_number": "15/KH-UBND", "doc_date": "31/02/2026"}
    )
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.content.decode()

    ok = client.post(
        url,
        {
            "kind": "document",
            "doc_number": "15/KH-UBND",
            "doc_date": "20/01/2026",
            "issuer": "UBND tỉnh",
            "summary": "Kế hoạch cải cách hành chính năm 2026",
        },
    )
    assert ok.status_code == 200
    assert "15/KH-UBND ngày 20/01/2026 của UBND tỉnh" in ok.content.decode()


def test_the_page_issues_the_same_queries_whatever_the_tree_size(client, world):
    from parindex.web.periods import services as period_services

    client.force_login(world.officer)
    area = reverse("assessment-area", args=[world.a_stp.pk, "1"])
    client.get(page(world))  # warm the methodology cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(page(world)).status_code == 200
    with CaptureQueriesContext(connection) as small_area:
        assert client.get(area).status_code == 200

    # a much larger tree: the shipped department sample (87 leaves)
    big = period_services.methodology_register_shipped(
        actor=world.admin, name="so-ban-nganh-mau.yaml"
    )
    a = world.a_stp
    a.leaves.all().delete()
    a.methodology = big
    a.save()
    from parindex.web.assessments.models import LeafScore

    m = period_services.methodology_of(big)
    LeafScore.objects.bulk_create(LeafScore(assessment=a, node_code=n.code) for n in m.leaves())
    client.get(page(world))
    with CaptureQueriesContext(connection) as large:
        html = client.get(page(world)).content.decode()
    with CaptureQueriesContext(connection) as large_area:
        assert client.get(area).status_code == 200

    assert len(leaves_on(html)) > 2  # the big tree's first area really is on the page
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(large_area) == len(small_area), [q["sql"] for q in large_area.captured_queries]


def test_the_appraisal_queue_and_progress_dashboard_issue_fixed_queries(client, world):
    from parindex.web.units.models import Unit

    from .conftest import build_more_units

    def submit(unit):
        a = world.period.assessments.get(unit=unit)
        a.state = "submitted"
        a.save()

    submit(world.stp)
    client.force_login(world.area_appraiser)  # assigned area 2 of every unit
    client.get("/appraisal/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/appraisal/").status_code == 200
    client.force_login(world.admin)
    with CaptureQueriesContext(connection) as few_admin:
        assert client.get(f"/periods/{world.period.pk}/").status_code == 200

    for unit in build_more_units(world, 10):
        submit(unit)
    assert Unit.objects.count() == 12
    client.force_login(world.area_appraiser)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/appraisal/").content.decode()
    assert html.count("data-unit=") == 11
    client.force_login(world.admin)
    with CaptureQueriesContext(connection) as many_admin:
        assert client.get(f"/periods/{world.period.pk}/").status_code == 200

    assert len(many) == len(few)
    assert len(many_admin) == len(few_admin)


def test_the_progress_figures_follow_the_saves(client, world):
    from decimal import Decimal

    from parindex.web.assessments import progress
    from parindex.web.evidence.models import EvidenceLink
    from parindex.web.periods.services import methodology_of

    client.force_login(world.officer)
    client.post(leaf_url(world, "1.2"), {"in_numerator": "8", "in_denominator": "10", "version": 1})
    saved = client.post(leaf_url(world, "5.1"), {"in_count": "1", "version": 1})
    a = world.a_stp

    # the figures, counted the long way from the rows and the criteria set
    m = methodology_of(a.methodology)
    linked = set(EvidenceLink.objects.values_list("leaf__node_code", flat=True))
    expected = {}
    for leaf in a.leaves.all():
        node = m.node(leaf.node_code)
        done, total, claimed, missing = expected.get(node.area.code, (0, 0, Decimal(0), 0))
        expected[node.area.code] = (
            done + (leaf.self_points is not None),
            total + 1,
            claimed + (leaf.self_points or 0),
            missing + (node.evidence_required and leaf.node_code not in linked),
        )
    figures = progress.progress(a)
    assert {
        x.node.code: (x.done, x.total, x.claimed, x.evidence_missing) for x in figures["areas"]
    } == expected
    assert (figures["done"], figures["total"]) == (2, 7)
    assert figures["evidence_missing"] == sum(x[3] for x in expected.values()) > 0
    # the save answers with the new figures, out of band: no second request to refresh them
    html = saved.content.decode()
    assert saved.status_code == 200 and "HX-Trigger" not in saved.headers
    assert '<div id="progress" hx-swap-oob="true">' in html
    assert 'data-role="progress">2/7' in html
    assert 'id="area-progress-5" hx-swap-oob="true"' in html
    assert 'id="area-progress-1"' not in html  # the other areas' figures did not move


def test_saving_a_leaf_that_is_not_in_the_assessment_answers_404(client, world):
    from parindex.web.assessments.models import Event

    client.force_login(world.officer)
    before = Event.objects.count()
    response = client.post(leaf_url(world, "9.9"), {"in_count": "1", "version": 1})
    assert response.status_code == 404
    assert Event.objects.count() == before


def test_each_explanation_request_links_to_its_leaf_on_the_page(client, world):
    from parindex.web.appraisal import services as appraisal

    from .test_cycle_services import submit_all

    submit_all(world)
    appraisal.explanation_request(
        actor=world.appraiser, leaf=world.leaf("2.1"), question="Đề nghị gửi báo cáo quý IV"
    )
    client.force_login(world.officer)
    inbox = client.get(reverse("explanation-inbox", args=[world.a_stp.pk])).content.decode()

    link = f"{page(world)}?area=2#leaf-2-1"
    assert f'href="{link}" data-role="open-leaf"' in inbox
    assert "2.1" in leaves_on(client.get(link).content.decode())


def test_the_appraisal_page_opens_on_the_appraisers_area_and_loads_the_others(client, world):
    from .test_cycle_services import submit_all

    submit_all(world)
    url = reverse("appraisal-page", args=[world.a_stp.pk])

    # the area-2 appraiser lands on area 2, with its forms; area 1 loads without them
    client.force_login(world.area_appraiser)
    html = client.get(url).content.decode()
    assert leaves_on(html) == ["2.1", "2.2"] and "Lưu điểm thẩm định" in html
    area_1 = reverse("appraisal-area", args=[world.a_stp.pk, "1"])
    assert f'data-area="1" hx-get="{area_1}" hx-trigger="toggle once"' in html
    other = client.get(area_1).content.decode()
    assert leaves_on(other) == ["1.1", "1.2"] and "Lưu điểm thẩm định" not in other
    assert client.get(reverse("appraisal-area", args=[world.a_stp.pk, "7"])).status_code == 404

    # each area says how far its appraisal has gone
    from parindex.web.appraisal import services as appraisal

    assert 'data-role="area-appraised">0/2</span>' in html
    leaf = world.leaf("2.1")
    appraisal.leaf_appraise(
        actor=world.area_appraiser,
        leaf=leaf,
        accept=True,
        inputs=None,
        remark="",
        version=leaf.version,
    )
    html = client.get(url).content.decode()
    assert 'data-area="2"' in html and 'data-role="area-appraised">1/2</span>' in html

    # an appraiser of every area starts at the first; ?area= opens another
    client.force_login(world.appraiser)
    assert leaves_on(client.get(url).content.decode()) == ["1.1", "1.2"]
    assert leaves_on(client.get(url + "?area=5").content.decode()) == ["5.1"]


def test_an_area_with_no_leaf_for_the_unit_is_never_the_open_one(client, world):
    # leaf rows exist only where a leaf applies to the unit's type: area 1 does not, here
    world.a_stp.leaves.filter(node_code__startswith="1.").delete()
    client.force_login(world.officer)

    html = client.get(page(world)).content.decode()
    assert leaves_on(html) == ["2.1", "2.2"] and 'data-area="1"' not in html
    assert leaves_on(client.get(page(world) + "?area=1").content.decode()) == ["2.1", "2.2"]
    assert client.get(reverse("assessment-area", args=[world.a_stp.pk, "1"])).status_code == 404


@pytest.mark.parametrize(
    ("kind", "bounds", "english"),
    [
        ("percent", {"min": "0", "max": "100"}, "percentage from 0 to 100"),
        ("integer", {"min": "0"}, "whole number ≥ 0"),
        ("number", {"max": "2.5", "step": "0.25"}, "number ≤ 2,5, step 0,25"),
        ("number", {}, "number"),
    ],
)
def test_the_allowed_values_of_an_input_are_shown_in_the_users_language(kind, bounds, english):
    from decimal import Decimal

    from django.utils import translation

    from parindex.core import InputSpec
    from parindex.web.assessments.selectors import InputField

    spec = InputSpec("x", "X", kind, **{k: Decimal(v) for k, v in bounds.items()})
    field = InputField(spec, "")
    with translation.override("vi"):
        assert field.allowed == spec.describe_allowed()  # the core's wording, in Vietnamese
    with translation.override("en"):
        assert field.allowed == english


def test_the_progress_dashboard_filters_by_group_state_and_name_without_diacritics(client, world):
    from parindex.web.units.models import Unit, UnitGroup

    from .conftest import build_more_units

    (extra,) = build_more_units(world, 1)
    extra.name, extra.group = "Xã Tân Lập", UnitGroup.objects.create(code="XA", name="Khối xã")
    extra.save()
    Unit.objects.filter(pk=world.syt.pk).update(name="Sở Y tế")
    world.period.assessments.filter(unit=world.stp).update(state="submitted")
    client.force_login(world.admin)
    url = f"/periods/{world.period.pk}/"

    def units(query=""):
        import re

        html = client.get(url + query).content.decode()
        return re.findall(r'<tr data-unit="([^"]+)"', html), html

    everyone, html = units()
    assert everyone == ["STP", "SYT", "S00"]  # by group (SBN, XA), then code
    assert 'data-role="shown"' not in html  # no filter, no "showing n of m"
    assert units("?state=draft")[0] == ["SYT", "S00"]  # whom to chase
    assert units("?group=XA")[0] == ["S00"]
    assert units("?q=tan+lap")[0] == ["S00"]  # no diacritics typed
    assert units("?q=TÂN LẬP")[0] == ["S00"]
    assert units("?q=syt")[0] == ["SYT"]  # by code
    shown, html = units("?group=XA&state=submitted")
    assert shown == [] and "Không có đơn vị nào khớp bộ lọc." in html
    assert "Đang hiện 0 trong 3 đơn vị." in html
    assert "<p>1/3 đơn vị đã gửi" in html  # the figures above stay the whole period's


def test_the_submission_checklist_links_each_missing_leaf_on_the_page(client, world):
    client.force_login(world.head)
    html = client.get(reverse("assessment-submit", args=[world.a_stp.pk])).content.decode()

    # nothing is scored yet: every leaf is listed, each opening its area at the leaf
    incomplete = html[html.index('data-role="incomplete"') :]
    assert f'<a href="{page(world)}?area=2#leaf-2-1" title="' in incomplete
    assert ">2.1</a>" in incomplete
    assert 'data-role="evidence-missing"' in html


def test_the_progress_list_downloads_as_xlsx_with_the_page_filters(client, world):
    from datetime import datetime

    from django.utils import timezone
    from openpyxl import load_workbook

    sent = timezone.now()
    world.period.assessments.filter(unit=world.stp).update(state="submitted", submitted_at=sent)
    client.force_login(world.admin)
    url = f"/periods/{world.period.pk}/"
    page_html = client.get(url + "?state=draft&q=y+te").content.decode()
    export = f"/periods/{world.period.pk}/progress.xlsx?state=draft&amp;q=y+te"
    assert f'href="{export}" data-role="progress-export"' in page_html

    response = client.get(f"/periods/{world.period.pk}/progress.xlsx?state=draft&q=y+te")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''Ti%E1%BA%BFn%20%C4%91%E1%BB%99" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Khối", "Mã đơn vị", "Tên đơn vị", "Bản tự đánh giá")
    assert [r[1] for r in rows[1:]] == ["SYT"]  # the filters of the page: draft, "y te"
    assert rows[1][3:7] == ("Đang tự đánh giá", None, 0, 7)

    everyone = client.get(f"/periods/{world.period.pk}/progress.xlsx")
    rows = list(load_workbook(io.BytesIO(everyone.content)).active.iter_rows(values_only=True))
    stp = next(r for r in rows if r[1] == "STP")
    assert stp[3] == "Đã gửi"
    local = timezone.localtime(sent).replace(tzinfo=None, microsecond=0)
    assert isinstance(stp[4], datetime) and stp[4].replace(microsecond=0) == local


def test_the_appraisal_queue_filters_what_waits_and_by_name(client, world):
    from parindex.web.appraisal import services as appraisal
    from parindex.web.assessments.models import LeafScore

    from .conftest import build_more_units
    from .test_cycle_services import submit_all

    submit_all(world)  # STP submitted
    (extra,) = build_more_units(world, 1)
    extra.name = "Xã Tân Lập"
    extra.save()
    world.period.assessments.filter(unit=extra).update(state="submitted")
    request = appraisal.explanation_request(
        actor=world.area_appraiser, leaf=world.leaf("2.1"), question="Đề nghị gửi báo cáo"
    )
    appraisal.explanation_answer(actor=world.officer, request=request, text="Đã gửi")
    client.force_login(world.area_appraiser)  # area 2 of every unit

    def units(query=""):
        import re

        html = client.get("/appraisal/" + query).content.decode()
        return re.findall(r'<tr data-unit="([^"]+)"', html), html

    assert units()[0] == ["S00", "STP"]  # by group, then code
    assert units("?todo=conclude")[0] == ["STP"]  # STP's answer awaits a conclusion
    assert units("?todo=appraise")[0] == ["S00", "STP"]  # nothing fully appraised yet
    LeafScore.objects.filter(assessment__unit=extra).update(appraisal_status="accepted")
    assert units("?todo=appraise")[0] == ["STP"]  # S00 is done
    assert units("?q=tan+lap")[0] == ["S00"]
    shown, html = units("?todo=conclude&q=tan+lap")
    assert shown == [] and "Không có đơn vị nào khớp bộ lọc." in html
    assert "Đang hiện 0 trong 2 đơn vị." in html
