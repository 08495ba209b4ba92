//! `-v`: the client's per-attempt events on stderr.
//!
//! Only the client's own target is shown. It logs operation, method, status, attempt and
//! latency, and never credentials or personal data; lower layers (the HTTP stack) are not shown,
//! since what they log is not under this crate's control.

use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub(crate) fn log_attempts_to_stderr() {
    let filter = Targets::new().with_target("trustly_customers", tracing::Level::DEBUG);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE);
    // Fails only if a subscriber is already set, which cannot happen in this binary.
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}
