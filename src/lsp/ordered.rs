//! The ordered front door. tower-lsp-server calls `Service::call` for each
//! message in the order it was read, then runs the resulting futures
//! concurrently. This wrapper acts at `call` time: a state-changing
//! notification becomes an [`Event`] sent into the event loop's channel
//! right there (nothing awaited first, so events keep arrival order, and a
//! request in flight never holds an edit back); a request is tagged with
//! the number of events sent before it, so it runs on a snapshot that has
//! every one of them applied (`Backend::read`); `shutdown` is recorded
//! before anything can cancel it, so `shutdown` then `exit` exits 0.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_service::Service;

use super::event_loop::Event;
use super::transport::{Parked, PARKED_METHOD};

tokio::task_local! {
    /// The number of events sent before the request being handled.
    pub static EVENTS_BEFORE: u64;
}

/// What the front door and the backend share.
pub struct Shared {
    events: mpsc::UnboundedSender<Event>,
    sent: AtomicU64,
    /// An `initialize` came through (ours never fails): `shutdown` counts.
    initialized: AtomicBool,
    pub shutdown: Arc<AtomicBool>,
}

impl Shared {
    pub fn new(events: mpsc::UnboundedSender<Event>, shutdown: Arc<AtomicBool>) -> Shared {
        Shared { events, sent: AtomicU64::new(0), initialized: AtomicBool::new(false), shutdown }
    }

    /// Sends an event; returns how many were sent, this one included.
    pub fn send(&self, event: Event) -> u64 {
        // Counted before sending, so the loop never applies more than `sent`.
        let seq = self.sent.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = self.events.send(event);
        seq
    }

    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

pub struct Ordered<S> {
    inner: S,
    shared: Arc<Shared>,
    parked: Arc<Parked>,
}

impl<S> Ordered<S> {
    pub fn new(inner: S, shared: Arc<Shared>, parked: Arc<Parked>) -> Ordered<S> {
        Ordered { inner, shared, parked }
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// The event a notification is, if it changes state: `Err` gives back a
/// notification that is not one. The params are taken, not copied (a full
/// sync of a big document is megabytes). Params that do not fit are
/// ignored, as tower-lsp-server ignores a notification's invalid params.
fn event_of(request: Request) -> Result<Option<Event>, Request> {
    fn params<T: DeserializeOwned>(value: Option<serde_json::Value>) -> Option<T> {
        serde_json::from_value(value.unwrap_or(serde_json::Value::Null)).ok()
    }
    let event: fn(Option<serde_json::Value>) -> Option<Event> = match request.method() {
        "initialized" => |_| Some(Event::Initialized),
        "textDocument/didOpen" => |v| params(v).map(Event::Open),
        "textDocument/didChange" => |v| params(v).map(Event::Change),
        "textDocument/didClose" => |v| params(v).map(Event::Close),
        "workspace/didChangeWatchedFiles" => |v| params(v).map(Event::WatchedFiles),
        "workspace/didChangeConfiguration" => |v| params(v).map(Event::Configuration),
        "workspace/didChangeWorkspaceFolders" => |v| params(v).map(Event::Folders),
        _ => return Err(request),
    };
    let (_, _, value) = request.into_parts();
    Ok(event(value))
}

impl<S> Service<Request> for Ordered<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // A big notification the reader already decoded (`transport::Parked`).
        let request = match request.method() {
            PARKED_METHOD => match self.parked.take_for(&request) {
                Some(parked) => parked,
                None => return Box::pin(std::future::ready(Ok(None))),
            },
            _ => request,
        };
        if request.id().is_none() {
            // After shutdown only `exit` matters.
            if self.shared.shutdown.load(Ordering::SeqCst) {
                return Box::pin(self.inner.call(request));
            }
            return match event_of(request) {
                Ok(event) => {
                    if let Some(event) = event {
                        self.shared.send(event);
                    }
                    Box::pin(std::future::ready(Ok(None)))
                }
                Err(request) => Box::pin(self.inner.call(request)),
            };
        }
        match request.method() {
            "initialize" => self.shared.initialized.store(true, Ordering::SeqCst),
            // Before initialize it is refused (-32002), and does not count.
            "shutdown" if self.shared.initialized.load(Ordering::SeqCst) => {
                self.shared.shutdown.store(true, Ordering::SeqCst)
            }
            _ => {}
        }
        let before = self.shared.sent();
        Box::pin(EVENTS_BEFORE.scope(before, self.inner.call(request)))
    }
}
