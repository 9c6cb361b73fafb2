"""주소검색 providers: juso.go.kr (against a local server) and the offline demo."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from kium.orgs.address import (
    AddressSearchError,
    JusoProvider,
    LocalDemoProvider,
    clean_query,
    get_provider,
    search_addresses,
)

JUSO_OK = {
    "results": {
        "common": {
            "errorMessage": "정상",
            "countPerPage": "10",
            "totalCount": "23",
            "errorCode": "0",
            "currentPage": "2",
        },
        "juso": [
            {
                "roadAddr": "서울특별시 노원구 노해로 437 (상계동)",
                "roadAddrPart1": "서울특별시 노원구 노해로 437",
                "jibunAddr": "서울특별시 노원구 상계동 701-1 노원구청",
                "zipNo": "01689",
                "bdNm": "노원구청",
            },
            {
                "roadAddr": "서울특별시 노원구 노해로 450",
                "jibunAddr": "서울특별시 노원구 상계동 700",
                "zipNo": "01690",
                "bdNm": "",
            },
        ],
    }
}

JUSO_ERROR = {
    "results": {
        "common": {
            "errorMessage": "승인되지 않은 KEY 입니다.",
            "countPerPage": "10",
            "totalCount": "0",
            "errorCode": "E0001",
            "currentPage": "1",
        },
        "juso": None,
    }
}

JUSO_KEYWORD_ERROR = {
    "results": {
        "common": {
            "errorMessage": "주소를 상세히 입력해 주시기 바랍니다.",
            "errorCode": "E0006",
            "totalCount": "0",
        },
        "juso": None,
    }
}


class FakeJuso:
    """A juso.go.kr stand-in on 127.0.0.1: answers with ``reply`` and keeps the queries."""

    def __init__(self):
        self.reply: tuple[int, bytes] = (200, json.dumps(JUSO_OK).encode())
        self.delay = 0.0
        self.queries: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.queries.append(
                    {"path": urlsplit(self.path).path, **parse_qs(urlsplit(self.path).query)}
                )
                if fake.delay:
                    time.sleep(fake.delay)
                status, body = fake.reply
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/addrlink/addrLinkApi.do"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def juso():
    server = FakeJuso()
    yield server
    server.close()


def test_juso_sends_the_documented_parameters_and_parses_results(juso):
    page = JusoProvider("test-key", url=juso.url).search("  노해로   437 ", page=2)
    query = juso.queries[0]
    assert query["path"] == "/addrlink/addrLinkApi.do"
    assert query["confmKey"] == ["test-key"]
    assert query["currentPage"] == ["2"]
    assert query["countPerPage"] == ["10"]
    assert query["keyword"] == ["노해로 437"]
    assert query["resultType"] == ["json"]
    assert page.total == 23 and page.page == 2
    assert page.has_previous and page.has_next
    first = page.results[0]
    assert first.road_address == "서울특별시 노원구 노해로 437 (상계동)"
    assert first.jibun_address.startswith("서울특별시 노원구 상계동 701-1")
    assert first.zip_code == "01689"
    assert first.building_name == "노원구청"
    assert page.results[1].building_name == ""


def test_juso_api_error_is_a_korean_message(juso):
    juso.reply = (200, json.dumps(JUSO_ERROR).encode())
    with pytest.raises(AddressSearchError) as caught:
        JusoProvider("wrong-key", url=juso.url).search("노해로 437")
    assert caught.value.code == "api_E0001"
    assert "주소를 직접 입력해 주세요" in caught.value.message
    # The key problem is the operator's, not shown to the officer word for word.
    assert "KEY" not in caught.value.message


def test_juso_keyword_error_tells_what_to_fix(juso):
    juso.reply = (200, json.dumps(JUSO_KEYWORD_ERROR).encode())
    with pytest.raises(AddressSearchError) as caught:
        JusoProvider("k", url=juso.url).search("서울")
    assert caught.value.code == "bad_keyword"
    assert "주소를 상세히 입력해 주시기 바랍니다." in caught.value.message


@pytest.mark.parametrize(
    "reply", [(500, b"oops"), (200, b"<html>not json</html>"), (200, b'{"results": 1}')]
)
def test_juso_http_and_garbage_answers(juso, reply):
    juso.reply = reply
    with pytest.raises(AddressSearchError) as caught:
        JusoProvider("k", url=juso.url).search("노해로 437")
    assert "주소검색 서비스를 지금 사용할 수 없습니다" in caught.value.message


def test_juso_timeout(juso):
    juso.delay = 1.0
    started = time.monotonic()
    with pytest.raises(AddressSearchError) as caught:
        JusoProvider("k", url=juso.url, timeout=0.2).search("노해로 437")
    assert time.monotonic() - started < 0.9
    assert caught.value.code == "unreachable"


def test_juso_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more.
    with pytest.raises(AddressSearchError) as caught:
        JusoProvider("k", url=f"http://127.0.0.1:{port}/x", timeout=1).search("노해로 437")
    assert caught.value.code == "unreachable"
    assert "주소를 직접 입력해 주세요" in caught.value.message


def test_juso_without_a_key_never_calls_out(juso):
    with pytest.raises(AddressSearchError) as caught:
        JusoProvider("", url=juso.url).search("노해로 437")
    assert caught.value.code == "no_key"
    assert juso.queries == []


def test_settings_choose_the_provider(settings, juso):
    settings.KIUM_ADDRESS_PROVIDER = "juso"
    settings.KIUM_JUSO_API_KEY = "from-settings"
    settings.KIUM_JUSO_API_URL = juso.url
    provider = get_provider()
    assert isinstance(provider, JusoProvider)
    assert search_addresses("노해로 437").results[0].zip_code == "01689"
    assert juso.queries[0]["confmKey"] == ["from-settings"]
    settings.KIUM_ADDRESS_PROVIDER = "demo"
    assert isinstance(get_provider(), LocalDemoProvider)
    settings.KIUM_ADDRESS_PROVIDER = "kakao"
    with pytest.raises(ImproperlyConfigured):
        get_provider()


def test_demo_is_the_default(settings):
    for name in ("KIUM_ADDRESS_PROVIDER", "KIUM_JUSO_API_KEY"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert isinstance(get_provider(), LocalDemoProvider)


def test_demo_finds_facilities_and_district_offices(people):
    people.facility("NW", name="상계 키움센터", address="서울특별시 노원구 한글비석로 100")
    people.facility("NW", name="같은 건물", address="서울특별시 노원구 한글비석로 100")
    provider = LocalDemoProvider()
    page = provider.search("한글비석로")
    assert page.total == 1  # one address, however many facilities share it
    assert page.results[0].road_address == "서울특별시 노원구 한글비석로 100"
    office = provider.search("노원구청").results
    assert [r.zip_code for r in office] == ["01689"]
    assert provider.search("노원구 노해로").results[0].building_name == "노원구청"
    assert provider.search("없는길 999").total == 0


def test_demo_pages(people):
    for n in range(12):
        people.facility("NW", address=f"서울특별시 노원구 페이지로 {n + 1}")
    provider = LocalDemoProvider(per_page=5)
    first, third = provider.search("페이지로"), provider.search("페이지로", page=3)
    assert first.total == 12 and len(first.results) == 5 and first.has_next
    assert len(third.results) == 2 and not third.has_next and third.has_previous


@pytest.mark.parametrize("query", ["", " ", "가", "%%", "가" * 81])
def test_bad_queries(query):
    with pytest.raises(AddressSearchError):
        clean_query(query)


def test_query_loses_characters_juso_refuses():
    assert clean_query("노해로<437>") == "노해로 437"
