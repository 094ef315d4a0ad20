#!/usr/bin/env python3
"""A local HTTP/1.1 server for the fetch benchmark: serves DIR/feedNNNN.xml at
/feedNNNN.xml on 127.0.0.1 only, adding LATENCY seconds to every response, with an
ETag per file (304 on If-None-Match). Keep-alive is supported.

Usage: bench/latency_server.py DIR PORT [LATENCY=0.1]
"""
import asyncio
import os
import sys

DIR, PORT = sys.argv[1], int(sys.argv[2])
LATENCY = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
FILES = {}
for name in os.listdir(DIR):
    with open(os.path.join(DIR, name), "rb") as f:
        FILES["/" + name] = f.read()


async def handle(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            path = line.split()[1].decode() if len(line.split()) > 1 else "/"
            headers = {}
            while True:
                h = await reader.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            await asyncio.sleep(LATENCY)
            body = FILES.get(path)
            etag = '"%s"' % path
            if body is None:
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            elif headers.get("if-none-match") == etag:
                writer.write(b"HTTP/1.1 304 Not Modified\r\nETag: %s\r\n\r\n" % etag.encode())
            else:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                             b"ETag: %s\r\nContent-Length: %d\r\n\r\n" % (etag.encode(), len(body)))
                writer.write(body)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", PORT, backlog=1024)
    async with server:
        await server.serve_forever()


asyncio.run(main())
