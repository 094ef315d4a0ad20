//! A small HTTP/1.1 server on 127.0.0.1 for the fetch and notify tests (it records each
//! request with its body): it serves fixtures and
//! misbehaves on demand (slow, hanging, trickling, failing then recovering, 429 with
//! Retry-After, 304 on a matching ETag, redirects and loops, truncated, huge and
//! gzip-bomb bodies, wrong content types, connection resets). It only ever binds the
//! loopback address, and its threads end with the test process.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How the server answers one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Status line (`"200 OK"`), extra headers, body.
    Full {
        status: &'static str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Waits, then answers.
    Slow(Duration, Box<Reply>),
    /// Reads the request and never answers.
    Hang,
    /// Sends headers, then one byte every interval, forever.
    Trickle(Duration),
    /// Closes the connection without answering (a reset).
    Reset,
    /// Announces `declared` bytes and sends only `body`, then closes.
    Truncated { declared: usize, body: Vec<u8> },
    /// A 200 of `len` bytes sent in chunks, without a Content-Length.
    Huge(usize),
    /// 304 when `If-None-Match` matches `etag`, else the feed with that ETag.
    ETag { etag: String, body: Vec<u8> },
    /// The n-th request gets the n-th reply; the last repeats.
    Sequence(Vec<Reply>),
}

impl Reply {
    /// A 200 with a content type.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: "200 OK",
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// An RSS 200.
    pub fn rss(body: impl Into<Vec<u8>>) -> Reply {
        Reply::ok("application/rss+xml", body)
    }

    /// A bodiless status.
    pub fn status(status: &'static str) -> Reply {
        Reply::Full {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A status with headers.
    pub fn with_headers(status: &'static str, headers: &[(&str, &str)]) -> Reply {
        Reply::Full {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: Vec::new(),
        }
    }

    /// A 302 to `location`.
    pub fn redirect(location: &str) -> Reply {
        Reply::with_headers("302 Found", &[("Location", location)])
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
    /// The body (as long as its Content-Length).
    pub body: Vec<u8>,
    /// When the request was read.
    pub at: std::time::Instant,
}

/// A running test server.
pub struct Server {
    base: String,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    log: Arc<Mutex<Vec<Seen>>>,
    active: Arc<AtomicUsize>,
    max_active: Arc<AtomicUsize>,
}

impl Server {
    /// Starts a server on 127.0.0.1 with an ephemeral port.
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = Server {
            base,
            routes: Arc::default(),
            hits: Arc::default(),
            log: Arc::default(),
            active: Arc::default(),
            max_active: Arc::default(),
        };
        let (routes, hits, log) = (
            server.routes.clone(),
            server.hits.clone(),
            server.log.clone(),
        );
        let (active, max_active) = (server.active.clone(), server.max_active.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (routes, hits, log) = (routes.clone(), hits.clone(), log.clone());
                let (active, max_active) = (active.clone(), max_active.clone());
                thread::spawn(move || {
                    handle(stream, &routes, &hits, &log, &active, &max_active);
                });
            }
        });
        server
    }

    /// Serves `reply` at `path`; returns the URL.
    pub fn route(&self, path: &str, reply: Reply) -> String {
        self.routes.lock().unwrap().insert(path.to_owned(), reply);
        self.url(path)
    }

    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Requests served for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    /// Every request seen, in order.
    pub fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    /// The most requests that were open at once.
    pub fn max_concurrent(&self) -> usize {
        self.max_active.load(Ordering::SeqCst)
    }
}

fn handle(
    mut stream: TcpStream,
    routes: &Mutex<HashMap<String, Reply>>,
    hits: &Mutex<HashMap<String, usize>>,
    log: &Mutex<Vec<Seen>>,
    active: &AtomicUsize,
    max_active: &AtomicUsize,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let len = headers
        .get("content-length")
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len.min(1 << 20)];
    if reader.read_exact(&mut body).is_err() {
        body.clear();
    }
    log.lock().unwrap().push(Seen {
        path: path.clone(),
        headers: headers.clone(),
        body,
        at: std::time::Instant::now(),
    });
    let n = {
        let mut hits = hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_insert(0);
        *n += 1;
        *n
    };
    let reply = routes.lock().unwrap().get(&path).cloned();
    let reply = reply.unwrap_or_else(|| Reply::status("404 Not Found"));
    // A request is in flight from when it is read until its answer starts: the client
    // cannot start its next request to this host before that.
    let now = active.fetch_add(1, Ordering::SeqCst) + 1;
    max_active.fetch_max(now, Ordering::SeqCst);
    let reply = match reply {
        Reply::Slow(d, inner) => {
            thread::sleep(d);
            *inner
        }
        other => other,
    };
    active.fetch_sub(1, Ordering::SeqCst);
    respond(&mut stream, reply, n, &headers);
}

fn respond(stream: &mut TcpStream, reply: Reply, n: usize, req: &HashMap<String, String>) {
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Slow(d, inner) => {
            thread::sleep(d);
            respond(stream, *inner, n, req);
        }
        Reply::Hang => {
            let mut buf = [0u8; 64];
            // Blocks until the client gives up and closes.
            while stream.read(&mut buf).is_ok_and(|k| k > 0) {}
        }
        Reply::Trickle(every) => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n<rss><channel>",
            );
            loop {
                thread::sleep(every);
                if stream.write_all(b" ").is_err() {
                    break;
                }
            }
        }
        Reply::Reset => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Reply::Truncated { declared, body } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        Reply::Huge(len) => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            );
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < len {
                let k = chunk.len().min(len - sent);
                if write!(stream, "{k:x}\r\n").is_err()
                    || stream.write_all(&chunk[..k]).is_err()
                    || stream.write_all(b"\r\n").is_err()
                {
                    return;
                }
                sent += k;
            }
            let _ = stream.write_all(b"0\r\n\r\n");
        }
        Reply::ETag { etag, body } => {
            if req.get("if-none-match") == Some(&etag) {
                let head = format!(
                    "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.write_all(head.as_bytes());
            } else {
                let r = Reply::Full {
                    status: "200 OK",
                    headers: vec![
                        ("Content-Type".into(), "application/rss+xml".into()),
                        ("ETag".into(), etag),
                    ],
                    body,
                };
                respond(stream, r, n, req);
            }
        }
        Reply::Sequence(replies) => {
            let i = (n - 1).min(replies.len().saturating_sub(1));
            if let Some(r) = replies.into_iter().nth(i) {
                respond(stream, r, n, req);
            }
        }
    }
}

/// `len` zero bytes, gzip-compressed (a gzip bomb when `len` is large).
pub fn gzip_zeros(len: usize) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let k = left.min(block.len());
        enc.write_all(&block[..k]).unwrap();
        left -= k;
    }
    enc.finish().unwrap()
}

/// An RSS 2.0 feed with `n` items whose ids start at `from`.
pub fn rss_items(title: &str, from: usize, n: usize) -> String {
    let mut s =
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>");
    for i in from..from + n {
        s.push_str(&format!(
            "<item><title>{title} {i}</title><link>https://t.example/{title}/{i}</link><guid>https://t.example/{title}/{i}</guid><pubDate>Fri, 01 Mar 2024 10:00:00 GMT</pubDate><description>entry {i}</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}
