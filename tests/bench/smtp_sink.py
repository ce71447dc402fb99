"""A minimal SMTP server for the circulation-send benchmark: it answers, and counts whole messages.

It stands in for the council's mail relay, which is written in C and takes messages far faster than one worker
sends them. aiosmtpd (used by the tests, which read every message) reads a message line by line in Python and
would itself be the thing measured; this server only looks for each message's end, so the figure is the
worker's. It speaks just what the portal's mail client says: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
"""

import asyncio
import threading

END_OF_DATA = b"\r\n.\r\n"


class _Session(asyncio.Protocol):
    def __init__(self, sink: "CountingSmtpSink") -> None:
        self.sink = sink
        self.buffer = b""
        self.in_data = False
        self.recipients = 0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(b"220 bench-sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.buffer:
            if self.in_data:
                end = self.buffer.find(END_OF_DATA)
                if end < 0:
                    # Keep only what could be the start of the end marker.
                    self.buffer = self.buffer[-4:]
                    return
                self.buffer = self.buffer[end + len(END_OF_DATA) :]
                self.in_data = False
                self.sink.add_message(self.recipients)
                self.recipients = 0
                self.transport.write(b"250 OK\r\n")
                continue
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                return
            line, self.buffer = self.buffer[:line_end], self.buffer[line_end + 2 :]
            self._command(line.split(b" ", 1)[0].upper())

    def _command(self, verb: bytes) -> None:
        if verb == b"EHLO":
            self.transport.write(b"250-bench-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        elif verb in (b"HELO", b"MAIL", b"NOOP"):
            self.transport.write(b"250 OK\r\n")
        elif verb == b"RCPT":
            self.recipients += 1
            self.transport.write(b"250 OK\r\n")
        elif verb == b"RSET":
            self.recipients = 0
            self.transport.write(b"250 OK\r\n")
        elif verb == b"DATA":
            self.in_data = True
            # The end marker may follow straight on from the DATA line.
            self.buffer = b"\r\n" + self.buffer
            self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb == b"QUIT":
            self.transport.write(b"221 Bye\r\n")
            self.transport.close()
        else:
            self.transport.write(b"502 Command not implemented\r\n")


class CountingSmtpSink:
    """Runs in a thread of its own; `messages` counts the recipients of every message that ended."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.messages = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def add_message(self, recipients: int) -> None:
        self.messages += recipients

    def start(self) -> "CountingSmtpSink":
        self._thread.start()
        if not self._ready.wait(timeout=10):
            raise RuntimeError("the benchmark's SMTP sink did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(self._loop.create_server(lambda: _Session(self), self.host, 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
