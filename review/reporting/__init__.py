"""Reports over evaluations, sessions and the audit trail, and their CSV/XLSX/PDF files."""
