"""An HTTP/1.1 load client on asyncio streams, standard library only.

Why our own client and not ``wrk``: a ratio to the baseline is only fair when the
baseline and the endpoint are driven by the same client, on the same machine, in the
same run; and the later targets need what fixed-URL tools do not give easily: every
request with its own method, path, headers and body (each guardian's bearer token, each
RF reader's tap), all connections opened before a rush starts, and an arrival rate.

The client keeps connections alive, reconnects when the server closes one (gunicorn's
sync workers close every connection; its gthread workers keep them), retries a request
once when a kept-alive connection turns out to be closed before any byte of the answer
arrived, and records per request: status, latency, body size, error.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

# Headers of a response larger than this are an error, not a reason to buffer forever.
MAX_HEAD_BYTES = 1 << 20
BODYLESS_METHODS = {"HEAD"}
BODYLESS_STATUSES = {204, 304}


@dataclass(frozen=True)
class Request:
    """One request; ``label`` groups samples (e.g. an outcome or a user kind)."""

    method: str = "GET"
    path: str = "/"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    label: str = ""


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    keep_alive: bool

    def header(self, name: str, default: str = "") -> str:
        name = name.lower()
        for key, value in reversed(self.headers):
            if key.lower() == name:
                return value
        return default


@dataclass
class Sample:
    label: str
    status: int  # 0: no response, see ``error``
    latency: float  # seconds, first byte sent → last byte of the body read (retries included)
    started: float  # seconds since the run's start
    size: int  # body bytes
    error: str = ""
    retries: int = 0
    body: bytes | None = None  # kept only with keep_bodies=True


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.x as we read it."""


class _StaleConnection(Exception):
    """A kept-alive connection was closed by the server before it answered."""


def percentile(values: Iterable[float], p: float) -> float:
    """The p-th percentile (0–100), linear interpolation between closest ranks.

    The same definition as numpy's default and ``statistics.quantiles(method="inclusive")``:
    p50 of [1, 2, 3, 4] is 2.5, p100 is the maximum.
    """
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0–100")
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class Connection:
    """One keep-alive HTTP/1.1 connection; requests on it run one after another."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        default_headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
    ):
        self.host, self.port = host, port
        self.default_headers = dict(default_headers or {})
        self.timeout = timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0  # TCP connections opened over the lifetime of this object
        self.used = 0  # requests sent on the current TCP connection

    @property
    def is_open(self) -> bool:
        return self.writer is not None and not self.writer.is_closing()

    async def connect(self) -> None:
        await self.close()
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port, limit=MAX_HEAD_BYTES), self.timeout
        )
        self.opened += 1
        self.used = 0

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    def encode(self, request: Request) -> bytes:
        headers = {"Host": f"{self.host}:{self.port}", **self.default_headers}
        lower = {key.lower(): key for key in headers}
        for key, value in request.headers.items():
            # A request's own header replaces a default one of the same name.
            if key.lower() in lower:
                del headers[lower[key.lower()]]
            headers[key] = value
        if request.body or request.method.upper() in {"POST", "PUT", "PATCH"}:
            headers["Content-Length"] = str(len(request.body))
        head = f"{request.method.upper()} {request.path} HTTP/1.1\r\n"
        head += "".join(f"{key}: {value}\r\n" for key, value in headers.items())
        return (head + "\r\n").encode("latin-1") + request.body

    async def request(self, request: Request) -> tuple[Response, int]:
        """Send ``request`` and read the whole answer; returns it and the retries used."""
        payload = self.encode(request)
        for attempt in (0, 1):
            reused = self.is_open and self.used > 0
            if not self.is_open:
                await self.connect()
            try:
                response = await self._exchange(payload, request.method.upper(), reused)
            except _StaleConnection:
                await self.close()
                if attempt == 1:
                    raise ConnectionResetError("connection closed twice") from None
                continue
            if not response.keep_alive:
                await self.close()
            return response, attempt
        raise AssertionError("unreachable")

    async def _exchange(self, payload: bytes, method: str, reused: bool) -> Response:
        assert self.reader is not None and self.writer is not None
        self.used += 1
        try:
            self.writer.write(payload)
            await self.writer.drain()
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if reused and not exc.partial:
                raise _StaleConnection from exc
            await self.close()
            raise ConnectionResetError("connection closed before the answer") from exc
        except (ConnectionResetError, BrokenPipeError) as exc:
            if reused:
                raise _StaleConnection from exc
            await self.close()
            raise
        except asyncio.LimitOverrunError as exc:
            await self.close()
            raise ProtocolError("response head too large") from exc
        return await self._read_rest(head, method)

    async def _read_rest(self, head: bytes, method: str) -> Response:
        assert self.reader is not None
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            await self.close()
            raise ProtocolError(f"bad status line {lines[0]!r}")
        version, status = parts[0], int(parts[1])
        reason = parts[2] if len(parts) > 2 else ""
        headers = []
        for line in lines[1:]:
            if line:
                key, _, value = line.partition(":")
                headers.append((key.strip(), value.strip()))
        values = {key.lower(): value for key, value in headers}
        tokens = {t.strip().lower() for t in values.get("connection", "").split(",")}
        keep_alive = "close" not in tokens and (version != "HTTP/1.0" or "keep-alive" in tokens)
        if 100 <= status < 200:
            # An interim answer (we never send Expect): the real one follows.
            next_head = await self.reader.readuntil(b"\r\n\r\n")
            return await self._read_rest(next_head, method)
        if method in BODYLESS_METHODS or status in BODYLESS_STATUSES:
            body = b""
        elif "chunked" in values.get("transfer-encoding", "").lower():
            body = await self._read_chunked()
        elif "content-length" in values:
            body = await self.reader.readexactly(int(values["content-length"]))
        else:
            body = await self.reader.read()  # delimited by the server closing
            keep_alive = False
        return Response(status, reason, headers, body, keep_alive)

    async def _read_chunked(self) -> bytes:
        assert self.reader is not None
        chunks = []
        while True:
            size_line = await self.reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while await self.reader.readuntil(b"\r\n") != b"\r\n":
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


@dataclass
class LoadResult:
    samples: list[Sample]
    wall: float  # seconds from the start (after connecting, with connect_first) to the end
    concurrency: int
    connections_opened: int

    @property
    def responded(self) -> list[Sample]:
        return [s for s in self.samples if s.status]

    def status_counts(self) -> dict[str, int]:
        counts = Counter(str(s.status) if s.status else f"error:{s.error}" for s in self.samples)
        return dict(sorted(counts.items()))

    def label_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(s.label for s in self.samples).items()))

    def throughput(self) -> float:
        """Answered requests per second of wall time."""
        return len(self.responded) / self.wall if self.wall > 0 else 0.0

    def latency(self, p: float) -> float | None:
        values = [s.latency for s in self.responded]
        return percentile(values, p) if values else None

    def summary(self) -> dict:
        answered = self.responded
        latencies = [s.latency for s in answered]
        out = {
            "requests": len(self.samples),
            "answered": len(answered),
            "ok_2xx": sum(200 <= s.status < 300 for s in answered),
            "failed": len(self.samples) - len(answered),
            "statuses": self.status_counts(),
            "concurrency": self.concurrency,
            "connections_opened": self.connections_opened,
            "retries": sum(s.retries for s in self.samples),
            "wall_s": round(self.wall, 4),
            "throughput_rps": round(self.throughput(), 2),
            "mean_body_bytes": round(sum(s.size for s in answered) / len(answered))
            if answered
            else None,
        }
        for name, p in (("min", 0), ("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
            out[f"{name}_ms"] = round(percentile(latencies, p) * 1000, 3) if latencies else None
        out["mean_ms"] = round(sum(latencies) / len(latencies) * 1000, 3) if latencies else None
        return out


RequestSource = Iterable[Request] | Callable[[int], Request]


def _request_stream(source: RequestSource, total: int | None) -> Iterator[tuple[int, Request]]:
    if callable(source):
        if total is None:
            raise ValueError("a request factory needs total=")
        return ((i, source(i)) for i in range(total))
    stream = enumerate(source)
    if total is not None:
        stream = ((i, r) for i, r in stream if i < total)
    return stream


async def run_load(
    host: str,
    port: int,
    requests: RequestSource,
    *,
    total: int | None = None,
    concurrency: int = 1,
    default_headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    connect_first: bool = False,
    rate: float | None = None,
    requests_per_connection: int | None = None,
    keep_bodies: bool = False,
) -> LoadResult:
    """Send the requests over ``concurrency`` connections, each taking the next one free.

    ``requests`` is an iterable of ``Request`` or a factory ``i -> Request`` (with
    ``total``). ``connect_first`` opens every connection before the first request is
    sent (a rush: everyone presses the button at once). ``rate`` (requests per second)
    releases request *i* no earlier than i / rate seconds after the start, an open-loop
    arrival pattern; a request's latency still counts from its own send.
    ``requests_per_connection`` closes a connection after that many requests and opens a
    new one: a kept-alive connection stays with the gunicorn worker that accepted it, so
    with a few long-lived connections the figures depend on how they happened to land
    on the workers; renewing them now and then averages that out.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    stream = _request_stream(requests, total)
    samples: list[Sample] = []
    connections = [
        Connection(host, port, default_headers=default_headers, timeout=timeout)
        for _ in range(concurrency)
    ]
    start_gate = asyncio.Event()
    connected = 0
    t0 = time.perf_counter()

    async def worker(conn: Connection) -> None:
        nonlocal connected, t0
        if connect_first:
            # On failure the first request tries again and records the error.
            with contextlib.suppress(TimeoutError, OSError):
                await conn.connect()
            connected += 1
            if connected == concurrency:
                t0 = time.perf_counter()
                start_gate.set()
            await start_gate.wait()
        for index, request in stream:
            if rate:
                delay = t0 + index / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            began = time.perf_counter()
            try:
                response, retries = await asyncio.wait_for(conn.request(request), timeout)
            except (TimeoutError, OSError, EOFError, ValueError, ProtocolError) as e:
                await conn.close()
                ended = time.perf_counter()
                samples.append(
                    Sample(request.label, 0, ended - began, began - t0, 0, type(e).__name__)
                )
                continue
            ended = time.perf_counter()
            samples.append(
                Sample(
                    request.label,
                    response.status,
                    ended - began,
                    began - t0,
                    len(response.body),
                    retries=retries,
                    body=response.body if keep_bodies else None,
                )
            )
            if requests_per_connection and conn.used >= requests_per_connection:
                await conn.close()
        await conn.close()

    await asyncio.gather(*(worker(conn) for conn in connections))
    wall = time.perf_counter() - t0
    samples.sort(key=lambda s: s.started)
    opened = sum(conn.opened for conn in connections)
    return LoadResult(samples, wall, concurrency, opened)


def _run_sync(coro):
    """``asyncio.run`` from synchronous code, also where this thread already runs a loop
    (Playwright's sync API leaves one behind in a test worker): then in a fresh thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def load(host: str, port: int, requests: RequestSource, **options) -> LoadResult:
    """``run_load`` from synchronous code."""
    return _run_sync(run_load(host, port, requests, **options))


async def fetch(
    host: str, port: int, request: Request, *, default_headers=None, timeout: float = 30.0
) -> Response:
    """One request on a fresh connection (probes, smoke checks)."""
    conn = Connection(host, port, default_headers=default_headers, timeout=timeout)
    try:
        response, _ = await asyncio.wait_for(conn.request(request), timeout)
        return response
    finally:
        await conn.close()


def fetch_sync(host: str, port: int, request: Request, **options) -> Response:
    return _run_sync(fetch(host, port, request, **options))
