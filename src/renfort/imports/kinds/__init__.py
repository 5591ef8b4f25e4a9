"""One importer per kind of file (docs/imports.md, "Columns")."""
