"""``parindex methodology validate|show`` and the global options."""

from __future__ import annotations

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
