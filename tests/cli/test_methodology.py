"""``parindex methodology validate|show`` and the global options."""

from __future__ import annotations

import pytest

from parindex import __version__

from .helpers import SAMPLE, TINY

BAD = """\
format: parindex/methodology@1
id: hong
title: "Hỏng"
year: 2026
status: sample
unit_types: [department]
max_points: 5
nodes:
  - code: "1"
    title: "A"
    max: 5
    colour: red
    children:
      - code: "1.1"
        title: "B"
        max: 2
        rule: {type: boolean}
"""


def test_validate_ok(run):
    code, out, _ = run("methodology", "validate", TINY, SAMPLE)
    assert code == 0
    assert out.splitlines() == [
        f"{TINY}: hợp lệ (5 lĩnh vực, 7 tiêu chí thành phần)",
        f"{SAMPLE}: hợp lệ (10 lĩnh vực, 87 tiêu chí thành phần)",
    ]


def test_validate_errors_one_line_each(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    code, out, _ = run("methodology", "validate", TINY, bad)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith("hợp lệ (5 lĩnh vực, 7 tiêu chí thành phần)")
    assert lines[1].startswith(f"{bad}:11: M020: [nút 1] ")  # children sum 2 ≠ 5
    assert lines[2].startswith(f"{bad}:12: M003: [nút 1] khóa 'colour'")
    assert len(lines) == 3


def test_validate_missing_file(run, tmp_path):
    code, out, _ = run("methodology", "validate", tmp_path / "khong-co.yaml")
    assert code == 1 and "M001" in out


def test_show_tree(run):
    code, out, _ = run("methodology", "show", TINY)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Bộ tiêu chí thử nghiệm"
    assert "Mã: thu-nghiem · Năm: 2026 · Trạng thái: mẫu" in lines
    assert "Xếp loại: A Tốt ≥ 80; B Đạt ≥ 0" in lines
    assert "2 Thủ tục hành chính — 6 điểm [có thể miễn]" in lines
    assert "  2.2 Công khai thủ tục — 2 điểm [chỉ áp dụng: Sở, ban, ngành]" in lines
    assert "      → chọn phương án (Đúng hạn: 1; Chậm: 0,5; Không ban hành: 0)" in lines
    assert "4 Điểm thưởng — 1 điểm [điểm thưởng]" in lines
    assert "5 Điểm trừ — 1 điểm [điểm trừ]" in lines


def test_show_invalid_file(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    code, out, err = run("methodology", "show", bad)
    assert code == 2 and out == "" and "M020" in err


def test_version_and_usage(run):
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"parindex {__version__}"
    code, _, err = run()
    assert code == 2 and "LỆNH" in err
    code, out, _ = run("score", "--help")
    assert code == 0 and "tính điểm" in out.lower()


def test_every_shipped_methodology_is_valid(run):
    shipped = sorted(SAMPLE.parent.glob("*.yaml"))
    code, out, _ = run("methodology", "validate", *shipped)
    assert code == 0
    assert len(shipped) == 3
    assert all(": hợp lệ (" in line for line in out.splitlines())


# Each kind of broken file named by the issue, made from the shipped department sample by
# changing one line: (original text, broken text, expected code, node named in the message).
BREAKAGES = [
    ('            guidance: "Đúng', '            guidence: "Đúng', "M003", "1.1.1"),
    ('          - code: "1.1.2"', '          - code: "1.1.1"', "M010", "1.1.1"),
    (
        '                - {code: on_time, label: "Ban hành đúng thời hạn", points: 1}',
        '                - {code: on_time, label: "Ban hành đúng thời hạn", points: 2}',
        "M040",
        "1.1.1",
    ),
    (
        "                - {gte: 70, lt: 80, points: 0.5}",
        "                - {gte: 70, lt: 85, points: 0.5}",
        "M030",
        "1.1.3",
    ),
    (
        "                - {gte: 70, lt: 80, points: 0.5}",
        "                - {gte: 75, lt: 80, points: 0.5}",
        "M031",
        "1.1.3",
    ),
    (
        'expression: "(0 if luot_ke_hoach == 0',
        "expression: \"__import__('os').system('rm') or (0 if luot_ke_hoach == 0",
        "M050",
        None,
    ),
]


@pytest.mark.parametrize(("original", "broken", "error", "node"), BREAKAGES)
def test_each_kind_of_broken_file_names_file_line_and_node(
    run, tmp_path, original, broken, error, node
):
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count(original) >= 1
    broken_text = text.replace(original, broken, 1)
    line = text[: text.index(original)].count("\n") + 1  # the changed line
    path = tmp_path / "hong.yaml"
    path.write_text(broken_text, encoding="utf-8")

    code, out, _ = run("methodology", "validate", path)

    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:"), first
    # The error is on the changed line, or (for a clash of two places) names it.
    assert first.startswith(f"{path}:{line}: {error}: [nút ") or (
        f": {error}: [nút " in first and f"dòng {line}" in first
    ), first
    if node is not None:
        assert f"[nút {node}]" in first


def test_children_not_adding_up_names_the_parent(run, tmp_path):
    # 1.1.1 worth 2 instead of 1: criterion 1.1 (max 3) no longer adds up.
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index('          - code: "1.1.1"')
    leaf_max = text.index("            max: 1\n", start)
    broken = (
        text[:leaf_max] + "            max: 2\n" + text[leaf_max + len("            max: 1\n") :]
    )
    path = tmp_path / "hong.yaml"
    path.write_text(broken, encoding="utf-8")

    code, out, _ = run("methodology", "validate", path)

    assert code == 1
    parent_max_line = text[: text.index("        max: 3", text.index('      - code: "1.1"'))]
    line = parent_max_line.count("\n") + 1
    assert f"{path}:{line}: M020: [nút 1.1] tổng điểm các nút con là 4 (1.1.1: 2 + " in out
