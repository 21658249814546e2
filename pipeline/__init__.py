"""Turn Japanese municipal plan reports (PDF) into a tidy dataset of indicator values.

The package is laid out by pipeline stage:

- ``sources``      raw/sources.yaml -> checked list of documents
- ``extract``      PDF -> words, ruled tables, cell geometry (pdfplumber)
- ``layouts``      one declarative description per report layout -> ``records.CellRecord``
- ``normalise``    printed cell text -> numbers, units, years, directions
- ``grade``        observations -> recomputed grades with reasons, 総括表 cross-check
- ``validate``     Great Expectations suites in ``expectations/`` -> validation results
- ``report``       everything above -> a self-contained audit HTML
- ``stages``       the I/O edges that ``dvc.yaml`` runs (``python -m pipeline <stage>``)
"""

__version__ = "0.1.0"
