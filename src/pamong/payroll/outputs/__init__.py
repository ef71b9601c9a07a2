"""What a payroll run produces for people outside the app: payslip PDFs, registers (daftar gaji), recaps, bank
transfer files and the monthly contributions report. Every output reads stored payslips only (their lines, totals
and facts snapshot), never the live employee, so a reprint says what was approved."""
