from __future__ import annotations

from django.urls import reverse


def test_indonesian_is_the_default(login, city):
    body = login("admin").get(reverse("employee_list")).content.decode()
    assert '<html lang="id">' in body and ">Pegawai</h1>" in body and "Beranda" in body


def test_language_switch_turns_pages_english_and_back(login, city):
    c = login("admin")
    response = c.post(reverse("set_language"), {"language": "en", "next": reverse("employee_list")})
    assert response.status_code == 302 and response["Location"] == reverse("employee_list")
    body = c.get(reverse("employee_list")).content.decode()
    assert '<html lang="en">' in body
    assert ">Employees</h1>" in body and ">Home<" in body and "Audit log" in body
    assert "Active" in body  # model choice labels are translated too
    body = c.get(reverse("employee_detail", args=[city.staff.pk])).content.decode()
    assert "March 1, 2012" in body  # dates follow the language (Babel en_US)
    c.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert ">Pegawai</h1>" in c.get(reverse("employee_list")).content.decode()


def test_language_switch_works_before_login(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    body = client.get(reverse("login")).content.decode()
    assert "Sign in to Pamong" in body


def test_english_404_and_403(login, city):
    c = login("operator_a")
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "not found" in c.get(reverse("employee_detail", args=[city.other.pk])).content.decode().lower()
    assert "Access denied" in c.get(reverse("audit_log")).content.decode()


def test_an_english_browser_still_gets_indonesian_until_the_user_switches(login, city):
    c = login("admin")
    body = c.get(reverse("employee_list"), headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="id">' in body and ">Pegawai</h1>" in body
