"""Strings shown in the UI that come from shared code as plain text (not marked for translation there), marked
here so makemessages extracts them and templates can translate them with {% translate variable %}."""

from django.utils.translation import gettext_noop

MARKERS = [
    gettext_noop("Atasan"),  # accounts.access.Access.role_labels()
    gettext_noop("Pegawai"),
]
