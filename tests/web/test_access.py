"""Every page: rendered for a role that may use it, refused (403, 404 or the login page) for one that may not."""

from __future__ import annotations

import pytest
from django.urls import reverse

ALL_ROLES = ["admin", "operator_a", "treasurer_a", "bpkad", "inspector", "assessor", "kabid", "staff"]
OPEN_PAGES = ["dashboard", "unit_tree", "position_list", "employee_list", "password_change"]


@pytest.mark.parametrize("name", OPEN_PAGES + ["audit_log", "import", "employee_export"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_htmx_request_redirects_the_whole_page(client, db):
    response = client.get(reverse("employee_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_login_page_is_public_and_indonesian(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
    assert "Masuk ke Pamong" in response.content.decode()


def test_login_with_password_reaches_the_dashboard(client, city):
    response = client.post(reverse("login"), {"username": "operator_a", "password": "rahasia-123"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "Operator OPD" in response.content.decode()


def test_wrong_password_shows_an_indonesian_error(client, city):
    response = client.post(reverse("login"), {"username": "operator_a", "password": "salah"})
    assert response.status_code == 200
    assert "sandi" in response.content.decode().lower()


def test_logout_is_a_post(login):
    c = login("staff")
    assert c.post(reverse("logout")).status_code == 302
    assert c.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", OPEN_PAGES)
def test_open_pages_render_for_every_role(login, role, name):
    assert login(role).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", ["admin", "inspector"])
def test_audit_log_allowed(login, role):
    response = login(role).get(reverse("audit_log"))
    assert response.status_code == 200
    assert "employee.created" in response.content.decode()


@pytest.mark.parametrize("role", ["operator_a", "staff", "treasurer_a", "bpkad", "assessor", "kabid"])
def test_audit_log_denied(login, role):
    response = login(role).get(reverse("audit_log"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Akses ditolak" in body and "employee.created" not in body
    assert login(role).post(reverse("audit_verify")).status_code == 403


@pytest.mark.parametrize("role", ["admin", "operator_a"])
def test_import_page_allowed(login, role):
    assert login(role).get(reverse("import")).status_code == 200


@pytest.mark.parametrize("role", ["staff", "treasurer_a", "bpkad", "inspector", "assessor", "kabid"])
def test_import_page_denied(login, role):
    c = login(role)
    assert c.get(reverse("import")).status_code == 403
    assert c.post(reverse("import"), {"step": "dry_run"}).status_code == 403


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("admin", True),
        ("operator_a", True),
        ("inspector", True),
        ("bpkad", True),
        ("treasurer_a", False),
        ("staff", False),
        ("kabid", False),
        ("assessor", False),
    ],
)
def test_export_link_only_with_export_permission(login, role, shown):
    body = login(role).get(reverse("employee_list")).content.decode()
    assert ('id="export-link"' in body) is shown
    assert (reverse("employee_export") in body) is shown


@pytest.mark.parametrize("role", ["staff", "treasurer_a", "kabid", "assessor"])
def test_export_refused_without_permission(login, role):
    assert login(role).get(reverse("employee_export")).status_code == 403


@pytest.mark.parametrize(
    ("role", "nav_shown", "nav_hidden"),
    [
        ("admin", ["Pegawai", "Impor data", "Log audit"], []),
        ("inspector", ["Pegawai", "Log audit"], ["Impor data"]),
        ("operator_a", ["Pegawai", "Impor data"], ["Log audit"]),
        ("treasurer_a", ["Pegawai"], ["Impor data", "Log audit"]),
        ("staff", ["Data saya"], ["Impor data", "Log audit", ">Pegawai<"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(login, role, nav_shown, nav_hidden):
    body = login(role).get(reverse("dashboard")).content.decode()
    nav = body[body.index('class="mainnav"') : body.index("</nav>", body.index('class="mainnav"'))]
    for item in nav_shown:
        assert item in nav, item
    for item in nav_hidden:
        assert item not in nav, item


def test_top_bar_shows_name_and_role_labels(login, city):
    body = login("operator_a").get(reverse("dashboard")).content.decode()
    assert "operator_a" in body and "Operator OPD" in body
    body = login("kabid").get(reverse("dashboard")).content.decode()
    assert "Atasan" in body and "Pegawai" in body


def test_unknown_url_gets_the_indonesian_404_page(login):
    response = login("admin").get("/tidak-ada/")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_wrong_method_is_refused(login):
    assert login("admin").post(reverse("employee_list")).status_code == 405
    assert login("admin").get(reverse("audit_verify")).status_code == 405


def test_password_change(login, city):
    c = login("staff")
    response = c.post(
        reverse("password_change"),
        {"old_password": "rahasia-123", "new_password1": "Sawahlunto#2026", "new_password2": "Sawahlunto#2026"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert "Sandi diganti" in c.get(reverse("password_change_done")).content.decode()
    city.users["staff"].refresh_from_db()
    assert city.users["staff"].check_password("Sawahlunto#2026")


def test_password_change_errors_are_indonesian(login, city):
    response = login("staff").post(
        reverse("password_change"), {"old_password": "salah", "new_password1": "a", "new_password2": "b"}
    )
    assert response.status_code == 200
    assert "sandi" in response.content.decode().lower() and 'role="alert"' in response.content.decode()
