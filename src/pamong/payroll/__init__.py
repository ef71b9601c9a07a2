"""Payroll: runs, payslips and outputs. The computation itself is the pure engine in pamong.engine."""
