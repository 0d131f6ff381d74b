//! The language server: the only code that knows LSP, JSON-RPC and
//! position encodings. Everything it answers comes from the core.

mod convert;
mod document;
mod event_loop;
mod features;
mod ordered;
mod publish;
mod requests;
mod server;
mod state;
mod transport;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::watch;
use tower_lsp_server::{LspService, Server};

pub use server::Backend;

/// The document model, for the fuzz targets in `crate::fuzzing`.
#[doc(hidden)]
pub mod fuzzing {
    pub use super::document::OpenDocument;
}

/// Builds the service: the ordered front door (`ordered.rs`) in front of
/// tower-lsp-server's. `closing` turns true when the input ends.
/// `frames` holds what the server serialised itself; the output must go
/// through `transport::output` with the same store. `parked` holds the big
/// notifications the input's guard decoded (`transport::guard`, same store).
pub fn service(
    shutdown: Arc<AtomicBool>,
    closing: watch::Receiver<bool>,
    frames: Arc<transport::Prepared>,
    parked: Arc<transport::Parked>,
) -> (ordered::Ordered<LspService<Backend>>, tower_lsp_server::ClientSocket) {
    let (events, queue) = tokio::sync::mpsc::unbounded_channel();
    let shared = Arc::new(ordered::Shared::new(events, shutdown));
    let backend_shared = shared.clone();
    let (service, socket) =
        LspService::build(move |client| Backend::new(client, backend_shared, queue, closing, frames.clone()))
            .custom_method(server::DEBUG_PANIC_METHOD, Backend::debug_panic)
            .custom_method(transport::INVALID_MESSAGE, Backend::invalid_message)
            .finish();
    (ordered::Ordered::new(service, shared, parked), socket)
}

/// `newsmark lsp`: serves on stdin/stdout until `exit`. Exit code 0 when a
/// `shutdown` came first, 1 otherwise, as the protocol asks.
pub fn run() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("newsmark: cannot start the server: {e}");
            return ExitCode::from(2);
        }
    };
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    runtime.block_on(async move {
        let (closed, closing) = watch::channel(false);
        let frames = Arc::new(transport::Prepared::default());
        let parked = Arc::new(transport::Parked::default());
        let (service, socket) = service(flag, closing, frames.clone(), parked.clone());
        // Buffered: tokio's stdout hands every `write` to a blocking
        // thread, so 10k small notifications at start-up were 10k thread
        // hand-offs; `output` flushes once per batch it has read.
        let stdout = tokio::io::BufWriter::with_capacity(256 * 1024, tokio::io::stdout());
        let (output, written) = transport::output(stdout, frames);
        // The guard keeps one unreadable message from ending the session,
        // and says when the input ends. Requests wait for snapshots, not
        // for each other: many may be in flight.
        Server::new(transport::guard(tokio::io::stdin(), closed, parked), output, socket)
            .concurrency_level(256)
            .serve(service)
            .await;
        // What the server wrote last (the answer to `shutdown`) goes out
        // before the process ends, unless the client stopped reading.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), written).await;
    });
    // Do not wait for blocking tasks (indexing, a request): the protocol
    // says exit now, and a client may leave stdin open.
    runtime.shutdown_background();
    if shutdown.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
