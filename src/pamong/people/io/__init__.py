"""Import and export of units, positions and employees (CSV/XLSX, BKN SIASN-like layouts).

The public entry points are `pamong.people.imports.import_file` and `pamong.people.exports.export_register_xlsx`;
this package holds their parts: reading a sheet (`table`), the unit and position importers (`org`), the employee
importer and its column layout (`employees`). The layouts are documented in docs/import-format.md.
"""
