//! The language server: the only code that knows LSP, JSON-RPC and
//! position encodings. Everything it answers comes from the core.

mod convert;
mod document;
mod features;
mod requests;
mod server;
mod state;
mod transport;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tower_lsp_server::{LspService, Server};

pub use server::Backend;

/// The document model, for the fuzz targets in `crate::fuzzing`.
#[doc(hidden)]
pub mod fuzzing {
    pub use super::document::OpenDocument;
}

/// Builds the service, for tests that speak to it over an in-memory pipe.
pub fn service(shutdown: Arc<AtomicBool>) -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    LspService::build(move |client| Backend::new(client, shutdown))
        .custom_method(server::DEBUG_PANIC_METHOD, Backend::debug_panic)
        .custom_method(transport::INVALID_MESSAGE, Backend::invalid_message)
        .finish()
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
        let (service, socket) = service(flag);
        // The guard keeps one unreadable message from ending the session.
        Server::new(transport::guard(tokio::io::stdin()), tokio::io::stdout(), socket).serve(service).await;
    });
    // Do not wait for blocking tasks (a client may leave stdin open).
    runtime.shutdown_background();
    if shutdown.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
