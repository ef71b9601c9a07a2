"""The login form: Django's, with our own wording for a failed login.

Django's Indonesian catalogue says "Masukkan nama pengguna %(username)s dan sandi ..." and fills %(username)s with
the field's label, "nama pengguna" — the login page read "Masukkan nama pengguna nama pengguna dan sandi".
"""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi admin BKPSDM."),
    }
