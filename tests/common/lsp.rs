//! A small LSP client that drives the real `newsmark lsp` over stdio, the
//! way an editor does: Content-Length framing, requests matched by id,
//! notifications collected, server-to-client requests answered.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Server {
    child: Child,
    /// `None` once closed.
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Latest publishDiagnostics per URI.
    pub diagnostics: HashMap<String, Value>,
    pub notifications: Vec<Value>,
    /// Responses that arrived while another was awaited (requests run
    /// concurrently, so answers may come in any order).
    responses: HashMap<i64, Value>,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Server {
    pub fn start(root: &Path, init_extra: Value) -> Server {
        Server::start_with_env(root, init_extra, &[])
    }

    pub fn start_with_env(root: &Path, init_extra: Value, env: &[(&str, &str)]) -> Server {
        let mut server = Server::spawn(env);
        let root_uri = uri(root);
        let mut params = json!({
            "processId": null,
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "test"}],
            "capabilities": {
                "window": {"workDoneProgress": true},
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                "textDocument": {"publishDiagnostics": {"relatedInformation": true}}
            }
        });
        merge(&mut params, init_extra);
        let result = server.request("initialize", params);
        assert!(result["capabilities"].is_object(), "initialize answers capabilities: {result}");
        server.notify("initialized", json!({}));
        server
    }

    /// Starts `newsmark lsp` without initializing it.
    pub fn spawn(env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(super::bin())
            .arg("lsp")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("newsmark lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin: Some(stdin),
            incoming,
            next_id: 1,
            diagnostics: HashMap::new(),
            notifications: Vec::new(),
            responses: HashMap::new(),
        }
    }

    pub fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        let stdin = self.stdin.as_mut().expect("the input is open");
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        stdin.flush().unwrap();
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("the input is open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The full response (with `result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_response(id)
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    pub fn wait_response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(response) = self.responses.remove(&id) {
                return response;
            }
            let message = self.next_message(deadline).unwrap_or_else(|| panic!("no response to request {id}"));
            if message.get("method").is_none() {
                if message["id"] == json!(id) {
                    return message;
                }
                if let Some(other) = message["id"].as_i64() {
                    self.responses.insert(other, message);
                }
            }
        }
    }

    /// Next message; answers server requests and records notifications.
    fn next_message(&mut self, deadline: Instant) -> Option<Value> {
        let timeout = deadline.saturating_duration_since(Instant::now());
        let message = match self.incoming.recv_timeout(timeout) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return None,
        };
        if message.get("method").is_some() && message.get("id").is_some() {
            // workDoneProgress/create, registerCapability: accept. A
            // request read after `exit` (the server asked, then exited)
            // finds the input closed: that answer is not needed.
            let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": null});
            let body = serde_json::to_string(&reply).unwrap();
            if let Some(stdin) = self.stdin.as_mut() {
                let _ = write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).and_then(|_| stdin.flush());
            }
        } else if message["method"] == "textDocument/publishDiagnostics" {
            let uri = message["params"]["uri"].as_str().unwrap().to_string();
            self.diagnostics.insert(uri, message["params"].clone());
            self.notifications.push(message.clone());
        } else if message.get("method").is_some() {
            self.notifications.push(message.clone());
        }
        Some(message)
    }

    /// The next message (server requests answered, notifications recorded
    /// as always) for which `matches` holds.
    pub fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let message = self.next_message(deadline).unwrap_or_else(|| panic!("timed out waiting for {what}"));
            if matches(&message) {
                return message;
            }
        }
    }

    /// Processes messages until `done` holds (checked after each one).
    pub fn wait_until(&mut self, what: &str, mut done: impl FnMut(&Server) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done(self) {
            if self.next_message(deadline).is_none() {
                panic!("timed out waiting for {what}");
            }
        }
    }

    /// Processes one message if one arrives before `deadline`; false if none did.
    pub fn pump(&mut self, deadline: Instant) -> bool {
        self.next_message(deadline).is_some()
    }

    /// Processes everything that arrives within `quiet` of the last message.
    pub fn drain(&mut self, quiet: Duration) {
        while self.next_message(Instant::now() + quiet).is_some() {}
    }

    pub fn codes(&self, uri: &str) -> Vec<String> {
        self.diagnostics
            .get(uri)
            .map(|p| {
                p["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["code"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn open(&mut self, path: &Path) -> String {
        let uri = uri(path);
        let text = std::fs::read_to_string(path).unwrap();
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "newsmark", "version": 1, "text": text}}),
        );
        uri
    }

    pub fn shutdown_and_exit(mut self) -> Option<i32> {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Closes the server's input (as an editor that dies does) and waits.
    pub fn close_input_and_wait(mut self) -> Option<i32> {
        self.stdin = None;
        self.wait_exit()
    }

    pub fn wait_exit(mut self) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub fn uri(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn merge(base: &mut Value, extra: Value) {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        for (k, v) in extra {
            match base.get_mut(&k) {
                Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                _ => {
                    base.insert(k, v);
                }
            }
        }
    }
}

/// Copies a folder (non-recursive into hidden dirs) to a fresh scratch dir.
pub fn copy_workspace(from: &Path, name: &str) -> std::path::PathBuf {
    let to = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&to);
    super::copy_dir(from, &to);
    to.canonicalize().unwrap()
}
