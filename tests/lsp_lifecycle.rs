//! The server's lifecycle against the real binary: `shutdown` then `exit`
//! exits 0 every time; `exit`, `shutdown` and a closed input are prompt
//! even while 40,000 articles are being indexed; `$/cancelRequest` is
//! honoured for a request still waiting (#14 items 8 and 9).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::lsp::{uri, Server};
use serde_json::{json, Value};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    dir.canonicalize().unwrap()
}

/// 40,000 small articles (made once per test run).
fn big_workspace() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("lsp-lifecycle-40k");
        for folder in 0..40 {
            let sub = dir.join(format!("f{folder:02}"));
            std::fs::create_dir_all(&sub).unwrap();
            for i in 0..1000 {
                let text = format!(
                    "---\nid: a{folder}-{i}\npublished: 2020-02-13\n---\n\n[About {i} troops]{{fig=k{}}}[@a{folder}-{i}] are in [Iraq]{{ent=iraq}}.\n",
                    i % 50
                );
                std::fs::write(sub.join(format!("a{i}.news.md")), text).unwrap();
            }
        }
        dir
    })
}

fn published_any(server: &Server) -> bool {
    server.notifications.iter().any(|n| n["method"] == "textDocument/publishDiagnostics")
}

#[test]
fn shutdown_then_exit_exits_zero_every_time() {
    let dir = scratch("lsp-lifecycle-small");
    std::fs::write(dir.join("a.news.md"), "---\nid: a\npublished: 2020-01-01\n---\n\n[500 troops]{fig=k}[@a]\n")
        .unwrap();
    for round in 0..20 {
        let mut server = Server::start(&dir, json!({}));
        // No waiting in between: `exit` right behind `shutdown`.
        server.send_request("shutdown", Value::Null);
        server.notify("exit", Value::Null);
        assert_eq!(server.wait_exit(), Some(0), "round {round}");
    }
}

#[test]
fn exit_is_prompt_while_indexing() {
    let dir = big_workspace();
    let mut server = Server::start(dir, json!({}));
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    server.send_request("shutdown", Value::Null);
    server.notify("exit", Value::Null);
    server.drain(Duration::from_millis(50));
    let indexing_was_done = published_any(&server);
    let code = server.wait_exit();
    let took = started.elapsed();
    assert_eq!(code, Some(0));
    assert!(!indexing_was_done, "the test needs a workspace that takes longer to index");
    assert!(took < Duration::from_secs(3), "exit took {took:?} while indexing");
}

#[test]
fn a_closed_input_ends_the_server_promptly_while_indexing() {
    let dir = big_workspace();
    let server = Server::start(dir, json!({}));
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let code = server.close_input_and_wait();
    let took = started.elapsed();
    assert_eq!(code, Some(1), "no shutdown came first");
    assert!(took < Duration::from_secs(3), "ending took {took:?} while indexing");
}

#[test]
fn a_request_waiting_for_indexing_can_be_cancelled() {
    let dir = big_workspace();
    let mut server = Server::start(dir, json!({}));
    let article = uri(&dir.join("f00/a1.news.md"));
    let id = server.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": article}, "position": {"line": 5, "character": 3}}),
    );
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    server.notify("$/cancelRequest", json!({"id": id}));
    let response = server.wait_response(id);
    assert_eq!(response["error"]["code"], json!(-32800), "cancelled: {response}");
    assert!(!published_any(&server), "the request was still waiting for indexing");
    assert!(started.elapsed() < Duration::from_secs(3), "cancelling took {:?}", started.elapsed());
    assert!(server.is_running());
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
