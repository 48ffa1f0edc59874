"""What the sample province is made of: units, accounts, periods and the words people write.

Everything here is invented sample data ("Tỉnh mẫu"), not the organisation of a real province;
the department list follows the provincial structure after the 2025 reorganisation.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date

PASSWORD = "demo-parindex-2026"
SEED = 2026
PROVINCE = "TINHMAU"
PERIOD_NAMES = {
    2025: "Đánh giá Chỉ số cải cách hành chính năm 2025 (dữ liệu mẫu)",
    2026: "Đánh giá Chỉ số cải cách hành chính năm 2026 (dữ liệu mẫu)",
}
MERGER_DAY = date(2025, 7, 1)
MERGER_DECISION = "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã"

GROUPS = {
    "TINH": "Cấp tỉnh",
    "SBN": "Khối sở, ban, ngành",
    "TW": "Khối cơ quan Trung ương đóng trên địa bàn",
    "XP": "Khối xã, phường",
}
DEPT_FILE, LOCAL_FILE = "so-ban-nganh-mau.yaml", "xa-phuong-mau.yaml"
METHODOLOGY_OF_GROUP = {"SBN": DEPT_FILE, "TW": DEPT_FILE, "XP": LOCAL_FILE}

# Units without administrative procedures of their own are exempted from these nodes
# (as the shipped methodology's notes describe).
NO_PROCEDURES = ("3.1", "3.2", "3.3", "7.3.2", "8.4.2")
DEPARTMENTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("SNV", "Sở Nội vụ", ()),
    ("STP", "Sở Tư pháp", ()),
    ("STC", "Sở Tài chính", ()),
    ("SXD", "Sở Xây dựng", ()),
    ("SCT", "Sở Công Thương", ()),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", ()),
    ("SKHCN", "Sở Khoa học và Công nghệ", ()),
    ("SGDDT", "Sở Giáo dục và Đào tạo", ()),
    ("SYT", "Sở Y tế", ()),
    ("SVHTT", "Sở Văn hóa và Thể thao", ()),
    ("SDL", "Sở Du lịch", ()),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", ()),
    ("SNGV", "Sở Ngoại vụ", ()),
    ("VPUBND", "Văn phòng UBND tỉnh", NO_PROCEDURES),
    ("TTT", "Thanh tra tỉnh", NO_PROCEDURES),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp", ()),
    ("VPDDBQH", "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh", NO_PROCEDURES),
]
CENTRAL_AGENCIES = [
    ("CAT", "Công an tỉnh"),
    ("KBNN", "Kho bạc Nhà nước khu vực XII"),
    ("THUE", "Thuế tỉnh"),
    ("BHXH", "Bảo hiểm xã hội tỉnh"),
]
WARDS = [
    "Bình Minh", "Hòa Bình", "Thắng Lợi", "Quang Trung", "Trần Hưng Đạo", "Lê Lợi", "Tân An",
    "Phú Hòa", "An Phú", "Đông Hải", "Nam Sơn", "Bắc Hà", "Thành Công", "Minh Khai", "Hồng Hà",
]  # fmt: skip
COMMUNES = [
    "Tân Lập", "Tân Tiến", "Tân Phong", "Tân Hưng", "Hòa An", "Hòa Thuận", "Hòa Lạc", "An Lạc",
    "An Bình", "An Hòa", "Bình An", "Bình Thành", "Phú Lộc", "Phú Xuân", "Phúc Thọ",
    "Thanh Sơn", "Thanh Lâm", "Thanh Hà", "Thuận Thành", "Đồng Tiến", "Quyết Thắng",
    "Quảng Phú", "Hưng Đạo", "Hưng Long", "Kim Sơn", "Lạc Sơn", "Long Hưng", "Minh Đức",
    "Minh Tân", "Nghĩa Hưng", "Ngọc Lâm", "Cẩm Thủy", "Xuân Lâm", "Xuân Trường", "Yên Hòa",
    "Yên Bình", "Vĩnh Phúc", "Vĩnh Thịnh", "Trung Sơn", "Sơn Thủy", "Hợp Thành",
]  # fmt: skip
# Units formed on 1/7/2025 by merging smaller ones; the smaller ones were assessed for 2025.
MERGERS: list[tuple[str, str, tuple[str, ...]]] = [
    ("ward", "Hưng Phú", ("Hưng Thạnh", "Phú Lợi")),
    ("commune", "Đồng Tâm", ("Đồng Lợi", "Tâm Hòa", "Đồng Hưng")),
    ("commune", "Phú Thịnh", ("Phú Mỹ", "Thịnh Đức")),
    ("commune", "Kim Liên", ("Kim Đồng", "Liên Sơn", "Kim Tân")),
]

# The units whose accounts are printed and documented, with the state their 2026 assessment is
# left in so that every role finds something to do; the 2025 quality of some is fixed.
FEATURED = {
    "STP": ("featured_draft", "đang tự đánh giá: thử nhập điểm, đính kèm tài liệu"),
    "SYT": ("featured_open", "đã gửi; có yêu cầu giải trình đang chờ trả lời"),
    "SNV": ("featured_answered", "đã gửi; đã giải trình, chờ tổ thẩm định kết luận"),
    "PH-BINHMINH": ("featured_mixed", "đã gửi; đang thẩm định, có giải trình"),
    "XA-TANLAP": ("featured_draft", "đang tự đánh giá"),
}
FEATURED_QUALITY = {"SNV": 0.92, "STP": 0.86, "SYT": 0.84}
SCENARIO_COUNTS = {  # the other units, per block, a month before the self-assessment deadline
    "dept": {"draft": 7, "submitted": 3, "appraising": 3, "appraised": 2, "explaining": 3},
    "local": {
        "blank": 10,
        "draft": 26,
        "submitted": 8,
        "appraising": 5,
        "appraised": 3,
        "explaining": 6,
    },
}
ADMIN, VIEWER = "quantri", "lanhdao"
APPRAISERS = {  # user name → (who, what they appraise)
    "thamdinh.sbn": ("Tổ thẩm định khối sở, ban, ngành", "mọi lĩnh vực của sở, ban, ngành và TW"),
    "thamdinh.xp": ("Tổ thẩm định khối xã, phường", "mọi lĩnh vực của xã, phường"),
    "thamdinh.thethe": ("Tổ thẩm định lĩnh vực cải cách thể chế", "lĩnh vực 2 của mọi đơn vị"),
}
AREA_APPRAISED_APART = "2"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
NAMES = [  # (middle names, given names) of men and of women
    (["Văn", "Đức", "Minh", "Quốc", "Hữu"], ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng",
     "Khánh", "Long", "Nam", "Phong", "Quang", "Sơn", "Thắng", "Trung", "Tuấn", "Việt"]),
    (["Thị", "Ngọc", "Thu", "Thanh", "Minh"], ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa",
     "Hương", "Lan", "Linh", "Mai", "Nhung", "Phương", "Thảo", "Trang", "Yến"]),
]  # fmt: skip

NOTES = [
    "Một số nhiệm vụ chậm tiến độ do kiện toàn tổ chức bộ máy sau sắp xếp.",
    "Số liệu tính đến thời điểm chốt số liệu tự đánh giá.",
    "Đơn vị đang hoàn thiện hồ sơ, sẽ bổ sung tài liệu kiểm chứng.",
]
REMARKS = [
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả đơn vị tự chấm; điều chỉnh theo hồ sơ.",
    "Số liệu trích xuất từ hệ thống thấp hơn số liệu đơn vị tự chấm; chấm theo số liệu hệ thống.",
    "Văn bản ban hành sau thời hạn quy định tại Kế hoạch cải cách hành chính của UBND tỉnh.",
    "Báo cáo chưa đủ nội dung theo đề cương hướng dẫn của Sở Nội vụ.",
    "Chưa có báo cáo kết quả thực hiện; chấm theo mức độ hoàn thành thể hiện trong hồ sơ.",
]
QUESTIONS = [
    "Đề nghị đơn vị giải trình và bổ sung tài liệu kiểm chứng cho kết quả tự chấm.",
    "Đề nghị cung cấp số liệu trích xuất từ hệ thống để đối chiếu với số liệu tự chấm.",
    "Đề nghị bổ sung văn bản ban hành, kèm ngày gửi (dấu văn thư hoặc hệ thống quản lý văn bản).",
]
ANSWERS = [
    "Đơn vị xin giải trình: văn bản đã ban hành đúng hạn, gửi qua hệ thống quản lý văn bản; "
    "đơn vị bổ sung văn bản kèm theo.",
    "Số liệu tự chấm lấy tại thời điểm chốt số liệu; đơn vị gửi kèm báo cáo trích xuất từ "
    "hệ thống tại thời điểm đó.",
]
DECISION = "Chấp nhận giải trình và tài liệu bổ sung; công nhận điểm đơn vị tự chấm."


def ascii_fold(text: str) -> str:
    """Text without Vietnamese diacritics (for codes and for the ASCII-only sample PDFs)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def local_code(kind: str, name: str) -> str:
    """``PH-BINHMINH`` for Phường Bình Minh, ``XA-TANLAP`` for Xã Tân Lập."""
    prefix = "PH" if kind == "ward" else "XA"
    return f"{prefix}-{ascii_fold(name).replace(' ', '').upper()}"


def local_name(kind: str, name: str) -> str:
    return f"{'Phường' if kind == 'ward' else 'Xã'} {name}"


def local_units() -> list[tuple[str, str]]:
    """(type, name) of every commune and ward, before and after the mergers."""
    out = [("ward", n) for n in WARDS] + [("commune", n) for n in COMMUNES]
    for kind, name, olds in MERGERS:
        out += [(kind, name), *((kind, o) for o in olds)]
    return out


def unit_codes() -> list[str]:
    codes = [PROVINCE, *(c for c, _, _ in DEPARTMENTS), *(c for c, _ in CENTRAL_AGENCIES)]
    return codes + [local_code(kind, name) for kind, name in local_units()]


def unit_usernames(code: str) -> tuple[str, str]:
    """The officer's and the head's user names of a unit: ``stp.canbo``, ``stp.lanhdao``."""
    return f"{code.lower()}.canbo", f"{code.lower()}.lanhdao"


def usernames(codes: Iterable[str]) -> list[str]:
    names = [ADMIN, VIEWER, *APPRAISERS]
    for code in codes:
        names += unit_usernames(code)
    return names


def methodology_sources() -> list[str]:
    """Source names of the methodology versions the demo registers."""
    return [DEPT_FILE, LOCAL_FILE, source_2025(DEPT_FILE), source_2025(LOCAL_FILE)]


def source_2025(name: str) -> str:
    return name.replace(".yaml", "-2025.yaml")
