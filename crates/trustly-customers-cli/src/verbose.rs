//! `-v`: the client's per-attempt events on stderr.
//!
//! Only the client's own target is shown. It logs operation, method, status, attempt and
//! latency, and never credentials or personal data; lower layers (the HTTP stack) are not shown,
//! since what they log is not under this crate's control. Each line passes the client's
//! redactor on its way out, as every other text the client shows does, so a credential that
//! reached a log field would still not be printed.

use std::io::{self, Write};

use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use trustly_customers::Redactor;

pub(crate) fn log_attempts_to_stderr(redactor: Redactor) {
    let filter = Targets::new().with_target("trustly_customers", tracing::Level::DEBUG);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(Scrubbed {
            redactor,
            out: io::stderr,
        })
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE);
    // Fails only if a subscriber is already set, which cannot happen in this binary.
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}

/// Makes a writer per log line that writes it, redacted, to what `out` makes.
struct Scrubbed<F> {
    redactor: Redactor,
    out: F,
}

impl<'a, F, W> MakeWriter<'a> for Scrubbed<F>
where
    F: Fn() -> W + 'a,
    W: Write,
{
    type Writer = Line<'a, W>;

    fn make_writer(&'a self) -> Line<'a, W> {
        Line {
            redactor: &self.redactor,
            out: (self.out)(),
            text: Vec::new(),
        }
    }
}

/// One log line, held until it is complete (the writer is dropped once the line is written),
/// then written redacted in one piece: a credential is found only in the whole line.
struct Line<'a, W: Write> {
    redactor: &'a Redactor,
    out: W,
    text: Vec<u8>,
}

impl<W: Write> Write for Line<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.text.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for Line<'_, W> {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.text);
        // Nowhere to report a failure to write to stderr.
        let _ = self.out.write_all(self.redactor.redact(&text).as_bytes());
        let _ = self.out.flush();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use trustly_customers::{Client, Credentials};

    use super::*;

    /// A writer into a buffer the test reads.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_line_is_written_whole_once_redacted() {
        let client = Client::builder(Credentials::new("verbose-id", "verbose-key"))
            .base_url("http://127.0.0.1:9/api/v1")
            .build()
            .unwrap();
        let buffer = Buffer::default();
        let target = buffer.clone();
        let scrubbed = Scrubbed {
            redactor: client.redactor().clone(),
            out: move || target.clone(),
        };
        {
            let mut line = scrubbed.make_writer();
            // A credential cut across two writes is found in the whole line.
            line.write_all(b"status=400 note=\"verbose-").unwrap();
            line.write_all(b"key of VERBOSE-ID\"\n").unwrap();
            assert!(
                buffer.0.lock().unwrap().is_empty(),
                "written before it is whole"
            );
        }
        assert_eq!(
            String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap(),
            "status=400 note=\"<redacted> of <redacted>\"\n"
        );
    }
}
