"""The shared header vocabulary of indicator tables: which header words give a column which role.

In: nothing (definitions). Out: ``COLUMNS``, the ``Column`` roles every table layout reads with (the
indicator and its number, baseline / actual / interim target / target values, a year column, a unit
column, department, published grade, group and what to ignore), each with the synonyms reports print
for it; ``header_label`` which splits a header cell's words into the role word and its year words.

A layout's ``TableSpec`` is this vocabulary, optionally preceded by a few words of its own (a column
that only that report prints). Patterns are searched in a header cell's text with its line breaks and
spaces removed and NFKC applied (so '事業' / '番号' printed on two lines is '事業番号', 'ＫＰＩ' is 'KPI'),
after its year words are taken out ('目標値（令和６年度）' is the role word '目標値' and the year
'令和６年度').
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex


@dataclass(frozen=True)
class Column:
    role: str            # indicator | indicator_no | group | section | department | published_grade | value |
    #                      unit | year | plain | note | ignore
    header: str          # regex searched in the column's header words (see header_label)
    measure: str = ""    # for role 'value' (and 'year'): baseline | actual | interim_target | target
    fill_down: bool = False  # a blank cell takes the value above (merged cells split by a page break)


# The year inside a header word ('令和2年度目標', 'R元年度実績', '2019年度末目標', '（令和６年度）').
YEAR_PART = regex.compile(r"(?:令和|平成|昭和|(?<![A-Za-zＡ-Ｚａ-ｚ])[RHSＲＨＳ])\s*[元0-9０-９]+\s*(?:年度?末?)?\s*"
                          r"[(（][0-9０-９]{4}[)）]"    # an era year glossed with its Western year: 'Ｒ７（２０２５）'
                          r"|(?:令和|平成|昭和|(?<![A-Za-zＡ-Ｚａ-ｚ])[RHSＲＨＳ])\s*[元0-9０-９]+\s*年度?末?"
                          r"|(?<![0-9０-９])[0-9０-９]{4}\s*年度?末?")
_EMPTY_BRACKETS = regex.compile(r"[(（\[［]\s*[)）\]］]")

BASELINE = r"基準値|当初値|当初水準|現状値|策定時(?:の値)?|計画策定時|基準年?"
ACTUAL = r"実績値?|実績"
INTERIM = r"中間目標値?|中間値"
TARGET = r"目標値?|目標"

COLUMNS = (
    # What is printed but is not an observation: a printed rate, reasons, definitions, remarks.
    Column("ignore", r"達成率|達成度|進捗率|理由|^指標の定義$|^定義$|^備考$|^説明$|算出方法|^出典$"),
    Column("group", r"^基本目標$|^政策目標$|^政策$", fill_down=True),
    Column("section", r"^区分$|^施策$|^施策名$"),
    Column("indicator_no", r"^(?:指標)?(?:No|NO|no|番号)\.?$|^指標番号$|^事業番号$"),
    Column("indicator", r"^(?:成果|事業|評価|活動|業績)?指標(?:名|の名称)?$|^数値目標$"
                        r"|^重要業績評価指標(?:\(KPI\))?$|^KPI(?:指標)?(?:名)?$"),
    Column("unit", r"^単位$"),
    Column("year", r"^年度$|^年次$|^時点$|^年度\(時点\)$"),
    # '値' under a spanning measure word (基準値 over 値 | 年度): the measure comes from above.
    Column("plain", r"^値$|^数値$"),
    Column("value", rf"^(?:{BASELINE})$", measure="baseline"),
    Column("value", rf"^(?:{INTERIM})$", measure="interim_target"),
    Column("value", rf"^(?:{TARGET})$", measure="target"),
    Column("value", rf"^(?:{ACTUAL})$", measure="actual"),
    Column("department", r"^(?:所管|担当)(?:部?課|部局|課等?|部署)(?:名)?$", fill_down=True),
    Column("published_grade", r"^達成状況$|^評価$|^[AＡ][～~〜][DＤ]$|^判定$|^進捗状況$"),
)


def header_label(word: str) -> tuple[str, list[str]]:
    """A header cell's text (line breaks and spaces removed) -> (role word, its year words).

    >>> header_label("目標値（令和６年度）")
    ('目標値', ['令和６年度'])
    >>> header_label("令和2年度目標")
    ('目標', ['令和2年度'])
    >>> header_label("当初値（平成30年度）")
    ('当初値', ['平成30年度'])
    >>> header_label("令和３年度")
    ('', ['令和３年度'])
    >>> header_label("Ｒ７（２０２５）目標")
    ('目標', ['Ｒ７（２０２５）'])
    >>> header_label("重要業績評価指標（ＫＰＩ）")
    ('重要業績評価指標(KPI)', [])
    """
    years = [m.group() for m in YEAR_PART.finditer(word)]
    rest = YEAR_PART.sub("", word)
    rest = _EMPTY_BRACKETS.sub("", rest)
    rest = unicodedata.normalize("NFKC", rest)
    return regex.sub(r"\s+", "", rest), years
