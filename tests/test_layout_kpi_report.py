"""The KPI report's layout reader on the shipped PDF, checked against what the report prints."""
from conftest import ANSWERS, read_csv


def test_indicator_counts_match_the_counts_the_report_prints(extraction):
    doc = extraction("isehara_sousei_kpi_r4")
    indicators = {(c.kind, c.indicator_no, c.indicator) for c in doc.cells}
    assert doc.printed_counts == {"goal": 9, "kpi": 33}
    for kind, count in doc.printed_counts.items():
        assert len({i for i in indicators if i[0] == kind}) == count


def test_summary_table_is_read_as_printed(extraction):
    doc = extraction("isehara_sousei_kpi_r4")
    got = {(s.label, s.kind): (s.count, s.grades) for s in doc.summary}
    want = {(r["goal"], r["kind"]): (int(r["count"]), {g: int(r[g]) for g in ("A", "B", "C", "D", "none")})
            for r in read_csv(ANSWERS / "isehara_sousei_kpi_r4.summary.csv")}
    assert got == want


def test_every_indicator_has_a_published_grade_and_department(extraction):
    doc = extraction("isehara_sousei_kpi_r4")
    keyed = {(r["indicator_no"], r["published_grade"]) for r in read_csv(ANSWERS / "isehara_sousei_kpi_r4.grades.csv")}
    import unicodedata
    got = {(c.indicator_no, unicodedata.normalize("NFKC", c.published_grade).replace("―", "-")) for c in doc.cells}
    assert got == keyed
    assert all(c.department for c in doc.cells)


def test_legend_is_read_from_the_report(extraction):
    from pipeline.grade import Legend
    printed = extraction("isehara_sousei_kpi_r4").legend
    assert printed["Ｂ"] == "80％以上100％未満" and printed["Ｄ"] == "50％未満"
    assert Legend.from_printed(printed) == Legend()      # A ≥ 100 %, B ≥ 80 %, C ≥ 50 %, D below


def test_observations_equal_the_answer_key(extraction):
    from golden import differences
    from pipeline.tidy import observations
    assert differences("isehara_sousei_kpi_r4", observations(extraction("isehara_sousei_kpi_r4"))) == []
