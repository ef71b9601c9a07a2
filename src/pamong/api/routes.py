"""Routers mounted on the API. Each app's api.py defines a Router; this file only mounts them."""

from pamong.accounts.api import router as accounts_router
from pamong.attendance.api_checkin import router as attendance_checkin_router
from pamong.attendance.api_leave import router as leave_router
from pamong.org.api import router as org_router
from pamong.people.api import router as people_router
from pamong.performance.api import router as performance_router
from pamong.performance.api_appeals import router as appeals_router
from pamong.performance.api_calibration import router as calibration_router

from .main import api

api.add_router("/", org_router)
api.add_router("/", people_router)
api.add_router("/", accounts_router)
api.add_router("/", performance_router)
api.add_router("/", calibration_router)
api.add_router("/", appeals_router)
api.add_router("/", leave_router)
api.add_router("/", attendance_checkin_router)
