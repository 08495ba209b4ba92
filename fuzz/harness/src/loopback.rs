//! A tiny HTTP/1.1 server on 127.0.0.1 for the `client_response` harness: it answers every
//! request with the bytes it was last given, so that the client's calls take the path they
//! take in production (a socket, hyper's parsing of the answer, reqwest's response, the body
//! limit, the generated decoding, the client's errors), and nothing of the harness is in the
//! crates under test.
//!
//! It runs on the tokio runtime that starts it, beside the client: with a one-thread runtime
//! a call and its answer take no trip between threads. Connections are kept alive, as a
//! server's would be, so a call costs no new connection.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// An answer as it goes on the wire.
#[derive(Clone, Debug, Default)]
pub struct Wire {
    /// The status line, the headers, the empty line and the body.
    pub bytes: Arc<[u8]>,
    /// Whether the connection is closed once they are written, the end of the answer then.
    pub close: bool,
}

/// The server: where it listens, and the answer it gives.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    answer: Arc<Mutex<Wire>>,
}

impl Server {
    /// Listens on a free port of 127.0.0.1, and serves on the current tokio runtime for as
    /// long as it runs.
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port on 127.0.0.1");
        let addr = listener.local_addr().expect("the listener's address");
        let answer = Arc::new(Mutex::new(Wire::default()));
        let answers = Arc::clone(&answer);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&answers)));
            }
        });
        Server { addr, answer }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request from now on is answered with `wire`.
    pub fn answer_with(&self, wire: Wire) {
        *self.answer.lock().expect("the answer") = wire;
    }
}

/// Answers each request of one connection, until the client closes it.
async fn serve(mut stream: TcpStream, answer: Arc<Mutex<Wire>>) {
    let _ = stream.set_nodelay(true);
    let mut received = Vec::with_capacity(4096);
    while let Some(length) = request(&mut stream, &mut received).await {
        received.drain(..length);
        let wire = answer.lock().expect("the answer").clone();
        if stream.write_all(&wire.bytes).await.is_err() {
            return;
        }
        if wire.close {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

/// Reads until `received` holds a whole request (its head, and as many bytes of body as its
/// `Content-Length` says), and returns its length; `None` once the connection is closed.
async fn request(stream: &mut TcpStream, received: &mut Vec<u8>) -> Option<usize> {
    loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            let length = end + 4 + content_length(&received[..end]);
            while received.len() < length {
                if stream.read_buf(received).await.ok()? == 0 {
                    return None;
                }
            }
            return Some(length);
        }
        if stream.read_buf(received).await.ok()? == 0 {
            return None;
        }
    }
}

/// The `Content-Length` of a request's head (0 without one: the client's requests have a
/// body only with its length).
fn content_length(head: &[u8]) -> usize {
    head.split(|&b| b == b'\n')
        .filter_map(|line| {
            let colon = line.iter().position(|&b| b == b':')?;
            line[..colon]
                .eq_ignore_ascii_case(b"content-length")
                .then(|| {
                    std::str::from_utf8(&line[colon + 1..])
                        .ok()?
                        .trim()
                        .parse()
                        .ok()
                })?
        })
        .next()
        .unwrap_or(0)
}
