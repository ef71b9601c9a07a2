from django.urls import include, path

from pamong.api.main import api
from pamong.payroll import views as payroll_views

urlpatterns = [
    path("api/v1/", api.urls),
    path("penggajian/", include("pamong.payroll.urls")),
    path("kgb/", include("pamong.kgb.urls")),
    path("kinerja/", include("pamong.performance.urls")),
    path("presensi/", include("pamong.attendance.urls")),
    # public: anyone holding a printed payslip checks its code (no login)
    path("verifikasi/", payroll_views.payslip_lookup, name="payslip_lookup"),
    path("verifikasi/<str:code>/", payroll_views.payslip_verify, name="payslip_verify"),
    path("", include("pamong.web.urls")),
]
