from tests.payroll.conftest import pay  # noqa: F401  (the payroll city, for the rapel link)
from tests.web.conftest import login  # noqa: F401
