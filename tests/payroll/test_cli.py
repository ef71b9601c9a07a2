"""`pamong payroll run`: creates and computes a run in-process with a progress bar; bad input is a clear error."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from pamong.payroll.management.commands.payroll import progress_bar
from pamong.payroll.models import PayrollRun, RunState


def test_run_command_computes_with_progress(pay):
    out = io.StringIO()
    call_command("payroll", "run", "2026-11", "--kind", "tpp", "--user", "bpkad", stdout=out)
    text = out.getvalue()
    assert "5 pegawai, 1 bagian" in text and "1/1 bagian, 0 galat" in text and "status Dihitung" in text
    run = PayrollRun.objects.get()
    assert run.state == RunState.COMPUTED and run.payslips.count() == 5


def test_run_command_scoped_to_an_opd(pay):
    call_command("payroll", "run", "2026-11", "--kind", "gaji", "--user", "bpkad", "--opd", "B", stdout=io.StringIO())
    assert PayrollRun.objects.get().payslips.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-13", "--kind", "gaji", "--user", "bpkad"], "bulan harus YYYY-MM"),
        (["2026-11", "--kind", "gaji", "--user", "nobody"], "pengguna 'nobody' tidak ada"),
        (["2026-11", "--kind", "gaji", "--user", "bpkad", "--opd", "ZZ"], "OPD dengan kode 'ZZ' tidak ada"),
        (["2026-11", "--kind", "gaji", "--user", "staff"], "tidak berwenang"),
    ],
)
def test_run_command_refuses_bad_input(pay, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("payroll", "run", *args, stdout=io.StringIO())
    assert not PayrollRun.objects.exists()


def test_progress_bar():
    assert progress_bar(1, 4, 2, width=8) == "[##......] 1/4 bagian, 2 galat"
    assert progress_bar(0, 0, 0, width=4) == "[####] 0/0 bagian, 0 galat"
