//! Connections the emulator can close without answering: what the faults `drop` and
//! `drop-after-commit` need, and what neither axum nor hyper offers (a handler always answers).
//!
//! The listener wraps each accepted socket with a [`Hangup`] switch, and the connection's
//! service ([`serve`]) pulls it when the router's answer is marked [`Unanswered`]: from then on
//! the socket refuses every read and write, so hyper fails to write the answer, ends the
//! connection and drops the socket, which closes it. The peer reads the end of the stream where
//! an answer should be. With no switch pulled, each read or write costs one relaxed atomic
//! load, and each answer a look for the mark in its (mostly empty) extensions: the switch does
//! not travel with every request.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::Router;
use axum::extract::Request;
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// The mark of an answer that must not be sent: its connection is closed instead.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unanswered;

/// Serves `router` on `listener`, closing a connection rather than sending an answer marked
/// [`Unanswered`]; until `stop` completes.
pub(crate) async fn serve(
    listener: HangupListener,
    router: Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let connections = tower::service_fn(move |incoming: IncomingStream<'_, HangupListener>| {
        let hangup = incoming.io().hangup.clone();
        let connection =
            ServiceExt::<Request>::map_response(router.clone(), move |response: Response| {
                if response.extensions().get::<Unanswered>().is_some() {
                    hangup.pull();
                }
                response
            });
        std::future::ready(Ok::<_, std::convert::Infallible>(connection))
    });
    axum::serve(listener, connections)
        .with_graceful_shutdown(stop)
        .await
}

/// The switch that closes one connection without an answer.
#[derive(Debug, Clone, Default)]
struct Hangup(Arc<AtomicBool>);

impl Hangup {
    /// From now on the connection refuses reads and writes: the answer under way is never sent,
    /// and the connection is closed.
    fn pull(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn pulled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// A TCP listener whose connections carry a [`Hangup`].
pub(crate) struct HangupListener(pub(crate) TcpListener);

/// An accepted socket and its switch.
pub(crate) struct HangupStream {
    stream: TcpStream,
    hangup: Hangup,
}

impl Listener for HangupListener {
    type Io = HangupStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (HangupStream, SocketAddr) {
        let (stream, addr) = Listener::accept(&mut self.0).await;
        let hangup = Hangup::default();
        (HangupStream { stream, hangup }, addr)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

fn hung_up() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "closed without an answer")
}

impl AsyncRead for HangupStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.hangup.pulled() {
            return Poll::Ready(Err(hung_up()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for HangupStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.hangup.pulled() {
            return Poll::Ready(Err(hung_up()));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.hangup.pulled() {
            return Poll::Ready(Err(hung_up()));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.hangup.pulled() {
            return Poll::Ready(Err(hung_up()));
        }
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
