"""The assessment cycle through its services: self-assessment → appraisal → explanation →
finalization, with deadlines, permissions and stale edits enforced on the server."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from parindex.web.appraisal import services as appraisal
from parindex.web.appraisal.models import RequestState
from parindex.web.assessments import services
from parindex.web.assessments.models import Event
from parindex.web.common import ServiceError, StaleEdit
from parindex.web.periods import services as period_services
from parindex.web.results.models import UnitResultRecord
from parindex.web.results.services import period_finalize, period_publish


def save(world, code, version=None, user=None, note="", **inputs):
    leaf = world.leaf(code)
    return services.leaf_save_self(
        actor=user or world.officer,
        leaf=leaf,
        inputs=inputs,
        note=note,
        version=leaf.version if version is None else version,
    )


def test_saving_inputs_stores_the_points_the_core_engine_gives(world):
    leaf = save(world, "1.2", numerator="8", denominator="10")

    assert leaf.self_points == Decimal("2.00")  # 80 % is in the band 70–90 → 2 points
    assert leaf.self_inputs == {"numerator": "8", "denominator": "10"}
    event = Event.objects.get(node_code="1.2", action="save")
    assert event.actor == world.officer
    assert event.old["points"] is None and event.new["points"] == "2.00"


@pytest.mark.parametrize(
    ("code", "inputs", "message"),
    [
        ("2.1", {"value": "101"}, "ngoài khoảng"),
        ("2.1", {"value": "nhiều"}, "không phải là số"),
        ("1.1", {"choice": "sometimes"}, "không phải là phương án hợp lệ"),
    ],
)
def test_bad_input_is_refused_with_a_specific_message_and_changes_nothing(
    world, code, inputs, message
):
    leaf = world.leaf(code)
    name = next(iter(inputs))
    spec_names = [
        s.name
        for s in period_services.methodology_of(leaf.assessment.methodology).node(code).inputs
    ]
    inputs = {spec_names[0]: inputs[name]}

    with pytest.raises(ServiceError, match=message):
        services.leaf_save_self(
            actor=world.officer, leaf=leaf, inputs=inputs, note="", version=leaf.version
        )

    after = world.leaf(code)
    assert after.self_inputs == {} and after.self_points is None and after.version == leaf.version
    assert not Event.objects.filter(node_code=code).exists()


def test_a_stale_edit_is_refused_and_the_newer_value_is_returned(world):
    first = world.leaf("1.2")
    save(world, "1.2", version=first.version, numerator="9", denominator="10")

    with pytest.raises(StaleEdit) as caught:
        save(world, "1.2", version=first.version, user=world.head, numerator="1", denominator="10")

    assert caught.value.current.self_inputs == {"numerator": "9", "denominator": "10"}
    assert "stp.canbo" in caught.value.message
    assert world.leaf("1.2").self_points == Decimal("3.00")


def test_another_unit_cannot_save_and_is_told_nothing_exists(world):
    with pytest.raises(Http404):
        save(world, "1.2", user=world.other_officer, numerator="9", denominator="10")
    with pytest.raises(Http404):
        save(world, "1.2", user=world.appraiser, numerator="9", denominator="10")


def test_an_edit_after_the_deadline_is_refused(world):
    world.period.self_assessment_deadline = timezone.now() - timedelta(minutes=1)
    world.period.save()

    with pytest.raises(ServiceError, match="Đã quá hạn tự đánh giá"):
        save(world, "1.2", numerator="9", denominator="10")
    assert world.leaf("1.2").self_points is None


def test_survey_inputs_are_never_self_scored(world):
    leaf = world.leaf("3.1")
    name = period_services.methodology_of(leaf.assessment.methodology).node("3.1").inputs[0].name

    save(world, "3.1", **{name: "0.9"})

    assert world.leaf("3.1").self_inputs == {}


def submit_all(world):
    m = period_services.methodology_of(world.a_stp.methodology)
    for code, values in {
        "1.1": ["on_time"],
        "1.2": ["8", "10"],
        "2.1": ["90"],
        "2.2": ["có"],
        "4.1": ["1"],
        "5.1": ["0"],
    }.items():
        names = [s.name for s in m.node(code).inputs]
        save(world, code, **dict(zip(names, values, strict=True)))
    return services.assessment_submit(
        actor=world.head, assessment=world.a_stp, acknowledge_missing=True
    )


def test_only_the_head_submits_and_then_the_unit_cannot_edit(world):
    with pytest.raises(ServiceError, match="Chỉ lãnh đạo đơn vị"):
        services.assessment_submit(actor=world.officer, assessment=world.a_stp)

    checklist = services.submission_checklist(world.a_stp)
    assert "1.1" in checklist.incomplete and "1.1" in checklist.evidence_missing
    with pytest.raises(ServiceError, match="hãy xác nhận"):
        services.assessment_submit(actor=world.head, assessment=world.a_stp)

    submit_all(world)
    assert world.a_stp.submitted
    with pytest.raises(ServiceError, match="đã gửi"):
        save(world, "1.2", numerator="10", denominator="10")


def test_reopening_one_leaf_lets_the_unit_edit_it_and_see_why(world):
    submit_all(world)
    with pytest.raises(ServiceError, match="lý do"):
        period_services.leaf_reopen(actor=world.admin, leaf=world.leaf("1.2"), reason=" ")

    period_services.leaf_reopen(actor=world.admin, leaf=world.leaf("1.2"), reason="Sai số liệu")
    leaf = save(world, "1.2", numerator="10", denominator="10")
    assert leaf.self_points == Decimal("3.00") and leaf.reopen_reason == "Sai số liệu"
    with pytest.raises(ServiceError, match="đã gửi"):
        save(world, "2.1", value="100")

    services.assessment_submit(actor=world.head, assessment=world.a_stp)
    assert not world.leaf("1.2").reopened


def test_appraisal_explanation_and_decision_then_finalized_results(world):
    submit_all(world)
    leaf = world.leaf("2.1")
    names = [
        s.name
        for s in period_services.methodology_of(leaf.assessment.methodology).node("2.1").inputs
    ]

    # the area-2 appraiser may appraise 2.1 but not 1.1; the STP appraiser everything of STP
    with pytest.raises(Http404):
        appraisal.leaf_appraise(
            actor=world.area_appraiser,
            leaf=world.leaf("1.1"),
            accept=True,
            inputs=None,
            remark="",
            version=world.leaf("1.1").version,
        )
    with pytest.raises(ServiceError, match="Phải ghi nhận xét"):
        appraisal.leaf_appraise(
            actor=world.appraiser,
            leaf=leaf,
            accept=False,
            inputs={names[0]: "50"},
            remark="",
            version=leaf.version,
        )
    leaf = appraisal.leaf_appraise(
        actor=world.appraiser,
        leaf=leaf,
        accept=False,
        inputs={names[0]: "50"},
        remark="Tỷ lệ đúng hạn theo hệ thống một cửa là 50 %",
        version=leaf.version,
    )
    assert leaf.appraised_points == Decimal("2.00") and leaf.appraisal_status == "changed"

    request = appraisal.explanation_request(
        actor=world.appraiser, leaf=leaf, question="Đề nghị cung cấp báo cáo của hệ thống"
    )
    with pytest.raises(Http404):
        appraisal.explanation_answer(actor=world.other_officer, request=request, text="x")
    appraisal.explanation_answer(actor=world.officer, request=request, text="Số liệu là 80 %")
    request.refresh_from_db()
    assert request.state == RequestState.ANSWERED

    leaf = world.leaf("2.1")
    appraisal.explanation_decide(
        actor=world.appraiser,
        request=request,
        inputs={names[0]: "80"},
        keep_appraised=False,
        remark="Chấp nhận giải trình",
        version=leaf.version,
    )
    assert world.leaf("2.1").final_points == Decimal("3.20")

    period_services.period_advance(actor=world.admin, period=world.period, to="appraisal")
    assert period_finalize(actor=world.admin, period=world.period) == 2
    stp = UnitResultRecord.objects.get(unit=world.stp)
    # 1.1: 1 + 1.2: 2 + 2.1: 3.20 + 2.2: 2 + bonus one initiative × 0.5 − penalty 0 = 8.70
    assert stp.nodes["2.1"] == ["3.20", "4"]
    assert stp.total == Decimal("8.70")
    assert stp.rank == 1
    with pytest.raises(ServiceError, match="chốt điểm"):
        save(world, "1.2", numerator="1", denominator="10")
    period_publish(actor=world.admin, period=world.period)
    world.period.refresh_from_db()
    assert world.period.state == "published"


def test_exemptions_are_set_only_on_exemptible_nodes_and_recorded(world):
    with pytest.raises(ServiceError, match="không được đánh dấu là có thể miễn"):
        period_services.assessment_set_exempt(
            actor=world.admin, assessment=world.a_stp, codes=["1"]
        )
    with pytest.raises(ServiceError, match="Chỉ cán bộ quản trị"):
        period_services.assessment_set_exempt(actor=world.head, assessment=world.a_stp, codes=["2"])

    period_services.assessment_set_exempt(actor=world.admin, assessment=world.a_stp, codes=["2"])

    assert world.a_stp.exempt == ["2"]
    assert Event.objects.get(action="exempt").new == {"exempt": ["2"]}


def test_units_merged_away_during_the_year_are_assessed_through_their_successor(world):
    from datetime import date

    from parindex.web.assessments.models import Assessment
    from parindex.web.units.models import Unit

    group = world.stp.group
    old = Unit.objects.create(
        code="OLD", name="Sở cũ", type="department", group=group, valid_to=date(2026, 6, 30)
    )
    new = Unit.objects.create(
        code="NEW", name="Sở mới", type="department", group=group, valid_from=date(2026, 7, 1)
    )
    period = period_services.period_create(
        actor=world.admin,
        year=2026,
        name="Kỳ bổ sung",
        deadlines={k: v.replace(year=2026, month=12, day=20) for k, v in _deadlines().items()},
        methodologies={group: world.a_stp.methodology},
    )
    period_services.period_open(actor=world.admin, period=period)
    codes = set(Assessment.objects.filter(period=period).values_list("unit__code", flat=True))
    assert "NEW" in codes and "OLD" not in codes

    # the administrator may name the participants instead (e.g. a year before a merger)
    second = period_services.period_create(
        actor=world.admin,
        year=2026,
        name="Kỳ chọn đơn vị",
        deadlines=_deadlines(),
        methodologies={group: world.a_stp.methodology},
    )
    period_services.period_open(actor=world.admin, period=second, units=[old, world.stp])
    assert set(Assessment.objects.filter(period=second).values_list("unit__code", flat=True)) == {
        "OLD",
        "STP",
    }
    assert Assessment.objects.filter(period=second, unit=new).count() == 0


def _deadlines():
    from .conftest import deadlines

    return deadlines()


def test_a_leaf_is_reopened_only_after_submission(world):
    with pytest.raises(ServiceError, match="chưa gửi bản tự đánh giá"):
        period_services.leaf_reopen(actor=world.admin, leaf=world.leaf("1.2"), reason="Sai số liệu")
    assert not world.leaf("1.2").reopened
    assert not Event.objects.filter(action="reopen").exists()


def test_people_are_shown_the_periods_they_take_part_in(world):
    from parindex.web.periods.policy import visible_periods

    draft = period_services.period_create(
        actor=world.admin,
        year=2027,
        name="Kỳ 2027 (dự thảo)",
        deadlines=_deadlines(),
        methodologies={world.stp.group: world.a_stp.methodology},
    )
    assert set(visible_periods(world.admin)) == {world.period, draft}
    assert list(visible_periods(world.officer)) == [world.period]  # own unit takes part
    assert list(visible_periods(world.appraiser)) == [world.period]  # assigned
    assert list(visible_periods(world.outsider_appraiser)) == []
    assert list(visible_periods(world.viewer)) == []  # no results yet


def test_opening_creates_one_empty_leaf_row_per_applicable_leaf(world):
    from parindex.web.assessments.models import LeafScore

    syt = world.leaf("1.2", world.syt)
    # made by one INSERT … SELECT: the same as a row the ORM would make
    fresh = LeafScore(assessment=syt.assessment, node_code="x")
    for field in ("self_inputs", "self_points", "self_note", "appraisal_status", "version"):
        assert getattr(syt, field) == getattr(fresh, field), field
    assert syt.appraised_inputs is None and syt.final_inputs is None and not syt.reopened
    codes = sorted(
        LeafScore.objects.filter(assessment=world.a_stp).values_list("node_code", flat=True)
    )
    assert codes == ["1.1", "1.2", "2.1", "2.2", "3.1", "4.1", "5.1"]
    assert LeafScore.objects.count() == 14


def test_two_groups_assessed_with_one_methodology_get_their_leaves_once(world):
    from parindex.web.assessments.models import LeafScore
    from parindex.web.units.models import Unit, UnitGroup

    group = world.stp.group
    central = UnitGroup.objects.create(code="TW", name="Cơ quan Trung ương")
    Unit.objects.create(code="KB", name="Kho bạc", type="department", group=central)
    version = world.a_stp.methodology
    period = period_services.period_create(
        actor=world.admin,
        year=2026,
        name="Hai khối, một bộ tiêu chí",
        deadlines=_deadlines(),
        methodologies={group: version, central: version},
    )

    assert period_services.period_open(actor=world.admin, period=period) == 3
    assert LeafScore.objects.filter(assessment__period=period).count() == 3 * 7
