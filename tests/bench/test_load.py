"""The bench harness's pure parts: percentiles, the load client, ratios and goals.

The client runs against a tiny http.server on a free local port; no database, no Django
server, a second or two in all.
"""

from __future__ import annotations

import json
import socket
import statistics
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import Request, load, percentile
from bench.measure import Row, add_ratios, html_contains, json_count
from bench.report import table

# --- percentiles ---------------------------------------------------------------------------


def test_percentile_interpolates_between_ranks():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([4, 1, 3, 2], 0) == 1  # order of the input does not matter
    assert percentile([4, 1, 3, 2], 100) == 4
    assert percentile(range(1, 101), 95) == pytest.approx(95.05)
    assert percentile([7.0], 99) == 7.0


def test_percentile_matches_the_statistics_module():
    values = [((i * 7919) % 1000) / 10 for i in range(1, 500)]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    for p in (1, 25, 50, 90, 95, 99):
        assert percentile(values, p) == pytest.approx(cuts[p - 1])


def test_percentile_refuses_nonsense():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


# --- a tiny server ----------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    """Echoes each request as JSON; a few paths misbehave on purpose."""

    protocol_version = "HTTP/1.1"  # keep-alive unless told otherwise
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append((self.command, self.path, self.client_address[1]))
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"hello ", b"chunked ", b"world"):
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        payload = json.dumps(
            {
                "method": self.command,
                "path": self.path,
                "token": self.headers.get("X-Token"),
                "proto": self.headers.get("X-Forwarded-Proto"),
                "body": body.decode(),
            }
        ).encode()
        status = 409 if self.path.startswith("/full") else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        if self.path == "/close":
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)
        if self.path == "/close":
            self.close_connection = True
        if self.path == "/drop":
            # Closes without saying so: the client's next request on this connection
            # meets a closed socket and must retry on a fresh one.
            self.close_connection = True

    do_GET = do_POST = _answer


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def address(httpd) -> tuple[str, int]:
    return httpd.server_address[0], httpd.server_address[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the client ---------------------------------------------------------------------------


def test_keep_alive_reuses_one_connection_per_worker(server):
    result = load(*address(server), [Request(path="/ping")] * 30, concurrency=3)
    assert len(result.samples) == 30
    assert result.status_counts() == {"200": 30}
    assert result.connections_opened == 3
    assert len({port for _, _, port in server.seen}) == 3  # three client sockets in all
    summary = result.summary()
    assert summary["ok_2xx"] == 30 and summary["failed"] == 0
    assert 0 < summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"] <= summary["max_ms"]
    assert summary["throughput_rps"] > 0


def test_each_request_carries_its_own_method_path_headers_and_body(server):
    def make(i: int) -> Request:
        return Request(
            method="POST",
            path=f"/reservations/{i}",
            headers={"X-Token": f"guardian-{i}"},
            body=json.dumps({"child": i}).encode(),
            label="even" if i % 2 == 0 else "odd",
        )

    result = load(
        *address(server),
        make,
        total=12,
        concurrency=4,
        keep_bodies=True,
        default_headers={"X-Forwarded-Proto": "https", "X-Token": "default"},
    )
    assert result.label_counts() == {"even": 6, "odd": 6}
    echoed = [json.loads(sample.body) for sample in result.samples]
    by_path = {e["path"]: e for e in echoed}
    assert sorted(by_path) == sorted(f"/reservations/{i}" for i in range(12))
    for i in range(12):
        echo = by_path[f"/reservations/{i}"]
        assert echo["method"] == "POST"
        assert echo["token"] == f"guardian-{i}"  # the request's header beats the default
        assert echo["proto"] == "https"
        assert json.loads(echo["body"]) == {"child": i}


def test_statuses_are_counted_not_raised(server):
    requests = [Request(path="/ok"), Request(path="/full/1"), Request(path="/full/2")]
    result = load(*address(server), requests, concurrency=1)
    assert result.status_counts() == {"200": 1, "409": 2}
    assert result.summary()["ok_2xx"] == 1
    assert len(result.responded) == 3  # a 409 is an answer, timed like any other


def test_connection_close_makes_the_client_reconnect(server):
    result = load(*address(server), [Request(path="/close")] * 5, concurrency=1)
    assert result.status_counts() == {"200": 5}
    assert result.connections_opened == 5


def test_connections_are_renewed_after_requests_per_connection(server):
    result = load(*address(server), [Request(path="/r")] * 7, requests_per_connection=3)
    assert result.status_counts() == {"200": 7}
    assert result.connections_opened == 3  # 3 + 3 + 1
    assert len({port for _, _, port in server.seen}) == 3


def test_a_silently_closed_keep_alive_connection_is_retried_once(server):
    requests = [Request(path="/drop"), Request(path="/after")]
    result = load(*address(server), requests, concurrency=1)
    assert result.status_counts() == {"200": 2}
    assert [s.retries for s in result.samples] == [0, 1]
    assert result.connections_opened == 2


def test_chunked_bodies_are_read_whole(server):
    result = load(*address(server), [Request(path="/chunked")] * 3, keep_bodies=True)
    assert [s.body for s in result.samples] == [b"hello chunked world"] * 3
    assert result.connections_opened == 1  # and the connection stays usable


def test_a_refused_connection_is_a_failed_sample():
    result = load("127.0.0.1", free_port(), [Request(path="/")] * 2, timeout=2)
    assert [s.status for s in result.samples] == [0, 0]
    assert all(s.error for s in result.samples)
    summary = result.summary()
    assert summary["failed"] == 2 and summary["p50_ms"] is None


def test_connect_first_opens_every_connection_before_sending(server):
    result = load(*address(server), [Request(path="/x")] * 6, concurrency=6, connect_first=True)
    assert result.status_counts() == {"200": 6}
    assert result.connections_opened == 6


def test_rate_spreads_the_requests_out(server):
    result = load(*address(server), [Request(path="/r")] * 6, concurrency=6, rate=50)
    starts = sorted(s.started for s in result.samples)
    # Request i is released no earlier than i / 50 s after the start.
    for i, started in enumerate(starts):
        assert started >= i / 50 - 0.002
    assert result.wall >= 5 / 50


def test_a_factory_needs_a_total():
    with pytest.raises(ValueError):
        load("127.0.0.1", 9, lambda i: Request())


# --- probes, ratios, goals, the table -------------------------------------------------------


def test_probe_checks_tell_a_login_page_from_the_list():
    check = html_contains('class="kium-code"', "rows")
    assert check(200, b'<span class="kium-code">NWUK001</span>') == "1 rows, 38 bytes"
    with pytest.raises(ValueError):
        check(200, b"<form>login</form>")
    with pytest.raises(ValueError):
        check(302, b"")
    assert json_count(200, b"[1, 2, 3]").startswith("3 items")
    assert json_count(200, b'{"count": 1500, "results": [1]}').startswith("1 of 1,500")
    with pytest.raises(ValueError):
        json_count(404, b"{}")


def summary(p50: float, rps: float, failed: int = 0) -> dict:
    return {
        "requests": 10,
        "answered": 10 - failed,
        "ok_2xx": 10 - failed,
        "failed": failed,
        "p50_ms": p50,
        "p95_ms": p50 * 2,
        "p99_ms": p50 * 3,
        "throughput_rps": rps,
    }


def test_ratios_compare_with_the_baseline_of_the_same_mode():
    rows = [
        Row("health", "1 connection", summary(2.0, 500), baseline=True),
        Row("map", "1 connection", summary(10.0, 100), goal_median_ms=100),
        Row("health", "8 connections", summary(4.0, 1000), baseline=True),
        Row("map", "8 connections", summary(120.0, 250), goal_median_ms=100),
        Row("skipped", "8 connections", skipped="answered 404"),
    ]
    add_ratios(rows)
    assert (rows[1].median_ratio, rows[1].throughput_ratio) == (5.0, 0.2)
    assert (rows[3].median_ratio, rows[3].throughput_ratio) == (30.0, 0.25)
    assert rows[4].median_ratio is None
    assert rows[1].goal == "< 100 ms: met"
    assert rows[3].goal == "< 100 ms: not met"
    assert rows[0].goal == ""
    text = table(rows)
    assert "baseline" in text and "5.00" in text and "answered 404" in text


def test_a_goal_is_not_met_when_requests_failed():
    row = Row("map", "1 connection", summary(10.0, 100, failed=1), goal_median_ms=100)
    assert row.goal == "< 100 ms: not met"


def test_sync_helpers_work_where_a_loop_already_runs():
    """Playwright's sync API leaves an event loop running in a test worker's thread."""
    import asyncio
    import concurrent.futures

    from bench.load import _run_sync

    async def answer():
        return 42

    async def inside_a_loop():
        return _run_sync(answer())

    # In a thread of its own, so that this test's own loop is the only one there.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result() == 42
