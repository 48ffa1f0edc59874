"""The instruments shipped in parindex/surveys load and fit the shipped methodologies."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import parindex
from parindex.core import load_methodology
from parindex.core.survey import (
    check_mapping,
    load_instrument,
    load_shipped_instrument,
    shipped_instruments,
)

PACKAGE = Path(parindex.__file__).parent
METHODOLOGIES = {p.stem: p for p in (PACKAGE / "methodologies").glob("*.yaml")}
SIPAS_LEAVES = {
    "so-ban-nganh-mau": {"8.1.1", "8.1.2", "8.1.3"},
    "xa-phuong-mau": {"8.1.1", "8.1.2", "8.1.3", "8.1.4", "8.1.5"},
    "par-index-tinh-mau": {"8.1"},
}


def test_three_instruments_are_shipped():
    assert shipped_instruments() == [
        "lanh-dao-quan-ly-mau.yaml",
        "sipas-2017.yaml",
        "sipas-2023-mau.yaml",
    ]


@pytest.mark.parametrize("name", shipped_instruments())
def test_a_shipped_instrument_loads_by_name_and_path(name):
    by_name = load_shipped_instrument(name.removesuffix(".yaml"))
    by_path = load_instrument(PACKAGE / "surveys" / name)

    assert by_name == replace(by_path, file=by_name.file)
    assert by_name.file == f"parindex/surveys/{name}"
    assert by_name.id == name.removesuffix(".yaml")
    assert by_name.status == "sample"
    assert by_name.notes  # each says what is public fact and what is a sample


@pytest.mark.parametrize("name", shipped_instruments())
@pytest.mark.parametrize("methodology", sorted(METHODOLOGIES))
def test_a_shipped_instrument_fits_every_shipped_methodology(name, methodology):
    instrument = load_shipped_instrument(name)

    issues = check_mapping(instrument, load_methodology(METHODOLOGIES[methodology]))

    assert [i.format() for i in issues] == []


@pytest.mark.parametrize("name", ["sipas-2017", "sipas-2023-mau"])
def test_sipas_instruments_feed_every_sipas_leaf(name):
    instrument = load_shipped_instrument(name)

    for methodology, leaves in SIPAS_LEAVES.items():
        assert {m.leaf for m in instrument.mappings_for(methodology)} == leaves


def test_sipas_2017_has_five_equal_elements_and_22_criteria():
    sipas = load_shipped_instrument("sipas-2017")

    assert [(g.kind, len(g.questions)) for g in sipas.groups] == [
        ("element", 4),
        ("element", 5),
        ("element", 6),
        ("element", 3),
        ("element", 4),
    ]
    assert {g.weight for g in sipas.groups} == {1}
    scale = sipas.scale("hai_long")
    assert scale.options[0].label == "Rất không hài lòng"
    assert (scale.score("4"), scale.score("3"), scale.score("9")) == (100, 0, None)
    assert [t.code for t in sipas.respondent_types] == ["citizen", "organization"]


def test_sipas_2023_is_organised_by_aspects_and_nine_policy_groups():
    sipas = load_shipped_instrument("sipas-2023-mau")

    policy, services = sipas.groups
    assert (policy.kind, services.kind) == ("aspect", "aspect")
    assert [g.kind for g in policy.children] == ["policy_group"] * 9
    assert sum(g.weight for g in sipas.groups) == 1
    assert sipas.question("NC1").type == "multiple"
    assert sipas.group_of("NC1") is None


def test_the_leaders_survey_feeds_each_methodology_from_its_own_respondents():
    leaders = load_shipped_instrument("lanh-dao-quan-ly-mau")

    by_source = {(m.methodology, m.source): m.respondents for m in leaders.mappings}
    assert by_source == {
        ("par-index-tinh-mau", "leaders"): {"leader_manager"},
        ("so-ban-nganh-mau", "civil_servants"): {"civil_servant", "affiliated_head"},
        ("so-ban-nganh-mau", "organizations"): {"organization"},
        ("xa-phuong-mau", "local_representatives"): {"local_representative"},
    }
    scale = leaders.scale("danh_gia")
    assert [scale.score(c) for c in "12345"] == [0, 25, 50, 75, 100]
    assert scale.score("0") is None
