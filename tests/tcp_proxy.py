"""A loopback TCP proxy a test can cut and restore: a database goes away for one client while
the server behind it keeps running for everyone else.

    with TcpProxy("127.0.0.1", 5432) as proxy:
        ...  # point the client at 127.0.0.1:proxy.port
        proxy.cut()      # open connections are dropped, new ones are closed at once
        proxy.restore()  # new connections reach the server again
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Self

ACCEPT_POLL_SECONDS = 0.1
CONNECT_TIMEOUT_SECONDS = 5


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(ACCEPT_POLL_SECONDS)
        self._cut = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._acceptor = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def __enter__(self) -> Self:
        self._acceptor.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        self._drop_all()

    def cut(self) -> None:
        self._cut.set()
        self._drop_all()

    def restore(self) -> None:
        self._cut.clear()

    def _drop_all(self) -> None:
        with self._lock:
            dropped, self._open = self._open, set()
        for connection in dropped:
            _close(connection)

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._cut.is_set():
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self._upstream, CONNECT_TIMEOUT_SECONDS)
            except OSError:
                _close(client)
                continue
            for connection in (client, upstream):
                connection.settimeout(None)
            with self._lock:
                self._open.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=_pump, args=(source, target), name="tcp-proxy-pump", daemon=True
                ).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    """Copies one direction until either side closes, then closes both."""
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(target)


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()
