"""Stage 1 machinery: open a PDF safely and get its geometry (words, ruled tables, cells)."""
