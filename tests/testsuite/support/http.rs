//! A tiny HTTP server on 127.0.0.1 for the commands that go to the network
//! (`gen fetch`, `gen mentions`): it answers each request with what a
//! handler makes of it and records every request (head and body), so the
//! tests never touch the outside network.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// An answer: status, extra headers, body.
pub type Canned = (u16, Vec<(String, String)>, Vec<u8>);

/// One request as the server got it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path with its query, as sent.
    pub target: String,
    /// The request line and headers.
    pub head: String,
    pub body: Vec<u8>,
}

impl Request {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("/")
    }
}

type Handler = dyn Fn(&Request, u16) -> Canned + Send + Sync;

/// The server; it runs until the test ends.
pub struct Server {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Starts a server whose answers `handler` makes from the request and
    /// the server's own port (for absolute links back to it).
    pub fn start(handler: impl Fn(&Request, u16) -> Canned + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let r = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, h) = (r.clone(), handler.clone());
                std::thread::spawn(move || answer(stream, &r, &*h, port));
            }
        });
        Server { port, requests }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// The heads of the requests `METHOD path…` (the path with or without a
    /// query), in order.
    pub fn heads_for(&self, method: &str, path: &str) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == method && r.path() == path)
            .map(|r| r.head)
            .collect()
    }
}

/// An answer of 200 with a content type.
pub fn ok(kind: &str, body: &str) -> Canned {
    (
        200,
        vec![("Content-Type".into(), kind.into())],
        body.as_bytes().to_vec(),
    )
}

fn answer(mut stream: TcpStream, requests: &Mutex<Vec<Request>>, handler: &Handler, port: u16) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0)
        .min(1024 * 1024);
    let mut body = vec![0u8; length];
    if stream.read_exact(&mut body).is_err() {
        return;
    }
    let mut words = head.split(' ');
    let request = Request {
        method: words.next().unwrap_or("").to_string(),
        target: words.next().unwrap_or("/").to_string(),
        head: head.clone(),
        body,
    };
    requests.lock().unwrap().push(request.clone());
    let (status, headers, body) = handler(&request, port);
    let mut out = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&body);
}
