"""Record import (xlsx, xls, csv) and export (xlsx, csv).

- `reading`: bytes -> header + numbered rows (calamine for Excel, csv with encoding detection)
- `convert`: a cell -> the JSON input the form engine takes, per field type
- `mapping`: which column feeds which field (automatic by key or label, caller's override)
- `importer`: the batch pipeline (references, form engine, unique checks, COPY)
- `report`: the error report xlsx
- `export`: what the caller may see, as xlsx or csv
- `jobs`: the `records.import` and `records.export` job handlers

User notes: docs/user/import-export.md; API: docs/api.md "Import and export".
"""
