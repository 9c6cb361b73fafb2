"""Address search (주소검색) behind one small interface, so the provider is a setting.

* ``juso`` — 행정안전부 도로명주소 검색 API (business.juso.go.kr), for production.
  Needs an approval key: ``KIUM_JUSO_API_KEY``; ``KIUM_JUSO_API_URL`` overrides the
  endpoint (tests point it at a local server).
* ``demo`` — offline: the addresses of the facilities already registered plus a few
  district offices. The default, so a fresh clone works without a key.

``KIUM_ADDRESS_PROVIDER`` picks one. See docs/facility-profile.md.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

JUSO_API_URL = "https://business.juso.go.kr/addrlink/addrLinkApi.do"
TIMEOUT_SECONDS = 5
PER_PAGE = 10
QUERY_MIN, QUERY_MAX = 2, 80
# juso.go.kr refuses these (its guide asks callers to strip them before sending).
_FORBIDDEN_CHARS = re.compile(r"[%=><\[\]\"'`;\\]")
# Its answers for a bad keyword; everything else is a key or service problem.
_KEYWORD_ERRORS = {"E0005", "E0006", "E0008", "E0009", "E0010", "E0011", "E0012", "E0013"}


@dataclass(frozen=True)
class AddressResult:
    road_address: str
    jibun_address: str = ""
    zip_code: str = ""
    building_name: str = ""


@dataclass(frozen=True)
class AddressPage:
    results: list[AddressResult] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total


class AddressSearchError(Exception):
    """The search could not be done; ``message`` is Korean and fit to show."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = str(message)


class AddressSearchProvider(Protocol):
    def search(self, query: str, page: int = 1) -> AddressPage: ...


def clean_query(query: str) -> str:
    """The keyword as the providers take it, or an ``AddressSearchError`` to show."""
    text = " ".join(_FORBIDDEN_CHARS.sub(" ", query or "").split())
    if len(text) < QUERY_MIN:
        raise AddressSearchError(
            "short_query", _("도로명, 건물명 또는 지번을 두 글자 이상 입력해 주세요.")
        )
    if len(text) > QUERY_MAX:
        raise AddressSearchError(
            "long_query", _("검색어는 %(n)s자 이내로 입력해 주세요.") % {"n": QUERY_MAX}
        )
    return text


def _unavailable(code: str) -> AddressSearchError:
    return AddressSearchError(
        code,
        _("주소검색 서비스를 지금 사용할 수 없습니다. 주소를 직접 입력해 주세요."),
    )


class JusoProvider:
    """행정안전부 도로명주소 검색 API (검색API, JSON)."""

    def __init__(
        self,
        api_key: str,
        *,
        url: str = JUSO_API_URL,
        timeout: float = TIMEOUT_SECONDS,
        per_page: int = PER_PAGE,
    ):
        self.api_key = api_key
        self.url = url
        self.timeout = timeout
        self.per_page = per_page

    def search(self, query: str, page: int = 1) -> AddressPage:
        keyword = clean_query(query)
        page = max(1, int(page))
        if not self.api_key:
            logger.error("KIUM_ADDRESS_PROVIDER is juso but KIUM_JUSO_API_KEY is empty")
            raise _unavailable("no_key")
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("KIUM_JUSO_API_URL must be an http(s) URL")
        params = urllib.parse.urlencode(
            {
                "confmKey": self.api_key,
                "currentPage": page,
                "countPerPage": self.per_page,
                "keyword": keyword,
                "resultType": "json",
            }
        )
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            f"{self.url}?{params}", headers={"Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            logger.warning("juso.go.kr answered HTTP %s", exc.code)
            raise _unavailable("http_error") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            logger.warning("juso.go.kr unreachable: %s", exc)
            raise _unavailable("unreachable") from exc
        return self._parse(body, page)

    def _parse(self, body: bytes, page: int) -> AddressPage:
        try:
            results = json.loads(body.decode("utf-8"))["results"]
            common = results["common"]
            code = str(common.get("errorCode", ""))
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            logger.warning("juso.go.kr sent an answer that is not its JSON: %r", body[:200])
            raise _unavailable("bad_answer") from exc
        if code != "0":
            api_message = str(common.get("errorMessage", ""))[:200]
            if code in _KEYWORD_ERRORS:
                raise AddressSearchError(
                    "bad_keyword",
                    _("검색어를 확인해 주세요. (%(message)s)") % {"message": api_message},
                )
            logger.warning("juso.go.kr error %s: %s", code, api_message)
            raise _unavailable(f"api_{code}")
        rows = results.get("juso") or []
        try:
            total = int(common.get("totalCount") or 0)
        except (TypeError, ValueError):
            total = len(rows)
        return AddressPage(
            results=[
                AddressResult(
                    road_address=str(row.get("roadAddr") or "").strip(),
                    jibun_address=str(row.get("jibunAddr") or "").strip(),
                    zip_code=str(row.get("zipNo") or "").strip(),
                    building_name=str(row.get("bdNm") or "").strip(),
                )
                for row in rows
                if isinstance(row, dict) and row.get("roadAddr")
            ],
            total=total,
            page=page,
            per_page=self.per_page,
        )


# Real addresses, so a demo search gives something worth choosing.
DEMO_ADDRESSES = tuple(
    AddressResult(road, jibun, zip_code, building)
    for road, jibun, zip_code, building in (
        ("서울특별시 중구 세종대로 110", "서울특별시 중구 태평로1가 31", "04524", "서울특별시청"),
        ("서울특별시 노원구 노해로 437", "서울특별시 노원구 상계동 701-1", "01689", "노원구청"),
        ("서울특별시 강남구 학동로 426", "서울특별시 강남구 삼성동 16-1", "06090", "강남구청"),
        ("서울특별시 마포구 월드컵로 212", "서울특별시 마포구 성산동 370", "03937", "마포구청"),
        ("서울특별시 송파구 올림픽로 326", "서울특별시 송파구 신천동 29-5", "05552", "송파구청"),
    )
)


class LocalDemoProvider:
    """Offline search over registered facilities' addresses and ``DEMO_ADDRESSES``."""

    FACILITY_LIMIT = 200

    def __init__(self, *, per_page: int = PER_PAGE):
        self.per_page = per_page

    def search(self, query: str, page: int = 1) -> AddressPage:
        from kium.orgs.models import Facility

        words = clean_query(query).split()
        page = max(1, int(page))
        candidates = Facility.objects.filter(address__icontains=words[0]).order_by("address", "pk")
        found: list[AddressResult] = []
        seen: set[str] = set()
        for name, address in candidates.values_list("name", "address")[: self.FACILITY_LIMIT]:
            if address not in seen:
                seen.add(address)
                found.append(AddressResult(road_address=address, building_name=name))
        found.extend(a for a in DEMO_ADDRESSES if a.road_address not in seen)

        def matches(result: AddressResult) -> bool:
            text = f"{result.road_address} {result.jibun_address} {result.building_name}"
            return all(word in text for word in words)

        hits = [result for result in found if matches(result)]
        start = (page - 1) * self.per_page
        return AddressPage(
            results=hits[start : start + self.per_page],
            total=len(hits),
            page=page,
            per_page=self.per_page,
        )


def get_provider() -> AddressSearchProvider:
    """The provider ``KIUM_ADDRESS_PROVIDER`` names ("demo" by default, or "juso")."""
    name = getattr(settings, "KIUM_ADDRESS_PROVIDER", "demo") or "demo"
    if name == "demo":
        return LocalDemoProvider()
    if name == "juso":
        return JusoProvider(
            getattr(settings, "KIUM_JUSO_API_KEY", "") or "",
            url=getattr(settings, "KIUM_JUSO_API_URL", "") or JUSO_API_URL,
        )
    raise ImproperlyConfigured(f'KIUM_ADDRESS_PROVIDER must be "demo" or "juso", not {name!r}')


def search_addresses(query: str, page: int = 1) -> AddressPage:
    return get_provider().search(query, page)
