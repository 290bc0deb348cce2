"""Unit reports: attendance, document reads, vote results and tasks, with XLSX/CSV exports."""
