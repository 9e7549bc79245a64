"""Reports over evaluations and sessions, and their CSV/XLSX/PDF files."""
