from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from pamong.accounts.forms import LoginForm

from . import imports_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # accounts (Django's auth views, Indonesian templates in templates/registration/)
    path(
        "masuk/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # language switch: POST language=id|en (Django's set_language keeps the choice in the language cookie)
    path("bahasa/", set_language, name="set_language"),
    # organisation
    path("unit/", views.unit_tree, name="unit_tree"),
    path("jabatan/", views.position_list, name="position_list"),
    # employees
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/ekspor.xlsx", views.employee_export, name="employee_export"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("", include("pamong.web.employee_urls")),  # the record's edit forms (web/employee_edit.py)
    path("impor/", imports_views.import_page, name="import"),
    path("impor/<int:pk>/", imports_views.import_job, name="import_job"),
    path("impor/<int:pk>/progres/", imports_views.import_job_progress, name="import_job_progress"),
    # audit
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/verifikasi/", views.audit_verify, name="audit_verify"),
]
