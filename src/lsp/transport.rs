//! A guard in front of tower-lsp-server's reader. That reader ends the
//! session at the first frame it cannot decode (malformed JSON, a body that
//! is not a JSON-RPC message, bad headers): tokio-util's `FramedRead`
//! stops after a decoder error, and the server then exits. So every frame
//! is checked here first, and one that would not decode is replaced by a
//! request to [`INVALID_MESSAGE`], whose handler answers the JSON-RPC error
//! the frame deserves: -32700 (parse error) for bytes that are not JSON,
//! -32600 (invalid request) for JSON that is not a message, with the
//! frame's `id` when it has a readable one and `null` otherwise.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{self, Error, ErrorCode, Request, Response};
use tower_lsp_server::ls_types::notification::Notification;

use super::Backend;

/// The method a rejected frame becomes.
pub const INVALID_MESSAGE: &str = "newsmark/invalidMessage";

/// A header block longer than this without its blank line is garbage.
const MAX_HEADER_BYTES: usize = 16 * 1024;
/// A message longer than this is refused and skipped unread (an open
/// document of this size would be refused by the workspace anyway).
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// Returns a reader of `input` that only ever yields well-formed frames.
/// `closed` turns true when the input ends (requests still waiting then
/// give up, so the server ends promptly).
pub fn guard(
    mut input: impl AsyncRead + Unpin + Send + 'static,
    closed: tokio::sync::watch::Sender<bool>,
    parked: Arc<Parked>,
) -> impl AsyncRead + Unpin + Send + 'static {
    let (mut writer, reader) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move {
        let mut framer = Framer { parked, ..Framer::default() };
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = match input.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            for frame in framer.push(&chunk[..n]) {
                if writer.write_all(&frame).await.is_err() {
                    return;
                }
            }
        }
        // End of input: dropping the writer ends the session as before.
        closed.send_replace(true);
    });
    reader
}

/// Big notifications (a full sync or an open of a big document), decoded
/// once here, where every frame is decoded anyway to check it. Passing the
/// bytes on had tower-lsp-server read them again (a tree of values, then
/// the typed params) after a copy through the pipe: of a full-sync
/// keystroke in a 5 MB document, more than the analysis. The frame passed
/// on instead is a tiny [`PARKED_METHOD`] notification carrying a number;
/// the ordered front door (`ordered.rs`) swaps it for the stored request
/// when tower-lsp-server hands it over, in arrival order with every other
/// message.
#[derive(Default)]
pub struct Parked {
    next: AtomicU64,
    requests: Mutex<HashMap<u64, Request>>,
}

/// The method of a parked notification's placeholder (`$/`: a client or
/// server may ignore it, were it ever to leak).
pub const PARKED_METHOD: &str = "$/newsmark/parked";

/// Notifications of this many bytes or more are parked.
const PARK_FROM: usize = 256 * 1024;

impl Parked {
    fn add(&self, request: Request) -> u64 {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).insert(number, request);
        number
    }

    /// The request a placeholder stands for.
    pub fn take_for(&self, placeholder: &Request) -> Option<Request> {
        let number = placeholder.params()?.as_u64()?;
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).remove(&number)
    }
}

/// A notification as tower-lsp-server's reader would decode it, with a
/// note of the two keys that would make it a response instead (its
/// reader tries `Response` first). The fields and their attributes are
/// those of `jsonrpc::Request`, so what decodes here decodes there alike;
/// anything else is passed on as bytes.
#[derive(Deserialize)]
struct NotificationShape {
    #[serde(rename = "jsonrpc")]
    _version: JsonRpcVersion,
    #[serde(default)]
    method: String,
    #[serde(default, deserialize_with = "present")]
    params: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    result: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "present")]
    error: Option<IgnoredAny>,
}

/// A key that is there, whatever its value (`null` included), as
/// `jsonrpc::Request` reads `params` and `id`.
fn present<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// `"2.0"`, as `jsonrpc::Version` reads it.
struct JsonRpcVersion;

impl<'de> Deserialize<'de> for JsonRpcVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Inner<'a>(#[serde(borrow)] std::borrow::Cow<'a, str>);
        let Inner(version) = Inner::deserialize(deserializer)?;
        match version.as_ref() {
            "2.0" => Ok(JsonRpcVersion),
            _ => Err(serde::de::Error::custom("expected JSON-RPC version \"2.0\"")),
        }
    }
}

/// The request a big frame decodes to, when it is a notification.
fn as_notification(body: &[u8]) -> Option<Request> {
    std::str::from_utf8(body).ok()?;
    let shape: NotificationShape = serde_json::from_slice(body).ok()?;
    if shape.id.is_some() || shape.result.is_some() || shape.error.is_some() {
        return None;
    }
    let request = Request::build(shape.method);
    Some(match shape.params {
        Some(params) => request.params(params).finish(),
        None => request.finish(),
    })
}

/// Messages the server serialised itself (big `publishDiagnostics`, see
/// `publish.rs`), each waiting for its place in the output. The server
/// sends a tiny [`PreparedFrame`] notification through tower-lsp-server's
/// client, in order with every other message; [`output`] swaps it for the
/// stored bytes. So order is the client's, and the bytes are never turned
/// into a `serde_json::Value` tree.
#[derive(Default)]
pub struct Prepared {
    next: AtomicU64,
    frames: Mutex<HashMap<u64, Vec<u8>>>,
}

impl Prepared {
    /// Stores a message body; returns the number its placeholder carries.
    pub fn add(&self, body: Vec<u8>) -> u64 {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        self.frames.lock().unwrap_or_else(|e| e.into_inner()).insert(number, body);
        number
    }

    fn take(&self, number: u64) -> Option<Vec<u8>> {
        self.frames.lock().unwrap_or_else(|e| e.into_inner()).remove(&number)
    }
}

/// The placeholder of a prepared message. `$/`: were it ever to reach a
/// client, the protocol lets the client ignore it.
pub enum PreparedFrame {}

impl Notification for PreparedFrame {
    type Params = u64;
    const METHOD: &'static str = "$/newsmark/preparedFrame";
}

/// Placeholders are this small; anything longer is passed on unread.
const MAX_PLACEHOLDER_BYTES: usize = 128;

/// The number a placeholder body carries, when `body` is one.
fn placeholder(body: &[u8]) -> Option<u64> {
    if body.len() > MAX_PLACEHOLDER_BYTES || find(body, PreparedFrame::METHOD.as_bytes()).is_none() {
        return None;
    }
    let value: Value = serde_json::from_slice(body).ok()?;
    (value.get("method")?.as_str()? == PreparedFrame::METHOD).then(|| value.get("params")?.as_u64()).flatten()
}

/// Returns the writer to give tower-lsp-server in place of `out`: frames
/// pass through to `out` in order, placeholders replaced by their prepared
/// message. The second value completes once everything written is out
/// (after the writer is dropped).
pub fn output(
    mut out: impl AsyncWrite + Unpin + Send + 'static,
    prepared: Arc<Prepared>,
) -> (impl AsyncWrite + Unpin + Send + 'static, tokio::task::JoinHandle<()>) {
    let (writer, mut reader) = tokio::io::duplex(64 * 1024);
    let task = tokio::spawn(async move {
        let mut buffer: Vec<u8> = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = match reader.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            buffer.extend_from_slice(&chunk[..n]);
            let mut done = 0;
            // tower-lsp-server writes `Content-Length: N\r\n\r\n` + body.
            while let Some(end) = find(&buffer[done..], b"\r\n\r\n") {
                let Some(length) = content_length(&buffer[done..done + end]) else {
                    // Not a frame we know (never from tower-lsp-server):
                    // pass the bytes on as they are.
                    if out.write_all(&buffer[done..]).await.is_err() {
                        return;
                    }
                    done = buffer.len();
                    break;
                };
                let body = done + end + 4;
                if buffer.len() < body + length {
                    break;
                }
                let replaced = placeholder(&buffer[body..body + length]).and_then(|n| prepared.take(n));
                let written = match replaced {
                    Some(message) => {
                        let header = format!("Content-Length: {}\r\n\r\n", message.len());
                        match out.write_all(header.as_bytes()).await {
                            Ok(()) => out.write_all(&message).await,
                            Err(e) => Err(e),
                        }
                    }
                    None => out.write_all(&buffer[done..body + length]).await,
                };
                if written.is_err() {
                    return;
                }
                done = body + length;
            }
            buffer.drain(..done);
            if out.flush().await.is_err() {
                return;
            }
        }
        let _ = out.write_all(&buffer).await;
        let _ = out.flush().await;
    });
    (writer, task)
}

#[derive(Deserialize)]
pub struct InvalidMessage {
    code: i64,
    message: String,
}

impl Backend {
    /// Answers a frame the guard rejected with the error it deserves.
    pub async fn invalid_message(&self, params: InvalidMessage) -> jsonrpc::Result<()> {
        Err(Error { code: ErrorCode::from(params.code), message: params.message.into(), data: None })
    }
}

/// Splits a byte stream into frames, checks each, and re-frames it.
#[derive(Default)]
pub struct Framer {
    /// Where big notifications go (see [`Parked`]).
    parked: Arc<Parked>,
    buffer: Vec<u8>,
    /// The body length of the frame being read, once its headers are in.
    body: Option<usize>,
    /// Bytes of a refused, oversized body still to skip.
    skip: usize,
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn rejected(id: Value, code: ErrorCode, message: String) -> Vec<u8> {
    let request = json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": INVALID_MESSAGE,
        "params": {"code": code.code(), "message": message},
    });
    frame(request.to_string().as_bytes())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The frame to pass on for one body: itself when tower-lsp-server can
/// decode it, else a request that answers the right error.
fn check(body: &[u8]) -> Vec<u8> {
    let decodes = std::str::from_utf8(body).is_ok()
        && (serde_json::from_slice::<Request>(body).is_ok() || serde_json::from_slice::<Response>(body).is_ok());
    if decodes {
        return frame(body);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => {
            let id = match value.get("id") {
                Some(id @ (Value::Number(_) | Value::String(_))) if id.as_i64().is_some() || id.is_string() => {
                    id.clone()
                }
                _ => Value::Null,
            };
            let message = "Invalid request: not a JSON-RPC 2.0 request, notification or response".to_string();
            rejected(id, ErrorCode::InvalidRequest, message)
        }
        Err(e) => rejected(Value::Null, ErrorCode::ParseError, format!("Parse error: the message is not JSON ({e})")),
    }
}

impl Framer {
    /// Takes more input; returns the frames now complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut input = bytes;
        if self.skip > 0 {
            let skipped = self.skip.min(input.len());
            self.skip -= skipped;
            input = &input[skipped..];
        }
        self.buffer.extend_from_slice(input);
        let mut out = Vec::new();
        loop {
            if self.skip > 0 {
                let skipped = self.skip.min(self.buffer.len());
                self.skip -= skipped;
                self.buffer.drain(..skipped);
                if self.skip > 0 {
                    return out;
                }
            }
            if let Some(length) = self.body {
                if self.buffer.len() < length {
                    return out;
                }
                // The body keeps the buffer's memory; what follows it moves.
                let rest = self.buffer.split_off(length);
                let body = std::mem::replace(&mut self.buffer, rest);
                self.body = None;
                let parked = (body.len() >= PARK_FROM).then(|| as_notification(&body)).flatten();
                out.push(match parked {
                    Some(request) => {
                        let number = self.parked.add(request);
                        frame(
                            json!({"jsonrpc": "2.0", "method": PARKED_METHOD, "params": number}).to_string().as_bytes(),
                        )
                    }
                    None => check(&body),
                });
                continue;
            }
            let Some(end) = find(&self.buffer, b"\r\n\r\n") else {
                if self.buffer.len() > MAX_HEADER_BYTES {
                    out.push(rejected(Value::Null, ErrorCode::ParseError, "Parse error: no message header".into()));
                    self.resynchronise(self.buffer.len() - 16);
                    continue;
                }
                return out;
            };
            match content_length(&self.buffer[..end]) {
                Some(length) if length > MAX_MESSAGE_BYTES => {
                    let message = format!("Invalid request: a message of {length} bytes is over the limit");
                    out.push(rejected(Value::Null, ErrorCode::InvalidRequest, message));
                    self.buffer.drain(..end + 4);
                    self.skip = length;
                }
                Some(length) => {
                    self.buffer.drain(..end + 4);
                    // Room for the whole body now: a 5 MB body read 64 KB
                    // at a time would otherwise be copied at every doubling.
                    self.buffer.reserve(length.saturating_sub(self.buffer.len()));
                    self.body = Some(length);
                }
                None => {
                    let message = "Parse error: a message header without a valid Content-Length".to_string();
                    out.push(rejected(Value::Null, ErrorCode::ParseError, message));
                    self.resynchronise(end + 4);
                }
            }
        }
    }

    /// Drops bytes up to the next `Content-Length` after the first byte
    /// (garbage glued before a header is skipped, the header kept), or up
    /// to `fallback` when there is none.
    fn resynchronise(&mut self, fallback: usize) {
        let next = find(&self.buffer[1.min(self.buffer.len())..], b"Content-Length").map(|i| i + 1);
        let drop = next.unwrap_or(fallback).min(self.buffer.len());
        self.buffer.drain(..drop.max(1).min(self.buffer.len()));
    }
}

/// The `Content-Length` of a header block (names are case-insensitive;
/// other headers, `Content-Type` included, are ignored).
fn content_length(headers: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(headers).ok()?;
    let mut length = None;
    for line in text.split("\r\n") {
        let (name, value) = line.split_once(':')?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(value.trim().parse::<usize>().ok()?);
        }
    }
    length
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(frames: Vec<Vec<u8>>) -> Vec<Value> {
        frames
            .into_iter()
            .map(|f| {
                let end = find(&f, b"\r\n\r\n").unwrap();
                let length = content_length(&f[..end]).unwrap();
                assert_eq!(f.len(), end + 4 + length);
                serde_json::from_slice(&f[end + 4..]).unwrap()
            })
            .collect()
    }

    fn wire(body: &str) -> Vec<u8> {
        frame(body.as_bytes())
    }

    #[test]
    fn good_frames_pass_byte_by_byte() {
        let mut framer = Framer::default();
        let mut input = wire(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#);
        input.extend(wire(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#));
        let mut out = Vec::new();
        for byte in &input {
            out.extend(framer.push(std::slice::from_ref(byte)));
        }
        let got = bodies(out);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0]["method"], "initialize");
        assert_eq!(got[1]["method"], "initialized");
    }

    #[test]
    fn bad_frames_become_error_requests_and_the_stream_goes_on() {
        let mut framer = Framer::default();
        let mut input = wire(r#"{"jsonrpc":"2.0","id":7,"method":"#);
        input.extend(wire(r#"{"jsonrpc":"1.0","id":8,"method":"shutdown"}"#));
        input.extend(wire(r#"[1,2,3]"#));
        input.extend(b"Content-Length: 3\r\n\r\n\xff\xfe{".iter());
        input.extend(b"Garbage: yes\r\n\r\n".iter());
        input.extend(b"noise".iter());
        input.extend(wire(r#"{"jsonrpc":"2.0","id":9,"method":"shutdown"}"#));
        input.extend(b"content-length: 99999999999999\r\n\r\n".iter());
        let got = bodies(framer.push(&input));
        let summary: Vec<(Value, Value, Value)> =
            got.iter().map(|b| (b["id"].clone(), b["method"].clone(), b["params"]["code"].clone())).collect();
        assert_eq!(
            summary,
            vec![
                (Value::Null, json!(INVALID_MESSAGE), json!(-32700)),
                (json!(8), json!(INVALID_MESSAGE), json!(-32600)),
                (Value::Null, json!(INVALID_MESSAGE), json!(-32600)),
                (Value::Null, json!(INVALID_MESSAGE), json!(-32700)),
                (Value::Null, json!(INVALID_MESSAGE), json!(-32700)),
                (json!(9), json!("shutdown"), Value::Null),
                (Value::Null, json!(INVALID_MESSAGE), json!(-32600)),
            ]
        );
    }

    #[test]
    fn an_oversized_message_is_skipped_without_being_kept() {
        let mut framer = Framer::default();
        let header = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE_BYTES + 10);
        assert_eq!(bodies(framer.push(header.as_bytes())).len(), 1);
        let chunk = vec![b'x'; 1024 * 1024];
        for _ in 0..MAX_MESSAGE_BYTES / chunk.len() {
            assert!(framer.push(&chunk).is_empty());
            assert!(framer.buffer.is_empty());
        }
        let mut rest = vec![b'x'; 10];
        rest.extend(wire(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        let got = bodies(framer.push(&rest));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["method"], "exit");
    }

    /// A big notification is decoded once and parked, exactly as
    /// tower-lsp-server would have decoded it; a big frame that is a
    /// request, a response, or not a message is passed on as before.
    #[test]
    fn big_notifications_are_parked_as_the_request_they_decode_to() {
        let text = "line \"quoted\" \\ é 😀\n".repeat(PARK_FROM / 16);
        let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///a.news.md", "version": 2},
            "contentChanges": [{"text": text}],
        }});
        let body = change.to_string().into_bytes();
        assert!(body.len() >= PARK_FROM);
        let mut framer = Framer::default();
        let got = bodies(framer.push(&frame(&body)));
        assert_eq!(got, vec![json!({"jsonrpc": "2.0", "method": PARKED_METHOD, "params": 0})]);
        let placeholder: Request = serde_json::from_value(got[0].clone()).unwrap();
        let parked = framer.parked.take_for(&placeholder).expect("parked");
        assert_eq!(parked, serde_json::from_slice::<Request>(&body).unwrap());
        assert!(framer.parked.take_for(&placeholder).is_none(), "taken once");

        // Not notifications, or not messages: the bytes or the error as before.
        let pad = "x".repeat(PARK_FROM);
        let others = [
            json!({"jsonrpc": "2.0", "id": 4, "method": "x", "params": {"pad": pad}}),
            json!({"jsonrpc": "2.0", "id": null, "method": "x", "params": {"pad": pad}}),
            json!({"jsonrpc": "2.0", "result": {"pad": pad}, "id": 5}),
            json!({"jsonrpc": "2.0", "method": "x", "result": pad}),
            json!({"jsonrpc": "1.0", "method": "x", "params": {"pad": pad}}),
        ];
        for other in others {
            let body = other.to_string().into_bytes();
            let got = bodies(framer.push(&frame(&body)));
            let expected: Value =
                serde_json::from_slice(&check(&body)[find(&check(&body), b"\r\n\r\n").unwrap() + 4..]).unwrap();
            assert_eq!(got, vec![expected], "{}", &other.to_string()[..60]);
        }
        let mut broken = body.clone();
        broken.truncate(body.len() - 3);
        let got = bodies(framer.push(&frame(&broken)));
        assert_eq!(got[0]["params"]["code"], json!(-32700));
    }

    #[test]
    fn headers_without_a_blank_line_are_dropped_in_bounded_memory() {
        let mut framer = Framer::default();
        let mut errors = 0;
        for _ in 0..100 {
            errors += framer.push(&[b'a'; 10_000]).len();
            assert!(framer.buffer.len() <= MAX_HEADER_BYTES + 10_000);
        }
        assert!(errors > 0);
        let got = bodies(framer.push(&wire(r#"{"jsonrpc":"2.0","method":"exit"}"#)));
        assert_eq!(got.last().unwrap()["method"], "exit");
    }
}
