"""Golden check of the normaliser on the real PDFs: every value in the answer keys is among the readings of
the printed cells (real pdfplumber on raw/*.pdf, ruled tables), with the year each cell names itself."""
import csv
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest

from pipeline.normalise import fix_mistyped_separators, read_cell

ROOT = Path(__file__).resolve().parents[1]
RAW, ANSWERS = ROOT / 'raw', ROOT / 'tests' / 'answers'
TABLE_DOCS = ['hadano_sousei2_strategy', 'isehara_plan5_midterm_r2', 'isehara_sousei_kpi_r4']


@lru_cache(maxsize=None)
def table_rows(doc: str) -> tuple[tuple[str, ...], ...]:
    rows = []
    with pdfplumber.open(RAW / f'{doc}.pdf') as pdf:
        for page in pdf.pages:
            for table in page.dedupe_chars().extract_tables():
                rows.extend(tuple(c or '' for c in row) for row in table)
    return tuple(rows)


def keys(doc: str) -> list[dict]:
    with open(ANSWERS / f'{doc}.observations.csv', encoding='utf-8') as f:
        return list(csv.DictReader(f))


def row_readings(row):
    return fix_mistyped_separators([r for cell in row for r in read_cell(cell)])


def all_readings(doc):
    return [r for row in table_rows(doc) for r in row_readings(row)]


@pytest.mark.parametrize('doc', TABLE_DOCS)
def test_every_key_value_is_read_from_some_cell(doc):
    got = {(r.value.normalize(), r.unit) for r in all_readings(doc) if r.value is not None}
    wanted = [(Decimal(k['value']).normalize(), k['unit'], k['indicator']) for k in keys(doc) if k['value']]
    missing = [w for w in wanted if w[:2] not in got]
    assert wanted and not missing


@pytest.mark.parametrize('doc', TABLE_DOCS)
def test_no_cell_crashes_the_reader(doc):
    for row in table_rows(doc):
        for cell in row:
            for r in read_cell(cell):
                assert 'reader error' not in r.detail, (cell, r)


def test_plan5_baseline_years_come_from_the_cell():
    # 当初水準 cells print their own year: '162人\n(平成29年度)'
    got = {(r.value.normalize(), r.unit, r.fiscal_year) for r in all_readings('isehara_plan5_midterm_r2')
           if r.value is not None and r.fiscal_year}
    base = [k for k in keys('isehara_plan5_midterm_r2') if k['measure'] == 'baseline' and k['value']]
    missing = [k['indicator'] for k in base
               if (Decimal(k['value']).normalize(), k['unit'], int(k['fiscal_year'])) not in got]
    assert len(base) > 50 and not missing


def test_hadano_baseline_cells_with_their_own_year():
    # the header says Ｒ元（２０１９）, but '768 千トン\n（H30 年度）' and '608g\n（R3）' name their own year
    got = {(r.value.normalize(), r.unit, r.fiscal_year) for r in all_readings('hadano_sousei2_strategy')
           if r.value is not None and r.fiscal_year}
    own = [k for k in keys('hadano_sousei2_strategy')
           if k['measure'] == 'baseline' and k['value'] and k['fiscal_year'] not in ('', '2019')]
    missing = [k['indicator'] for k in own
               if (Decimal(k['value']).normalize(), k['unit'], int(k['fiscal_year'])) not in got]
    assert own and not missing


def test_kpi_mistyped_separator_corrected_in_its_row():
    rows = [row for row in table_rows('isehara_sousei_kpi_r4') if any('6.077' in c for c in row)]
    assert len(rows) == 1
    corrected = [r for r in row_readings(rows[0]) if r.status == 'corrected']
    want = [k for k in keys('isehara_sousei_kpi_r4') if k['status'] == 'corrected']
    assert [(r.value, r.unit) for r in corrected] == [(Decimal(k['value']), k['unit']) for k in want]


def test_no_other_value_is_corrected():
    for doc in TABLE_DOCS:
        n_corrected = sum(r.status == 'corrected' for r in all_readings(doc))
        assert n_corrected == sum(k['status'] == 'corrected' for k in keys(doc))
