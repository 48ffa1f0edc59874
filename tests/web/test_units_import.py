"""Importing units from CSV/XLSX: every bad row reported with its column; nothing imported."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from parindex.web.common import ServiceError
from parindex.web.units import services
from parindex.web.units.models import Unit, UnitGroup, UnitLineage

from .conftest import make_user

GOOD = (
    "code,name,type,group,group_name,parent,valid_from,valid_to,predecessors\n"
    "T,Tỉnh mẫu,province,TINH,Tỉnh,,,,\n"
    'X1,Xã Cũ Một,xã,XP,"Khối xã, phường",T,01/01/2020,30/06/2025,\n'
    "X2,Xã Cũ Hai,commune,XP,,T,01/01/2020,30/06/2025,\n"
    "XM,Xã Mới,Xã,XP,,T,01/07/2025,,X1;X2\n"
)


@pytest.fixture
def admin(db):
    return make_user("qt", "admin")


def upload(client, content: bytes, name="don-vi.csv"):
    return client.post(reverse("units"), {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_a_valid_file_creates_the_tree_groups_and_lineage(client, admin):
    client.force_login(admin)
    html = upload(client, GOOD.encode()).content.decode()

    assert "4 đơn vị mới" in html
    assert Unit.objects.get(code="XM").parent.code == "T"
    assert UnitGroup.objects.get(code="XP").name == "Khối xã, phường"
    assert set(UnitLineage.objects.values_list("predecessor__code", flat=True)) == {"X1", "X2"}
    assert Unit.objects.get(code="X1").valid_to.isoformat() == "2025-06-30"


def test_every_bad_row_is_reported_and_nothing_is_imported(client, admin):
    bad = (
        "code,name,type,group,parent,valid_from\n"
        "A,Sở A,sở,SBN,,\n"
        "A,Sở A trùng,sở,SBN,,\n"
        "B,Sở B,hành tinh,SBN,,\n"
        "C,Sở C,sở,SBN,KHONGCO,\n"
        "D,Sở D,sở,SBN,,32/13/2025\n"
    )
    client.force_login(admin)
    html = upload(client, bad.encode()).content.decode()

    assert "dòng 3, cột code: mã &#x27;A&#x27; trùng với dòng 2" in html
    assert "dòng 4, cột type" in html
    assert "dòng 5, cột parent: không có đơn vị mã &#x27;KHONGCO&#x27;" in html
    assert "dòng 6, cột valid_from" in html
    assert not Unit.objects.exists() and not UnitGroup.objects.exists()


def test_xlsx_is_accepted(client, admin):
    book = Workbook()
    ws = book.active
    ws.append(["code", "name", "type", "group"])
    ws.append(["STP", "Sở Tư pháp", "department", "SBN"])
    path = __import__("io").BytesIO()
    book.save(path)
    client.force_login(admin)
    upload(client, path.getvalue(), "don-vi.xlsx")
    assert Unit.objects.get(code="STP").type == "department"


def test_only_administrators_import(client, db):
    officer = make_user("cb", "viewer")
    client.force_login(officer)
    assert client.get(reverse("units")).status_code == 404
    with pytest.raises(ServiceError):
        services.units_import(actor=officer, rows=[(2, {"code": "A"})])
