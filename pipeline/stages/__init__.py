"""The I/O edges of the pipeline, one module per dvc.yaml stage.

extract: raw/ -> extracted/cells/*.json + extracted/problems.csv
tidy:    extracted/cells/ -> observations.csv, indicators.csv, printed_counts.csv, summary_printed.csv
grade:   observations + indicators -> grades.csv, summary_check.csv
validate: everything -> extracted/validation/ (Great Expectations), fails on critical expectations
report:  everything -> extracted/audit.html
"""
