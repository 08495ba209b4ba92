//! The emulator as a test bench: faults on demand, the request journal, latency, reset and the
//! per-request log, driven over HTTP under `/__admin` (`routes.rs`, described by
//! `openapi/admin.yaml`) or in process through [`MockServer`](crate::MockServer).

pub(crate) mod access_log;
pub(crate) mod faults;
pub(crate) mod intercept;
pub(crate) mod request_log;
pub(crate) mod routes;

use std::ops::RangeInclusive;
use std::time::Duration;

use trustly_customers_spec::facts;

use crate::config::Config;
use access_log::AccessLog;
use faults::Faults;
use request_log::RequestLog;

/// What the admin API changes and every API request reads.
#[derive(Debug)]
pub(crate) struct TestBench {
    pub(crate) faults: Faults,
    pub(crate) requests: RequestLog,
    /// Added to every API request (`--latency`), uniform over the range.
    pub(crate) latency: Option<RangeInclusive<Duration>>,
    pub(crate) log: Option<AccessLog>,
    /// The spec's `operationId`s, which a fault's `operation` must be one of.
    pub(crate) operations: Vec<&'static str>,
}

impl TestBench {
    pub(crate) fn new(config: &Config) -> TestBench {
        TestBench {
            faults: Faults::default(),
            requests: RequestLog::default(),
            latency: config.latency.clone(),
            log: config.log.map(AccessLog::to_stderr),
            operations: facts::operations(trustly_customers_spec::document())
                .iter()
                .map(|op| op.id)
                .collect(),
        }
    }

    /// The delay `--latency` adds to one request.
    pub(crate) fn latency(&self) -> Option<Duration> {
        let range = self.latency.as_ref()?;
        let (min, max) = (range.start().as_millis(), range.end().as_millis());
        let min = u64::try_from(min).unwrap_or(u64::MAX);
        let max = u64::try_from(max).unwrap_or(u64::MAX).max(min);
        Some(Duration::from_millis(fastrand::u64(min..=max)))
    }

    /// Adds `fault` after the others, once checked; its id, or what is wrong with it.
    pub(crate) fn add_fault(&self, fault: faults::Fault) -> Result<u64, String> {
        match fault.problem(&self.operations) {
            Some(problem) => Err(problem),
            None => Ok(self.faults.add(fault)),
        }
    }

    /// Clears the faults and the journal, and fault ids start again: the test bench's part of a
    /// reset ([`App::reset`](crate::app::App::reset) clears the customers).
    pub(crate) fn reset(&self) {
        self.faults.clear(true);
        self.requests.clear();
    }
}
