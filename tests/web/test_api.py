"""The read-only JSON API: who sees what (public, token, session), 401 versus 404, tokens
that stop working, numbers as strings, pages, and a fixed number of queries per request."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parindex.web.accounts.models import User
from parindex.web.api.models import ApiToken
from parindex.web.api.services import token_create, token_revoke
from parindex.web.assessments import services as assessment_services
from parindex.web.common import ServiceError
from parindex.web.periods import services as period_services
from parindex.web.periods.models import MethodologyVersion, PeriodGroup
from parindex.web.results.services import period_finalize, period_publish
from parindex.web.units.models import Unit, UnitGroup

from .conftest import deadlines

NOT_FOUND = {"error": "Không tìm thấy."}
STP_INPUTS = {
    "1.1": ["on_time"],
    "1.2": ["8", "10"],
    "2.1": ["90"],
    "2.2": ["có"],
    "4.1": ["1"],
    "5.1": ["1"],
}


def token_for(user, name="thử nghiệm") -> str:
    return token_create(actor=None, user=user, name=name)[1]


def get(client, url, token=None, **extra):
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(url, **extra)


def fill_stp(world) -> None:
    """STP's head enters its self-assessment through the service the pages use."""
    m = period_services.methodology_of(world.a_stp.methodology)
    for code, values in STP_INPUTS.items():
        leaf = world.leaf(code)
        names = [s.name for s in m.node(code).inputs]
        assessment_services.leaf_save_self(
            actor=world.head,
            leaf=leaf,
            inputs=dict(zip(names, values, strict=True)),
            note="",
            version=leaf.version,
        )


def finalize(world, period=None, *, publish: bool = False):
    period = period or world.period
    period_services.period_advance(actor=world.admin, period=period, to="appraisal")
    period_finalize(actor=world.admin, period=period)
    if publish:
        period_publish(actor=world.admin, period=period)
    period.refresh_from_db()
    return period


def another_period(world, name="Kỳ đánh giá bổ sung 2026"):
    """A second period of the same group, opened but never finalized."""
    pg = PeriodGroup.objects.select_related("group", "methodology").get(period=world.period)
    period = period_services.period_create(
        actor=world.admin,
        year=2026,
        name=name,
        deadlines=deadlines(),
        methodologies={pg.group: pg.methodology},
    )
    period_services.period_open(actor=world.admin, period=period)
    return period


@pytest.fixture
def final(world):
    fill_stp(world)
    finalize(world)
    return world


@pytest.fixture
def published(final):
    period_publish(actor=final.admin, period=final.period)
    return final


# --- periods -------------------------------------------------------------------------------


def test_the_public_sees_published_periods_only(client, published):
    draft = another_period(published)

    body = get(client, "/api/v1/periods/").json()

    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert [p["id"] for p in body["results"]] == [published.period.pk]
    period = body["results"][0]
    assert period["name"] == "Kỳ đánh giá CCHC năm 2026"
    assert period["state"] == "published" and period["state_label"] == "Đã công bố"
    version = PeriodGroup.objects.get(period=published.period).methodology_id
    assert period["groups"] == [
        {"code": "SBN", "name": "Khối sở, ban, ngành", "methodology": version}
    ]
    assert period["deadlines"]["self_assessment"].endswith("+07:00")
    response = get(client, f"/api/v1/periods/{draft.pk}/")
    assert response.status_code == 404 and response.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("persona", "sees_open_period"),
    [
        ("admin", True),
        ("viewer", True),
        ("officer", False),
        ("head", False),
        ("appraiser", False),
    ],
)
def test_periods_a_token_holder_sees_depend_on_the_role(
    client, published, persona, sees_open_period
):
    draft = another_period(published)
    token = token_for(getattr(published, persona))

    ids = {p["id"] for p in get(client, "/api/v1/periods/", token).json()["results"]}
    detail = get(client, f"/api/v1/periods/{draft.pk}/", token)

    assert (draft.pk in ids) is sees_open_period
    assert published.period.pk in ids
    assert detail.status_code == (200 if sees_open_period else 404)


# --- results: who may see them -------------------------------------------------------------

PERSONAS = ["anonymous", "admin", "viewer", "officer", "head", "other_officer", "appraiser"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", ["results/", "results/STP/", "results/SYT/"])
def test_final_but_unpublished_results_are_for_administrators_and_leaders_only(
    client, final, persona, path
):
    token = None if persona == "anonymous" else token_for(getattr(final, persona))

    response = get(client, f"/api/v1/periods/{final.period.pk}/{path}", token)

    if persona in ("admin", "viewer"):
        assert response.status_code == 200
    else:  # not even the unit itself, and exactly as if the period did not exist
        assert response.status_code == 404 and response.json() == NOT_FOUND
        assert b"STP" not in response.content and b"SYT" not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_results_are_public(client, published, persona):
    token = None if persona == "anonymous" else token_for(getattr(published, persona))

    body = get(client, f"/api/v1/periods/{published.period.pk}/results/", token).json()

    assert [row["code"] for row in body["results"]] == ["STP", "SYT"]


@pytest.mark.parametrize(
    ("persona", "stp", "syt"),
    [
        ("anonymous", 401, 401),  # the ranking is public, a unit's scorecard needs a token
        ("admin", 200, 200),
        ("viewer", 200, 200),
        ("appraiser", 200, 200),
        ("officer", 200, 404),  # their own unit only, as on the results pages
        ("head", 200, 404),
        ("other_officer", 404, 200),
    ],
)
def test_a_published_units_scorecard_follows_the_results_policy(
    client, published, persona, stp, syt
):
    token = None if persona == "anonymous" else token_for(getattr(published, persona))
    base = f"/api/v1/periods/{published.period.pk}/results/"

    got = [get(client, base + code + "/", token) for code in ("STP", "SYT")]

    assert [r.status_code for r in got] == [stp, syt]
    for response in got:
        if response.status_code == 404:
            assert response.json() == NOT_FOUND
        if response.status_code == 401:
            assert response["WWW-Authenticate"] == 'Bearer realm="parindex"'


def test_results_of_a_period_in_progress_are_nobodys(client, world):
    token = token_for(world.admin)
    for path in ("results/", "results/STP/"):
        response = get(client, f"/api/v1/periods/{world.period.pk}/{path}", token)
        assert response.status_code == 404 and response.json() == NOT_FOUND


def test_an_unknown_unit_or_period_is_a_json_404(client, published):
    token = token_for(published.admin)
    for url in (
        f"/api/v1/periods/{published.period.pk}/results/KHONGCO/",
        "/api/v1/periods/999999/results/",
        "/api/v1/periods/999999/",
        "/api/v1/khong-co/",
    ):
        response = get(client, url, token)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND


# --- results: what they say ----------------------------------------------------------------


def test_results_list_numbers_are_strings_with_the_methodologys_decimals(client, published):
    body = get(client, f"/api/v1/periods/{published.period.pk}/results/").json()

    stp, syt = body["results"]
    assert body["count"] == 2 and body["period"] == published.period.pk
    # 1 + 2 + 4 × 90 % + 2 = 8.60 points of 12; bonus 0.5, penalty 0.5 → 8.60
    assert stp["total"] == "8.60" and stp["max"] == "12.00"
    assert stp["index"] == "71.67"
    assert (stp["rank"], stp["class"], stp["class_label"]) == (1, "B", "Đạt")
    assert stp["areas"][1] == {
        "code": "2",
        "title": "Thủ tục hành chính",
        "kind": "standard",
        "points": "5.60",
        "max": "6.00",
        "index": "93.33",
    }
    assert syt["total"] == "0.00" and syt["rank"] == 2


def test_a_units_results_have_every_node_and_the_lost_points(client, published):
    token = token_for(published.head)
    body = get(client, f"/api/v1/periods/{published.period.pk}/results/STP/", token).json()

    assert body["name"] == "Sở Tư pháp" and body["group"] == "SBN"
    assert body["nodes"]["2.1"] == {"points": "3.60", "max": "4.00"}
    assert body["nodes"]["1"] == {"points": "3.00", "max": "4.00"}
    assert list(body["nodes"])[:3] == ["1", "1.1", "1.2"]
    assert body["lost"][0] == {
        "code": "3.1",
        "title": "Chỉ số hài lòng SIPAS",
        "max": "2.00",
        "points": "0.00",
        "lost": "2.00",
    }
    assert [lp["code"] for lp in body["lost"]] == ["3.1", "1.2", "2.1"]


# --- units and methodologies: signed-in callers only ---------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/units/", "/api/v1/methodologies/"])
def test_reference_data_without_a_token_is_401_with_a_bearer_challenge(client, world, url):
    response = get(client, url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="parindex"'
    assert "khóa API" in response.json()["error"]


@pytest.mark.parametrize("url", ["/api/v1/units/", "/api/v1/methodologies/"])
def test_reference_data_with_a_token_or_a_session(client, world, url):
    assert get(client, url, token_for(world.officer)).status_code == 200

    client.force_login(world.other_officer)
    assert get(client, url).status_code == 200


def test_units_list_the_tree_and_filter_by_group(client, world):
    group = UnitGroup.objects.create(code="XA", name="Khối xã")
    Unit.objects.create(
        code="XA01",
        name="Xã Tân Lập",
        type="commune",
        group=group,
        parent=world.stp,
        valid_from="2025-07-01",
    )
    token = token_for(world.viewer)

    body = get(client, "/api/v1/units/", token).json()
    only_xa = get(client, "/api/v1/units/?group=XA", token).json()

    assert [u["code"] for u in body["results"]] == ["STP", "SYT", "XA01"]
    assert only_xa["results"] == [
        {
            "code": "XA01",
            "name": "Xã Tân Lập",
            "type": "commune",
            "type_label": "Xã",
            "group": "XA",
            "group_name": "Khối xã",
            "parent": "STP",
            "valid_from": "2025-07-01",
            "valid_to": None,
        }
    ]


def test_a_methodology_has_its_metadata_and_its_tree(client, world):
    token = token_for(world.officer)
    version = MethodologyVersion.objects.get()

    listing = get(client, "/api/v1/methodologies/", token).json()
    body = get(client, f"/api/v1/methodologies/{version.pk}/", token).json()

    assert listing["results"][0]["code"] == "thu-nghiem"
    assert body["title"] == "Bộ tiêu chí thử nghiệm" and body["max_points"] == "12.00"
    assert body["classes"][0] == {"code": "A", "label": "Tốt", "min": "80.00"}
    area2 = body["nodes"][1]
    assert (area2["code"], area2["max"], area2["rule"], area2["exemptible"]) == (
        "2",
        "6.00",
        None,
        True,
    )
    assert [(n["code"], n["rule"], n["applies_to"]) for n in area2["children"]] == [
        ("2.1", "proportional", None),
        ("2.2", "boolean", ["department"]),
    ]
    assert get(client, "/api/v1/methodologies/999999/", token).status_code == 404


# --- tokens --------------------------------------------------------------------------------


def test_only_the_tokens_hash_is_stored_and_use_is_recorded(client, world):
    row, token = token_create(actor=None, user=world.viewer, name="Cổng thông tin")

    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiToken.objects.values_list().get())
    assert row.last_used is None
    assert get(client, "/api/v1/units/", token).status_code == 200
    row.refresh_from_db()
    assert row.last_used is not None


@pytest.mark.parametrize("url", ["/api/v1/units/", "/api/v1/periods/"])
def test_an_unusable_token_is_401_even_where_the_data_are_public(client, world, url):
    revoked = token_for(world.viewer, "cũ")
    token_revoke(actor=world.admin, token=ApiToken.objects.get(name="cũ"))
    inactive = token_for(world.other_head)
    world.other_head.is_active = False
    world.other_head.save()

    for token in (revoked, inactive, "pxi_khongtontai", ""):
        response = get(client, url, token)
        assert response.status_code == 401, token
        assert response["WWW-Authenticate"] == 'Bearer realm="parindex", error="invalid_token"'
        assert response.json()["error"]


def test_a_token_may_be_managed_by_its_owner_or_an_administrator_only(world):
    with pytest.raises(ServiceError):
        token_create(actor=world.officer, user=world.viewer, name="x")
    row, _ = token_create(actor=world.viewer, user=world.viewer, name="x")
    with pytest.raises(ServiceError):
        token_revoke(actor=world.officer, token=row)
    with pytest.raises(ServiceError, match="đã có khóa"):
        token_create(actor=world.admin, user=world.viewer, name="x")


def test_the_management_command_creates_lists_and_revokes(client, world):
    out = StringIO()
    call_command(
        "api_token", "create", "lanhdao.ubnd", "--name", "Báo cáo", stdout=out, stderr=StringIO()
    )
    token = out.getvalue().strip()
    assert token.startswith("pxi_")
    assert get(client, "/api/v1/units/", token).status_code == 200

    listing = StringIO()
    call_command("api_token", "list", stdout=listing)
    row = ApiToken.objects.get(name="Báo cáo")
    assert f"{row.pk}\tlanhdao.ubnd\tBáo cáo\tđang dùng" in listing.getvalue()

    call_command("api_token", "revoke", str(row.pk), stdout=StringIO())
    assert get(client, "/api/v1/units/", token).status_code == 401
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("api_token", "create", "khongco", "--name", "x")


# --- HTTP ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, world, method):
    client.force_login(world.admin)  # a session, and no CSRF token: still a clean 405

    response = getattr(client, method)("/api/v1/periods/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"]


def test_a_missing_final_slash_is_redirected(client, world):
    response = get(client, "/api/v1/periods?page=1")

    assert response.status_code == 301 and response["Location"] == "/api/v1/periods/?page=1"


def test_pages_of_a_hundred(client, world):
    group = UnitGroup.objects.get(code="SBN")
    Unit.objects.bulk_create(
        Unit(code=f"U{i:03}", name=f"Đơn vị {i}", type="department", group=group)
        for i in range(150)
    )
    token = token_for(world.admin)

    first = get(client, "/api/v1/units/", token).json()
    second = get(client, first["next"], token).json()

    assert first["count"] == 152 and len(first["results"]) == 100
    assert first["next"] == "http://testserver/api/v1/units/?page=2" and first["previous"] is None
    assert len(second["results"]) == 52 and second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/units/?page=1"
    assert get(client, "/api/v1/units/?page=3", token).status_code == 404
    for bad in ("0", "-1", "abc", "1.5", "9" * 50):
        assert get(client, f"/api/v1/units/?page={bad}", token).status_code == 400, bad

    Unit.objects.filter(code__gte="U098").delete()  # exactly one full page left
    exact = get(client, "/api/v1/units/", token).json()
    assert exact["count"] == 100 and exact["next"] is None


def test_answers_to_token_holders_are_not_cached(client, published):
    public = get(client, "/api/v1/periods/")
    private = get(client, "/api/v1/periods/", token_for(published.admin))

    assert "no-store" not in public.get("Cache-Control", "")
    assert "no-store" in private["Cache-Control"] and "private" in private["Cache-Control"]
    assert "Authorization" in private["Vary"]


# --- a fixed number of queries -------------------------------------------------------------


def add_units(world, n: int) -> None:
    group = UnitGroup.objects.get(code="SBN")
    start = Unit.objects.count()
    Unit.objects.bulk_create(
        Unit(code=f"S{start + i:03}", name=f"Sở {start + i}", type="department", group=group)
        for i in range(n)
    )


def warm(client, url, token):
    # the first use of a token records last_used; the counts below are of ordinary requests
    assert get(client, url, token).status_code == 200


@pytest.mark.parametrize("extra_units", [0, 20])
def test_results_take_the_same_queries_for_any_number_of_units(
    client, world, django_assert_num_queries, extra_units
):
    add_units(world, extra_units)
    period = finalize(world, another_period(world), publish=True)
    token = token_for(world.viewer)
    url = f"/api/v1/periods/{period.pk}/results/"
    warm(client, url, token)

    # token, period, count, page, methodologies
    with django_assert_num_queries(5):
        body = get(client, url, token).json()
    assert body["count"] == 2 + extra_units
    with django_assert_num_queries(3):  # token, period, the unit's row with its methodology
        assert get(client, url + "STP/", token).status_code == 200


@pytest.mark.parametrize("n_periods", [1, 4])
def test_periods_take_the_same_queries_for_any_number(
    client, world, django_assert_num_queries, n_periods
):
    for i in range(n_periods - 1):
        another_period(world, name=f"Kỳ {i}")
    token = token_for(world.admin)
    warm(client, "/api/v1/periods/", token)

    with django_assert_num_queries(4):  # token, count, page, groups
        body = get(client, "/api/v1/periods/", token).json()
    assert body["count"] == n_periods


@pytest.mark.parametrize("extra_units", [0, 30])
def test_units_and_methodologies_take_the_same_queries_for_any_number(
    client, world, django_assert_num_queries, extra_units
):
    add_units(world, extra_units)
    token = token_for(world.admin)
    warm(client, "/api/v1/units/", token)

    with django_assert_num_queries(3):  # token, count, page
        body = get(client, "/api/v1/units/", token).json()
    with django_assert_num_queries(3):
        get(client, "/api/v1/methodologies/", token)
    assert body["count"] == 2 + extra_units


def test_the_admin_lists_tokens_and_revokes_them_but_never_creates_one(client, world):
    superuser = User.objects.create_superuser("sieuquantri", password="x" * 12)
    row, token = token_create(actor=None, user=world.viewer, name="Cổng")
    client.force_login(superuser)

    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200 and "Cổng" in listing.content.decode()
    assert token not in listing.content.decode()
    assert client.get("/admin/api/apitoken/add/").status_code == 403
    client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [row.pk]}, follow=True
    )
    row.refresh_from_db()
    assert row.revoked and row.revoked_at is not None
    client.logout()
    assert get(client, "/api/v1/units/", token).status_code == 401
