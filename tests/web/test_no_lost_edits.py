"""A refused save never loses what the user typed, and long text is refused, never cut.

Each refusal answers 400/409 with a specific message, changes nothing, and puts the user's
inputs and free texts (note, remark, question, explanation, the evidence citation) back on
the screen — or, for a stale edit where the newer value fills the form, into the message.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.web.appraisal import services as appraisal
from parindex.web.appraisal.models import ExplanationRequest, Message, RequestState
from parindex.web.assessments.models import Event
from parindex.web.evidence.models import Evidence

from .test_cycle_services import submit_all

LONG_NOTE = "Thuyết minh " + "rất dài " * 700  # > 5,000 characters


def leaf_url(world, code, name="assessment-leaf"):
    return reverse(name, args=[world.a_stp.pk, code])


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, f"no textarea {name}"
    return html_lib.unescape(found.group(1))


def value_of(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert found, f"no input {name} with a value"
    return html_lib.unescape(found.group(1))


# --- self-assessment ------------------------------------------------------------------------


def test_a_refused_save_keeps_the_note_the_user_typed(client, world):
    client.force_login(world.officer)
    response = client.post(
        leaf_url(world, "2.1"),
        {"in_value": "120", "note": "Theo báo cáo quý IV của Sở", "version": 1},
    )

    html = response.content.decode()
    assert response.status_code == 400 and "nằm ngoài khoảng cho phép" in html
    assert textarea(html, "note") == "Theo báo cáo quý IV của Sở"
    leaf = world.leaf("2.1")
    assert (leaf.self_note, leaf.version) == ("", 1)


def test_a_note_over_the_limit_is_refused_not_cut(client, world):
    client.force_login(world.officer)
    response = client.post(
        leaf_url(world, "2.1"), {"in_value": "80", "note": LONG_NOTE, "version": 1}
    )

    html = response.content.decode()
    assert response.status_code == 400
    n = f"{len(LONG_NOTE.strip()):,}".replace(",", ".")
    assert f"Ghi chú, thuyết minh dài {n} ký tự, quá giới hạn 5.000; hãy rút gọn." in html
    assert textarea(html, "note") == LONG_NOTE
    leaf = world.leaf("2.1")
    assert (leaf.self_points, leaf.self_note, leaf.version) == (None, "", 1)
    assert not Event.objects.filter(action="save").exists()


def test_a_stale_save_shows_the_newer_value_and_lists_the_note_that_was_typed(client, world):
    client.force_login(world.officer)
    client.post(leaf_url(world, "2.1"), {"in_value": "90", "note": "Bản đầu", "version": 1})

    client.force_login(world.head)
    response = client.post(
        leaf_url(world, "2.1"), {"in_value": "70", "note": "Bản của lãnh đạo", "version": 1}
    )

    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 409
    assert textarea(html, "note") == "Bản đầu"  # the newer value fills the form
    assert "value = 70; Ghi chú: «Bản của lãnh đạo»" in html  # what was typed is in view
    assert world.leaf("2.1").self_note == "Bản đầu"


# --- evidence -------------------------------------------------------------------------------


def test_a_refused_citation_opens_the_forms_again_filled_in(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("evidence-add", args=[world.a_stp.pk, "1.1"]),
        {
            "kind": "document",
            "doc_number": "15/KH-UBND",
            "doc_date": "31/02/2026",
            "issuer": "UBND tỉnh",
            "summary": "Kế hoạch cải cách hành chính năm 2026",
            "page": "3",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400 and "dd/mm/yyyy" in html
    assert '<details class="small mt-1 evidence-add" open>' in html
    assert value_of(html, "doc_number") == "15/KH-UBND"
    assert value_of(html, "doc_date") == "31/02/2026"
    assert value_of(html, "issuer") == "UBND tỉnh"
    assert value_of(html, "summary") == "Kế hoạch cải cách hành chính năm 2026"
    assert value_of(html, "page") == "3"
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "url", "url": "https://example.gov.vn/" + "a" * 1000, "title": "Cổng"},
            "Đường dẫn dài 1.023 ký tự, quá giới hạn 1.000",
        ),
        (
            {"kind": "url", "url": "https://example.gov.vn/", "title": "T" * 501},
            "Tên tài liệu dài 501 ký tự, quá giới hạn 500",
        ),
        (
            {
                "kind": "document",
                "doc_number": "1" * 101,
                "doc_date": "01/02/2026",
                "issuer": "UBND tỉnh",
                "summary": "Kế hoạch",
            },
            "Số, ký hiệu văn bản dài 101 ký tự, quá giới hạn 100",
        ),
        (
            {
                "kind": "document",
                "doc_number": "15/KH-UBND",
                "doc_date": "01/02/2026",
                "issuer": "U" * 256,
                "summary": "Kế hoạch",
            },
            "Cơ quan ban hành dài 256 ký tự, quá giới hạn 255",
        ),
    ],
)
def test_evidence_text_over_its_column_is_refused_with_its_length(client, world, data, message):
    # before, a URL over 1,000 characters passed validation and failed in PostgreSQL (a 500)
    client.force_login(world.officer)
    response = client.post(reverse("evidence-add", args=[world.a_stp.pk, "1.1"]), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert not Evidence.objects.exists()


# --- appraisal ------------------------------------------------------------------------------


def appraisal_url(world, code, name="appraisal-leaf"):
    return reverse(name, args=[world.a_stp.pk, code])


def test_a_refused_appraisal_keeps_the_inputs_and_the_remark(client, world):
    submit_all(world)
    client.force_login(world.appraiser)
    response = client.post(
        appraisal_url(world, "2.1"),
        {"action": "change", "in_value": "abc", "remark": "Theo hệ thống một cửa", "version": 2},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert value_of(html, "remark") == "Theo hệ thống một cửa"
    assert value_of(html, "in_value") == "abc"
    assert world.leaf("2.1").appraisal_status == ""


def test_a_stale_appraisal_lists_what_was_typed(client, world):
    submit_all(world)
    client.force_login(world.appraiser)
    response = client.post(
        appraisal_url(world, "2.1"),
        {"action": "change", "in_value": "50", "remark": "Chỉ 50 %", "version": 1},
    )

    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 409
    assert "value = 50; Nhận xét: «Chỉ 50 %»" in html
    assert world.leaf("2.1").appraisal_status == ""


def test_a_refused_request_keeps_the_question(client, world):
    submit_all(world)
    client.force_login(world.appraiser)
    question = "Đề nghị bổ sung " * 400  # > 5,000 characters
    response = client.post(appraisal_url(world, "2.1", "appraisal-request"), {"question": question})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Nội dung yêu cầu giải trình dài 6.399 ký tự, quá giới hạn 5.000" in html
    assert value_of(html, "question") == question
    assert not ExplanationRequest.objects.filter(leaf=world.leaf("2.1")).exists()


def _answered(world):
    submit_all(world)
    leaf = world.leaf("2.1")
    request = appraisal.explanation_request(
        actor=world.appraiser, leaf=leaf, question="Đề nghị gửi báo cáo"
    )
    appraisal.explanation_answer(actor=world.officer, request=request, text="Đã gửi")
    return request


def test_a_refused_decision_keeps_the_conclusion(client, world):
    _answered(world)
    client.force_login(world.appraiser)
    leaf = world.leaf("2.1")
    response = client.post(
        appraisal_url(world, "2.1", "appraisal-decide"),
        {
            "action": "set",
            "in_value": "200",
            "remark": "Chấp nhận một phần",
            "version": leaf.version,
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    decide_form = html[html.index(appraisal_url(world, "2.1", "appraisal-decide")) :]
    assert value_of(decide_form, "remark") == "Chấp nhận một phần"
    assert world.leaf("2.1").final_points is None


# --- the unit's explanation inbox ----------------------------------------------------------


def _requested(world):
    submit_all(world)
    return appraisal.explanation_request(
        actor=world.appraiser, leaf=world.leaf("2.1"), question="Đề nghị gửi báo cáo quý IV"
    )


def _report(world):
    return Evidence.objects.create(
        assessment=world.a_stp,
        kind="url",
        title="Báo cáo quý IV",
        url="https://x.vn/",
        uploaded_by=world.officer,
    )


def _inbox(world):
    return reverse("explanation-inbox", args=[world.a_stp.pk])


def test_evidence_is_chosen_with_checkboxes(client, world):
    _requested(world)
    _report(world)
    client.force_login(world.officer)

    html = client.get(_inbox(world)).content.decode()

    assert 'type="checkbox" name="evidence"' in html and "<select" not in html
    assert ">Báo cáo quý IV</label>" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Hãy ghi nội dung giải trình."),
        ("Giải trình " * 1000, "Nội dung giải trình dài 10.999 ký tự, quá giới hạn 10.000"),
    ],
)
def test_a_refused_answer_keeps_its_text_and_chosen_evidence_in_its_card(
    client, world, text, message
):
    request = _requested(world)
    ev = _report(world)
    client.force_login(world.officer)

    response = client.post(
        _inbox(world), {"request": request.pk, "text": text, "evidence": [ev.pk]}
    )

    html = response.content.decode()
    assert response.status_code == 200  # a full-page form, re-rendered with its error
    card = html[html.index(f'id="req-{request.pk}"') :]
    assert message in card
    assert textarea(card, "text") == text
    assert re.search(rf'value="{ev.pk}" id="ev-{request.pk}-{ev.pk}" checked', card)
    request.refresh_from_db()
    assert request.state == RequestState.OPEN
    assert Message.objects.filter(request=request).count() == 1  # the question only


# --- definitions and imports: text longer than its column is refused, never a 500 -----------
# (on PostgreSQL each of these used to fail in the database: "value too long for type
# character varying")


def test_a_methodology_whose_title_is_too_long_is_refused(client, world):
    from parindex.web.periods.models import MethodologyVersion

    from .conftest import TINY

    text = TINY.read_text(encoding="utf-8")
    title = "Bộ tiêu chí " * 50  # 600 characters
    long = re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.M)
    assert long != text
    before = MethodologyVersion.objects.count()
    client.force_login(world.admin)

    response = client.post(
        reverse("methodologies"), {"file": SimpleUploadedFile("dai.yaml", long.encode())}
    )

    assert response.status_code == 200
    n = len(title.strip())
    assert f"Tên bộ tiêu chí (title) dài {n} ký tự, quá giới hạn 500" in response.content.decode()
    assert MethodologyVersion.objects.count() == before


def test_a_period_name_that_is_too_long_is_refused_and_kept_in_the_form(client, world):
    from parindex.web.periods.models import Period, PeriodGroup

    pg = PeriodGroup.objects.get(period=world.period)
    name = "Kỳ đánh giá " * 25  # 300 characters
    client.force_login(world.admin)

    response = client.post(
        reverse("period-new"),
        {
            "year": "2027",
            "name": name,
            "self_assessment_deadline": "31/03/2027",
            "appraisal_deadline": "30/04/2027",
            "explanation_deadline": "31/05/2027",
            "finalization_deadline": "30/06/2027",
            f"group_{pg.group_id}": str(pg.methodology_id),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Tên kỳ đánh giá dài {len(name.strip())} ký tự, quá giới hạn 255" in html
    assert name.strip() in html_lib.unescape(html)  # the form keeps what was typed
    assert not Period.objects.filter(year=2027).exists()


def test_a_units_file_with_a_name_too_long_reports_the_row_and_imports_nothing(client, world):
    from parindex.web.units.models import Unit

    csv = "code,name,type,group\nX1,Xã Một,xã,XP\nX2," + "Tên rất dài " * 25 + ",xã,XP\n"
    before = Unit.objects.count()
    client.force_login(world.admin)

    response = client.post(
        reverse("units"), {"file": SimpleUploadedFile("don-vi.csv", csv.encode())}, follow=True
    )

    assert "dòng 3, cột name: dài 299 ký tự, quá giới hạn 255" in response.content.decode()
    assert Unit.objects.count() == before


def test_a_survey_instrument_whose_title_is_too_long_is_refused(client, world):
    from pathlib import Path

    from parindex.web.surveys.models import SurveyInstrument

    text = (Path(__file__).parent / "khao-sat-thu.yaml").read_text(encoding="utf-8")
    title = "Khảo sát " * 60
    long = text.replace('title: "Khảo sát thử nghiệm sự hài lòng"', f'title: "{title}"', 1)
    assert long != text
    client.force_login(world.admin)

    response = client.post(
        reverse("survey-instrument-add", args=[world.period.pk]),
        {"file": SimpleUploadedFile("dai.yaml", long.encode())},
        follow=True,
    )

    message = f"Tên công cụ khảo sát (title) dài {len(title.strip())} ký tự, quá giới hạn 500"
    assert message in response.content.decode()
    assert not SurveyInstrument.objects.exists()


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("bo-tieu-chi.yaml", "bo-tieu-chi.yaml"),
        ("a" * 300 + ".yaml", "a" * 249 + "….yaml"),
        ("b" * 300, "b" * 254 + "…"),
    ],
)
def test_an_uploaded_file_name_is_shortened_keeping_its_extension(name, short):
    from parindex.web.common import short_name

    assert short_name(name) == short and len(short_name(name)) <= 255
