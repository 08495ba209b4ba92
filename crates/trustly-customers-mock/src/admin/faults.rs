//! Faults injected on demand: what `POST /__admin/faults` and [`MockServer::add_fault`]
//! take, and the ordered list the emulator checks every API request against.
//!
//! [`MockServer::add_fault`]: crate::MockServer::add_fault

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

/// The longest `delayMs` a fault may ask for: ten minutes, longer than any client waits.
pub const MAX_DELAY_MS: u64 = 600_000;

/// A fault to inject. Every field is optional; `{}` matches every request and changes nothing.
///
/// As JSON (`POST /__admin/faults`):
/// `{"operation": "getCustomer", "times": 1, "status": 503, "retryAfter": 2}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fault {
    /// The `operationId` of the spec it applies to; `None`: every operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// How many matching requests it applies to; `None`: until it is removed. In a list of
    /// faults: how many are left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Answer with this status (400 to 599) and Trustly's error body, without acting on the
    /// request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// With `status`: a `Retry-After` header of this many seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Wait this long before answering, or before the fault (at most [`MAX_DELAY_MS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Close the connection without an answer, before or after acting on the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<FaultKind>,
}

/// How a connection fault ends the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// `"drop"`: read the request, then close the connection without acting on it.
    Drop,
    /// `"drop-after-commit"`: act on the request (a write is committed, and on disk with a data
    /// file), then close the connection without answering.
    DropAfterCommit,
}

impl FaultKind {
    /// Its name in JSON, in the request journal and in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Drop => "drop",
            FaultKind::DropAfterCommit => "drop-after-commit",
        }
    }
}

impl Fault {
    /// A fault that matches every request and changes nothing, to be built on.
    pub fn new() -> Fault {
        Fault::default()
    }

    /// Only for the operation with this `operationId`.
    pub fn operation(mut self, operation_id: impl Into<String>) -> Fault {
        self.operation = Some(operation_id.into());
        self
    }

    /// Only for the next `times` matching requests.
    pub fn times(mut self, times: u32) -> Fault {
        self.times = Some(times);
        self
    }

    /// Answer with `status` and Trustly's error body.
    pub fn status(mut self, status: u16) -> Fault {
        self.status = Some(status);
        self
    }

    /// With [`status`](Self::status): a `Retry-After` header of `seconds`.
    pub fn retry_after(mut self, seconds: u64) -> Fault {
        self.retry_after = Some(seconds);
        self
    }

    /// Wait `ms` milliseconds before answering, or before the fault.
    pub fn delay_ms(mut self, ms: u64) -> Fault {
        self.delay_ms = Some(ms);
        self
    }

    /// Close the connection without an answer.
    pub fn kind(mut self, kind: FaultKind) -> Fault {
        self.fault = Some(kind);
        self
    }

    /// Why this fault cannot be injected, naming the field; `operations` are the spec's ids.
    pub(crate) fn problem(&self, operations: &[&str]) -> Option<String> {
        if let Some(op) = &self.operation
            && !operations.contains(&op.as_str())
        {
            return Some(format!(
                "operation: the spec has no operation {op:?}; its operations are {}",
                operations.join(", ")
            ));
        }
        if self.times == Some(0) {
            return Some("times: must be at least 1".into());
        }
        if let Some(status) = self.status
            && !(400..=599).contains(&status)
        {
            return Some(format!(
                "status: {status} is not an error status (400 to 599)"
            ));
        }
        if self.status.is_some() && self.fault.is_some() {
            return Some("status, fault: a fault either answers or closes the connection".into());
        }
        if self.retry_after.is_some() && self.status.is_none() {
            return Some("retryAfter: only with status".into());
        }
        if self.delay_ms.is_some_and(|ms| ms > MAX_DELAY_MS) {
            return Some(format!("delayMs: at most {MAX_DELAY_MS}"));
        }
        None
    }
}

/// A fault as listed: its id and what it does (with the `times` left).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActiveFault {
    /// The id `POST /__admin/faults` answered, for `DELETE /__admin/faults/{id}`.
    pub id: u64,
    /// The fault.
    #[serde(flatten)]
    pub fault: Fault,
}

/// The faults of one emulator, in the order they were added.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// Whether any fault is set: a request reads this, and takes the lock only when it is.
    armed: AtomicBool,
    list: Mutex<FaultList>,
}

#[derive(Debug, Default)]
struct FaultList {
    last_id: u64,
    active: Vec<ActiveFault>,
}

impl Faults {
    fn list(&self) -> std::sync::MutexGuard<'_, FaultList> {
        // Every section under the lock leaves the list whole.
        self.list.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds `fault` (already checked) after the others; its id.
    pub(crate) fn add(&self, fault: Fault) -> u64 {
        let mut list = self.list();
        list.last_id += 1;
        let id = list.last_id;
        list.active.push(ActiveFault { id, fault });
        self.armed.store(true, Ordering::Release);
        id
    }

    /// Every fault, in order.
    pub(crate) fn all(&self) -> Vec<ActiveFault> {
        self.list().active.clone()
    }

    /// Removes fault `id`; whether there was one.
    pub(crate) fn remove(&self, id: u64) -> bool {
        let mut list = self.list();
        let before = list.active.len();
        list.active.retain(|f| f.id != id);
        self.armed.store(!list.active.is_empty(), Ordering::Release);
        list.active.len() != before
    }

    /// Removes every fault; with `restart_ids`, the next one gets id 1 again.
    pub(crate) fn clear(&self, restart_ids: bool) {
        let mut list = self.list();
        list.active.clear();
        if restart_ids {
            list.last_id = 0;
        }
        self.armed.store(false, Ordering::Release);
    }

    /// The fault that applies to a request for `operation`: the first that matches it, which
    /// then has one use less (and is removed once it has none left).
    pub(crate) fn take(&self, operation: &str) -> Option<Fault> {
        if !self.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut list = self.list();
        let index = list.active.iter().position(|f| {
            f.fault
                .operation
                .as_deref()
                .is_none_or(|op| op == operation)
        })?;
        let entry = &mut list.active[index];
        let fault = entry.fault.clone();
        if let Some(left) = &mut entry.fault.times {
            *left -= 1;
            if *left == 0 {
                list.active.remove(index);
                self.armed.store(!list.active.is_empty(), Ordering::Release);
            }
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPS: &[&str] = &["getCustomer", "listCustomers"];

    #[test]
    fn the_first_matching_fault_with_uses_left_applies() {
        let faults = Faults::default();
        assert_eq!(faults.take("getCustomer"), None);
        faults.add(Fault::new().operation("listCustomers").status(500));
        faults.add(Fault::new().operation("getCustomer").times(2).status(503));
        faults.add(Fault::new().status(429));
        assert_eq!(faults.take("getCustomer").unwrap().status, Some(503));
        assert_eq!(faults.all()[1].fault.times, Some(1));
        assert_eq!(faults.take("getCustomer").unwrap().status, Some(503));
        // Used up: removed, the next in order applies.
        assert_eq!(faults.take("getCustomer").unwrap().status, Some(429));
        assert_eq!(faults.take("listCustomers").unwrap().status, Some(500));
        assert_eq!(faults.all().len(), 2);
    }

    #[test]
    fn removing_and_clearing() {
        let faults = Faults::default();
        let a = faults.add(Fault::new().status(500));
        let b = faults.add(Fault::new().status(502));
        assert!(faults.remove(a));
        assert!(!faults.remove(a));
        assert_eq!(faults.take("getCustomer").unwrap().status, Some(502));
        assert!(faults.remove(b));
        assert_eq!(faults.take("getCustomer"), None);
        faults.add(Fault::new());
        faults.clear(true);
        assert_eq!(faults.take("getCustomer"), None);
        assert_eq!(faults.add(Fault::new()), 1);
    }

    #[test]
    fn a_fault_that_cannot_work_is_refused_naming_the_field() {
        for (fault, expected) in [
            (
                Fault::new().operation("deleteCustomer"),
                "\"deleteCustomer\"",
            ),
            (Fault::new().times(0), "times"),
            (Fault::new().status(200), "status: 200"),
            (Fault::new().status(600), "status: 600"),
            (
                Fault::new().status(500).kind(FaultKind::Drop),
                "status, fault",
            ),
            (Fault::new().retry_after(1), "retryAfter"),
            (Fault::new().delay_ms(MAX_DELAY_MS + 1), "delayMs"),
        ] {
            let problem = fault.problem(OPS).expect("refused");
            assert!(problem.contains(expected), "{problem}");
        }
        for fault in [
            Fault::new(),
            Fault::new().operation("getCustomer").times(1).status(400),
            Fault::new()
                .status(599)
                .retry_after(0)
                .delay_ms(MAX_DELAY_MS),
            Fault::new().kind(FaultKind::DropAfterCommit),
        ] {
            assert_eq!(fault.problem(OPS), None, "{fault:?}");
        }
    }

    #[test]
    fn the_json_names_are_the_contracts() {
        let fault: Fault = serde_json::from_str(
            r#"{"operation":"getCustomer","times":1,"status":503,"retryAfter":2,"delayMs":5,"fault":"drop-after-commit"}"#,
        )
        .unwrap();
        assert_eq!(fault.fault, Some(FaultKind::DropAfterCommit));
        assert_eq!(fault.retry_after, Some(2));
        assert_eq!(fault.delay_ms, Some(5));
        let unknown = serde_json::from_str::<Fault>(r#"{"fault":"explode"}"#).unwrap_err();
        assert!(unknown.to_string().contains("explode"), "{unknown}");
    }
}
