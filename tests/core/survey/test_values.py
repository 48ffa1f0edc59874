"""Single cells: how answers, choices, numbers, weights and times are read, and nested groups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from parindex.core.survey import compute_indices, load_shipped_instrument, read_responses
from parindex.core.survey._values import (
    BLANK,
    ChoiceChecker,
    CodedLookup,
    NumberChecker,
    WeightReader,
    read_time,
    text_of,
)
from parindex.core.survey.instrument import AnswerOption

from .responses_data import instrument


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Hài lòng ", "Hài lòng"),
        (True, "TRUE"),
        (4.0, "4"),
        (2.5, "2.5"),
        (Decimal("4.00"), "4"),
        (Decimal("2.50"), "2.50"),
        (dt.date(2024, 3, 4), "2024-03-04"),
        (7, "7"),
    ],
)
def test_text_of_a_cell(value, text):
    assert text_of(value) == text


def test_a_coded_lookup_with_a_base_numbers_answers_after_it():
    options = [AnswerOption(str(i), f"mức {i}") for i in range(1, 16)]
    lookup = CodedLookup(options, [AnswerOption("99", "Không biết")], base=10)

    assert (lookup.fast["1"], lookup.fast["99"], lookup.blank) == (10, 25, 26)
    assert lookup.resolve(" mức 2 ") == 11
    assert lookup.fast[" mức 2 "] == 11  # remembered for the fast path
    assert lookup.resolve("") == 26
    assert lookup.resolve("mức 20") is None
    assert lookup.valid() == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, … (mã thiếu: 99)"


def test_a_label_two_options_share_is_not_an_answer():
    lookup = CodedLookup([AnswerOption("1", "Có"), AnswerOption("2", "có")], [])

    assert lookup.find("Có") is None
    assert lookup.find("") == BLANK


def test_checkers_remember_valid_cells():
    ins = instrument()
    choices, number = ChoiceChecker(ins.question("NC1")), NumberChecker(ins.question("P2"))

    assert choices.check("1 3") is None
    assert "1 3" in choices.fast
    assert choices.check("1 3") is None
    assert number.check(" ") is None  # blank: only a required question minds
    assert number.check("3") is None and "3" in number.fast
    assert number.check("3") is None


def test_a_weight_reader_takes_both_decimal_marks():
    reader = WeightReader()

    assert reader.read("1,25") == reader.read("1.25") == 1.25
    assert reader.fast == {"1,25": 1.25, "1.25": 1.25}
    assert reader.read("inf") == "'inf' không phải là số hữu hạn"


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        ("2024-03-04T09:10:00+07:00", dt.datetime(2024, 3, 4, 2, 10)),
        ("2024-03-04 09:10", dt.datetime(2024, 3, 4, 9, 10)),
        (dt.datetime(2024, 3, 4, 9, 10), dt.datetime(2024, 3, 4, 9, 10)),
        (dt.date(2024, 3, 4), dt.datetime(2024, 3, 4)),
        ("4/3/2024", dt.datetime(2024, 3, 4)),
        ("04/03/2024 09:10:05", dt.datetime(2024, 3, 4, 9, 10, 5)),
        ("hôm qua", None),
        ("30/02/2024", None),
    ],
)
def test_submission_times(value, moment):
    assert read_time(value) == moment


def test_nested_groups_combine_their_children_by_weight():
    sipas = load_shipped_instrument("sipas-2023-mau")
    counted = [q.code for q in sipas.questions if q.scored and q.asked_of("citizen")]
    header = ["don_vi", "P1", *counted]
    rows = [(2, dict(zip(header, ["U", "1", *["5"] * len(counted)], strict=True)))]
    rows.append((3, dict(zip(header, ["U", "1", *["2"] * len(counted)], strict=True))))

    u = compute_indices(sipas, read_responses(rows, sipas)).units["U"]

    top = [g for g in sipas.groups]
    assert [g.children != () for g in top] == [True, True]
    for parent in top:
        children = [u.groups[c.code].share for c in parent.children if u.groups[c.code].n]
        assert u.groups[parent.code].share == Decimal("50.00") == children[0]
    assert u.index.share == Decimal("50.00")
