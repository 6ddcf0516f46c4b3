//! Just enough HTTP/1.1 to read one request and write one answer.
//!
//! Hand-written so that the emulator can misbehave on purpose; it answers
//! one request per connection and closes it.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::string::{String, ToString};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use std::vec::Vec;

/// Largest request head (request line and headers), in bytes.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Largest request body, in bytes.
pub(crate) const MAX_BODY: usize = 64 * 1024;
/// How long a client may take to send its whole request.
const READ_DEADLINE: Duration = Duration::from_secs(10);

/// A request as received: names lower-cased, values trimmed.
pub(crate) struct RawRequest {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// The first value of header `name` (lower-case) in `headers`.
pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Why no whole request could be read.
pub(crate) enum ReadError {
    /// The client closed, stalled past the deadline, or the emulator is stopping.
    Gone,
    /// The head is not HTTP/1.x.
    Malformed,
    /// The head is longer than [`MAX_HEAD`].
    HeadTooLarge,
    /// Chunked bodies are not taken.
    Chunked(RawRequest),
    /// The body is longer than [`MAX_BODY`]; it was not read.
    BodyTooLarge(RawRequest),
}

/// Reads one request; the stream must have a short read timeout so that
/// `stopping` is seen.
pub(crate) fn read_request(
    stream: &mut TcpStream,
    stopping: &AtomicBool,
) -> Result<RawRequest, ReadError> {
    let deadline = Instant::now() + READ_DEADLINE;
    let mut received = Vec::new();
    let head_end = loop {
        if let Some(end) = find(&received, b"\r\n\r\n") {
            break end;
        }
        if received.len() > MAX_HEAD {
            return Err(ReadError::HeadTooLarge);
        }
        read_some(stream, &mut received, stopping, deadline)?;
    };

    let head = received.get(..head_end).ok_or(ReadError::Malformed)?;
    let mut request = parse_head(head)?;
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Chunked(request));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(v) => v.parse::<usize>().map_err(|_| ReadError::Malformed)?,
    };
    if length > MAX_BODY {
        return Err(ReadError::BodyTooLarge(request));
    }

    let mut body = received.split_off(head_end.saturating_add(4).min(received.len()));
    while body.len() < length {
        read_some(stream, &mut body, stopping, deadline)?;
    }
    body.truncate(length);
    request.body = body;
    Ok(request)
}

/// Appends what the stream has to `into`, waiting in short steps.
fn read_some(
    stream: &mut TcpStream,
    into: &mut Vec<u8>,
    stopping: &AtomicBool,
    deadline: Instant,
) -> Result<(), ReadError> {
    let mut chunk = [0u8; 4096];
    loop {
        if stopping.load(Ordering::SeqCst) || Instant::now() > deadline {
            return Err(ReadError::Gone);
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(ReadError::Gone),
            Ok(n) => {
                into.extend_from_slice(chunk.get(..n).unwrap_or_default());
                return Ok(());
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Err(ReadError::Gone),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &[u8]) -> Result<RawRequest, ReadError> {
    let text = std::str::from_utf8(head).map_err(|_| ReadError::Malformed)?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed);
    };
    if method.is_empty() || !target.starts_with('/') || !version.starts_with("HTTP/1.") {
        return Err(ReadError::Malformed);
    }

    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(ReadError::Malformed)?;
        if name.is_empty() || name.contains(|c: char| c.is_ascii_whitespace()) {
            return Err(ReadError::Malformed);
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    Ok(RawRequest {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body: Vec::new(),
    })
}

/// An answer to write.
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Reply {
    /// A `text/plain` answer.
    pub fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            content_type: "text/plain",
            body: body.to_string(),
        }
    }

    /// An `application/json` answer.
    pub fn json(status: u16, body: String) -> Self {
        Self {
            status,
            content_type: "application/json",
            body,
        }
    }
}

/// Writes `reply`, closes the sending side, and drains what the client
/// still sends for a moment (closing with unread data would reset the
/// connection and could lose the answer).
pub(crate) fn write_reply(stream: &mut TcpStream, reply: &Reply) {
    let head = std::format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len(),
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(reply.body.as_bytes()))
        .and_then(|()| stream.flush());
    let _ = stream.shutdown(Shutdown::Write);

    let until = Instant::now() + Duration::from_millis(500);
    let mut sink = [0u8; 4096];
    while Instant::now() < until {
        match stream.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
