"""Exports for researchers: typed Parquet copies of the tidy dataset and the grades, and a
Frictionless ``datapackage.json`` describing them (types, units, allowed values, primary keys).

- ``schema``       the columns of each published table (type, description, allowed values)
- ``parquet``      rows -> a typed Parquet file (``write_parquet``)
- ``datapackage``  the schema -> ``datapackage.json`` (``write_datapackage``)
"""
from .datapackage import write_datapackage
from .parquet import write_parquet
from .schema import GRADES, OBSERVATIONS, TABLES

__all__ = ["GRADES", "OBSERVATIONS", "TABLES", "write_datapackage", "write_parquet"]
