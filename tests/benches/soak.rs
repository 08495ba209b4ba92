//! Load and soak test: the ergonomic client (`trustly_customers::Client`, with a retry policy)
//! against the emulator binary (`trustly-customers-mock --data FILE`) as a child process, with
//! a `kill -9` and a restart of the emulator half-way through. Method, mix and figures:
//! `benches/soak.md`.
//!
//! ```text
//! benches/soak.sh                     # builds the release emulator, then runs this
//! SOAK_OPS=10000 benches/soak.sh      # a short run
//! ```
//!
//! Settings (environment): `SOAK_OPS` (100000), `SOAK_CONCURRENCY` (64), `SOAK_SEED` (random,
//! printed), `SOAK_RETRIES` (8; 0 is the negative control: the calls cut by the kill must then
//! fail, and the run with them), `SOAK_EMULATOR` (the emulator binary; default:
//! `trustly-customers-mock` in the same target profile directory as this binary), `SOAK_DIR`
//! (scratch space; default `target/bench-soak`).
//!
//! Exits non-zero when any call finally failed, any answer was inconsistent, an acknowledged
//! create is missing or duplicated, or resident memory grew in the second half beyond the
//! tolerance.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};
use tokio::sync::Notify;
use trustly_customers::{
    Address, Client, Credentials, CustomerId, CustomerPatch, ExternalId, NewCustomer, RetryPolicy,
};
use trustly_customers_mock::{DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY};

/// The retry policy the bench's client is built with. The restart (kill, reap, start, open the
/// data file, bind) takes tens to hundreds of milliseconds; with these settings the client
/// keeps retrying for at least 2.75 s ([`least_total_wait`]), so a restart on a busy machine
/// is still covered, and gives up within seconds if the emulator never comes back.
const RETRIES: u32 = 8;
const RETRY_BASE: Duration = Duration::from_millis(100);
const RETRY_MAX: Duration = Duration::from_secs(1);

/// The least total wait before the client gives up after `retries` retries: half of each
/// capped, doubling delay (the policy's jitter never goes below half).
fn least_total_wait(retries: u32) -> Duration {
    (0..retries)
        .map(|retry| RETRY_BASE.saturating_mul(1 << retry.min(20)).min(RETRY_MAX) / 2)
        .sum()
}

/// Resident memory may grow this much over the second half, per process: the larger of an
/// absolute and a relative allowance. 4 MiB over 40,000 operations would be a leak of about
/// 100 bytes per operation, the smallest this bench means to catch; the relative part allows
/// for allocator arenas settling in a larger process.
const RSS_TOLERANCE_KIB: u64 = 4 * 1024;
const RSS_TOLERANCE_PERCENT: u64 = 10;

/// How often resident memory is read.
const SAMPLE_EVERY: Duration = Duration::from_millis(250);

/// The operations of the mix. A create-or-update names its customer by `externalId` (the
/// query parameter), so the client retries it (`x-idempotent-when-given`): a repeat after a
/// cut connection updates the customer the first attempt may have created, never a second
/// one. Update by id is a read (`GET`) and a whole-record write (`x-idempotent`); get and
/// list are `GET`s. A create-or-update naming no customer is left out: the client never
/// retries it once it may have reached the server (it could create a second customer), so
/// a call in flight at the kill would fail by design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    /// Create-or-update naming a new customer by a fresh `externalId`: an acknowledged create
    /// when it succeeds.
    Create = 0,
    /// Get by id of a known customer.
    Get = 1,
    /// List filtered by the `externalId` of a known customer.
    Find = 2,
    /// Update by id (`Client::update_customer`: read, change the phone, send back).
    Update = 3,
    /// Create-or-update naming a known customer by its `externalId`: must update it.
    Upsert = 4,
}

const OPS: [Op; 5] = [Op::Create, Op::Get, Op::Find, Op::Update, Op::Upsert];

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Create => "create (new externalId)",
            Op::Get => "get by id",
            Op::Find => "list by externalId",
            Op::Update => "update by id",
            Op::Upsert => "create-or-update existing",
        }
    }

    /// Weights out of 100 before the restart (the store grows) and after it (a steady
    /// state: no new customers, so the emulator's memory has no reason to grow).
    fn weights(self) -> (u32, u32) {
        match self {
            Op::Create => (25, 0),
            Op::Get => (35, 35),
            Op::Find => (20, 20),
            Op::Update => (15, 15),
            Op::Upsert => (5, 5),
        }
    }
}

fn choose(rng: &mut fastrand::Rng, steady: bool) -> Op {
    let weight = |op: Op| {
        let (growth, later) = op.weights();
        if steady { later } else { growth }
    };
    let total: u32 = OPS.iter().map(|&op| weight(op)).sum();
    let mut x = rng.u32(0..total);
    for op in OPS {
        if x < weight(op) {
            return op;
        }
        x -= weight(op);
    }
    unreachable!("x is below the sum of the weights")
}

struct Settings {
    ops: usize,
    concurrency: usize,
    seed: u64,
    retries: u32,
    emulator: PathBuf,
    dir: PathBuf,
}

impl Settings {
    fn from_env() -> Result<Settings, String> {
        let number = |name: &str, default: u64| -> Result<u64, String> {
            match std::env::var(name) {
                Ok(v) => v
                    .trim()
                    .parse()
                    .map_err(|_| format!("{name} must be a whole number")),
                Err(_) => Ok(default),
            }
        };
        let ops = number("SOAK_OPS", 100_000)? as usize;
        let concurrency = number("SOAK_CONCURRENCY", 64)? as usize;
        if ops < 1_000 || concurrency == 0 {
            return Err("SOAK_OPS must be at least 1000 and SOAK_CONCURRENCY at least 1".into());
        }
        let seed = number("SOAK_SEED", fastrand::u64(..))?;
        let retries = number("SOAK_RETRIES", u64::from(RETRIES))?
            .try_into()
            .map_err(|_| "SOAK_RETRIES is too large")?;
        let emulator = match std::env::var_os("SOAK_EMULATOR") {
            Some(path) => PathBuf::from(path),
            // This binary is `<target>/<profile>/deps/soak-HASH`; the emulator built with the
            // same profile is `<target>/<profile>/trustly-customers-mock`.
            None => std::env::current_exe()
                .map_err(|e| format!("cannot find this binary: {e}"))?
                .parent()
                .and_then(Path::parent)
                .ok_or("cannot find the target directory")?
                .join("trustly-customers-mock"),
        };
        let dir = match std::env::var_os("SOAK_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-soak"),
        };
        Ok(Settings {
            ops,
            concurrency,
            seed,
            retries,
            emulator,
            dir,
        })
    }
}

/// The emulator as a child process. Dropping it kills the process (`SIGKILL`), so every way
/// out of the bench (an error, a panic, Ctrl-C) stops it.
struct Emulator {
    child: Child,
    pid: u32,
    base_url: String,
    /// Held open: the emulator's stdout is a pipe, and closing our end would make a later
    /// write to it fail.
    _stdout: BufReader<ChildStdout>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Does nothing once the process has been reaped.
        let _ = self.child.start_kill();
    }
}

impl Emulator {
    /// Starts the emulator on `listen` with `--data data`, and waits for the base URL it
    /// prints first. Its stderr goes to `log`.
    async fn start(bin: &Path, listen: &str, data: &Path, log: &Path) -> Result<Emulator, String> {
        let stderr = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
        let mut child = Command::new(bin)
            .arg("--listen")
            .arg(listen)
            .arg("--data")
            .arg(data)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let pid = child.id().ok_or("the emulator exited at once")?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout pipe")?);
        let mut line = String::new();
        // Opening a large data file on a busy machine can take a while.
        let read = tokio::time::timeout(Duration::from_secs(60), stdout.read_line(&mut line)).await;
        let base_url = line.trim().to_owned();
        if !matches!(read, Ok(Ok(n)) if n > 0) || !base_url.starts_with("http://127.0.0.1:") {
            let _ = child.start_kill();
            let status = child.wait().await.ok();
            return Err(format!(
                "the emulator printed no base URL on 127.0.0.1 (exit status {status:?}; its \
                 stderr is in {})",
                log.display()
            ));
        }
        Ok(Emulator {
            child,
            pid,
            base_url,
            _stdout: stdout,
        })
    }

    /// The `ADDR` of `http://ADDR/api/v1`, to restart on the same address.
    fn listen_addr(&self) -> &str {
        let rest = self.base_url.trim_start_matches("http://");
        rest.split('/').next().unwrap_or(rest)
    }

    /// `kill -9`, and wait until the process is gone.
    async fn kill(mut self) -> Result<(), String> {
        self.child
            .start_kill()
            .map_err(|e| format!("cannot kill the emulator: {e}"))?;
        self.child
            .wait()
            .await
            .map_err(|e| format!("cannot reap the emulator: {e}"))?;
        Ok(())
    }

    /// `SIGTERM` (the emulator answers what is under way and writes every change), and its
    /// exit code. `kill(1)`, because signalling a process from Rust's standard library
    /// means `SIGKILL` only.
    async fn stop(mut self) -> Result<Option<i32>, String> {
        let sent = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(self.pid.to_string())
            .status()
            .map_err(|e| format!("cannot run kill: {e}"))?;
        if !sent.success() {
            return Err("kill -TERM failed".into());
        }
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(Ok(status)) => Ok(status.code()),
            Ok(Err(e)) => Err(format!("cannot reap the emulator: {e}")),
            Err(_) => Err("the emulator did not stop within 30 s of SIGTERM".into()),
        }
    }
}

/// Retries as the client reports them through `tracing` (target `trustly_customers`): every
/// attempt logs one event, `info` with a `retry_in_ms` field when the call will try again,
/// else `debug` (the call's last attempt, whether it succeeded or gave up). A subscriber is
/// how an application would watch them too. The events are told apart by their fields, so
/// nothing is formatted on the way.
struct RetryWatch {
    next_span: AtomicU64,
}

/// Set while the emulator is down (from the kill until the restarted one printed its URL).
static DOWN: AtomicBool = AtomicBool::new(false);
static CALLS: AtomicU64 = AtomicU64::new(0);
static CALLS_RETRIED: AtomicU64 = AtomicU64::new(0);
static RETRIES_WHILE_DOWN: AtomicU64 = AtomicU64::new(0);
static RETRIES_OTHERWISE: AtomicU64 = AtomicU64::new(0);
/// Retried attempts by the failure's `kind` (rare: a map behind a lock is cheap enough).
static RETRY_KINDS: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());

impl tracing::Subscriber for RetryWatch {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target() == "trustly_customers"
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        #[derive(Default)]
        struct Attempt {
            number: u64,
            kind: String,
        }
        impl tracing::field::Visit for Attempt {
            fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
                if field.name() == "attempt" {
                    self.number = value;
                }
            }
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
                if field.name() == "kind" {
                    self.kind = format!("{value:?}");
                }
            }
        }
        let fields = event.metadata().fields();
        if fields.field("attempt").is_none() {
            return;
        }
        if fields.field("retry_in_ms").is_none() {
            // The last attempt of a call.
            CALLS.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let mut attempt = Attempt::default();
        event.record(&mut attempt);
        if attempt.number == 1 {
            CALLS_RETRIED.fetch_add(1, Ordering::Relaxed);
        }
        if DOWN.load(Ordering::Relaxed) {
            RETRIES_WHILE_DOWN.fetch_add(1, Ordering::Relaxed);
        } else {
            RETRIES_OTHERWISE.fetch_add(1, Ordering::Relaxed);
        }
        *RETRY_KINDS.lock().unwrap().entry(attempt.kind).or_default() += 1;
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// A customer whose create was acknowledged.
#[derive(Clone)]
struct Known {
    id: CustomerId,
    external_id: ExternalId,
}

/// What the workers share.
struct Shared {
    client: Client,
    ops: usize,
    kill_at: usize,
    /// The next operation to start.
    next: AtomicUsize,
    /// Operations finished.
    done: AtomicUsize,
    /// Notified when `kill_at` operations are done.
    half: Notify,
    /// After the restart: no more creates.
    steady: AtomicBool,
    /// Acknowledged creates, in the order they were acknowledged.
    known: RwLock<Vec<Known>>,
    /// Creates sent (each with a new `externalId`).
    creates_sent: AtomicUsize,
    run_tag: String,
    /// Per operation: its latency in microseconds (`u32::MAX` until done) and its kind.
    latency_us: Vec<AtomicU32>,
    kind: Vec<AtomicU8>,
    failures: Mutex<Failures>,
}

#[derive(Default)]
struct Failures {
    by_op: BTreeMap<Op, usize>,
    /// The first few messages: an `Error`'s `Display` never carries personal data, and the
    /// bench's own messages name no value.
    first: Vec<String>,
}

impl Shared {
    fn fail(&self, op: Op, message: String) {
        let mut failures = self.failures.lock().unwrap();
        *failures.by_op.entry(op).or_default() += 1;
        if failures.first.len() < 20 {
            failures.first.push(format!("{}: {message}", op.name()));
        }
    }

    fn pick(&self, rng: &mut fastrand::Rng) -> Option<Known> {
        let known = self.known.read().unwrap();
        (!known.is_empty()).then(|| known[rng.usize(..known.len())].clone())
    }
}

fn new_customer(n: u64, rng: &mut fastrand::Rng) -> NewCustomer {
    NewCustomer::new(
        format!("Soak Customer {n}"),
        Address::new("US")
            .address1("2000 Broadway St")
            .city("Redwood City")
            .state("CA")
            .zip("94063"),
        phone(rng),
        format!("soak{n}@example.com"),
    )
}

fn phone(rng: &mut fastrand::Rng) -> String {
    format!("+1650555{:04}", rng.u32(0..10_000))
}

/// One operation; `Err` names what went wrong without any customer's data.
async fn run_op(shared: &Shared, op: Op, rng: &mut fastrand::Rng) -> Result<(), String> {
    let client = &shared.client;
    let target = match op {
        Op::Create => None,
        _ => Some(shared.pick(rng).ok_or("no customer known yet")?),
    };
    match (op, target) {
        (Op::Create, _) => {
            let n = shared.creates_sent.fetch_add(1, Ordering::Relaxed) as u64;
            let external_id = ExternalId::from(format!("soak-{}-{n}", shared.run_tag));
            let customer = client
                .upsert_customer_by_external_id(&external_id, &new_customer(n, rng))
                .await
                .map_err(|e| e.to_string())?;
            if customer.external_id.value() != Some(&external_id) {
                return Err("the answer is another customer".into());
            }
            let id = customer.customer_id.ok_or("the answer has no customerId")?;
            shared
                .known
                .write()
                .unwrap()
                .push(Known { id, external_id });
        }
        (Op::Get, Some(k)) => {
            let customer = client
                .get_customer(&k.id)
                .await
                .map_err(|e| e.to_string())?;
            if customer.external_id.value() != Some(&k.external_id) {
                return Err("the answer is another customer".into());
            }
        }
        (Op::Find, Some(k)) => {
            let found = client
                .list_customers(None, Some(&k.external_id))
                .await
                .map_err(|e| e.to_string())?;
            if found.len() != 1 || found[0].customer_id.as_ref() != Some(&k.id) {
                return Err(format!(
                    "{} customers answered, expected the one created",
                    found.len()
                ));
            }
        }
        (Op::Update, Some(k)) => {
            let patch = CustomerPatch::new().phone(phone(rng));
            let customer = client
                .update_customer(&k.id, &patch)
                .await
                .map_err(|e| e.to_string())?;
            if customer.customer_id.as_ref() != Some(&k.id) {
                return Err("the answer is another customer".into());
            }
        }
        (Op::Upsert, Some(k)) => {
            let n = rng.u64(..1_000_000);
            let customer = client
                .upsert_customer_by_external_id(&k.external_id, &new_customer(n, rng))
                .await
                .map_err(|e| e.to_string())?;
            if customer.customer_id.as_ref() != Some(&k.id) {
                return Err("the answer is another customer than the one named".into());
            }
        }
        (_, None) => unreachable!("only a create has no target"),
    }
    Ok(())
}

async fn worker(shared: Arc<Shared>, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    loop {
        let i = shared.next.fetch_add(1, Ordering::Relaxed);
        if i >= shared.ops {
            break;
        }
        let steady = shared.steady.load(Ordering::Relaxed);
        let mut op = choose(&mut rng, steady);
        if op != Op::Create && shared.known.read().unwrap().is_empty() {
            op = Op::Create;
        }
        let started = Instant::now();
        let outcome = run_op(&shared, op, &mut rng).await;
        let us = started.elapsed().as_micros().min(u128::from(u32::MAX - 1)) as u32;
        shared.latency_us[i].store(us, Ordering::Relaxed);
        shared.kind[i].store(op as u8, Ordering::Relaxed);
        if let Err(message) = outcome {
            shared.fail(op, message);
        }
        if shared.done.fetch_add(1, Ordering::AcqRel) + 1 == shared.kill_at {
            shared.half.notify_one();
        }
    }
}

#[derive(Clone, Copy)]
struct Sample {
    done: usize,
    bench: Memory,
    emulator: Option<Memory>,
    /// 0: the first emulator process, 1: the one restarted mid-run.
    generation: u32,
}

/// A process's resident memory, in KiB: all of it (`VmRSS`), and the part that is not a
/// mapped file (`RssAnon`: the heap, stacks, and caches such as SQLite's pages), so that
/// growth can be told apart from a mapped file being read in.
#[derive(Clone, Copy, Default)]
struct Memory {
    rss: u64,
    anon: u64,
}

fn memory(pid: &str) -> Option<Memory> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
    };
    Some(Memory {
        rss: field("VmRSS:")?,
        anon: field("RssAnon:").unwrap_or(0),
    })
}

struct Watch {
    /// The emulator's pid, 0 while it is down.
    pid: AtomicU32,
    generation: AtomicU32,
    samples: Mutex<Vec<Sample>>,
}

impl Watch {
    fn sample(&self, done: usize) {
        let pid = self.pid.load(Ordering::Acquire);
        let sample = Sample {
            done,
            bench: memory("self").unwrap_or_default(),
            emulator: (pid != 0).then(|| memory(&pid.to_string())).flatten(),
            generation: self.generation.load(Ordering::Acquire),
        };
        self.samples.lock().unwrap().push(sample);
    }
}

fn percentile(sorted: &[u32], p: usize) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(us: u32) -> String {
    format!("{:.1} ms", f64::from(us) / 1e3)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// What the list of every customer says about the acknowledged creates.
struct Census {
    customers: usize,
    acknowledged: usize,
    found: usize,
    missing: usize,
    wrong_id: usize,
    duplicate_external_ids: usize,
    duplicate_ids: usize,
    unexpected: usize,
}

impl Census {
    fn ok(&self) -> bool {
        self.found == self.acknowledged
            && self.missing + self.wrong_id + self.duplicate_external_ids + self.duplicate_ids == 0
            && self.unexpected == 0
    }
}

impl fmt::Display for Census {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} customers listed; acknowledged creates {}, found once with their customerId {}, \
             missing {}, under another customerId {}; externalIds listed twice {}, customerIds \
             listed twice {}, customers no create acknowledged {}",
            self.customers,
            self.acknowledged,
            self.found,
            self.missing,
            self.wrong_id,
            self.duplicate_external_ids,
            self.duplicate_ids,
            self.unexpected
        )
    }
}

/// Lists every customer and checks each acknowledged create is there exactly once, under the
/// `customerId` its create answered, and that nothing else is.
async fn census(base_url: &str, known: &[Known]) -> Result<Census, String> {
    // The list of every customer outgrows the client's default 4 MiB cap on a response body
    // (about 340 bytes a customer: 12,688 of them are 4.3 MB): this client lifts it.
    let client = Client::builder(Credentials::new(DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY))
        .base_url(base_url)
        .max_response_bytes(None)
        .build()
        .map_err(|e| e.to_string())?;
    let all = client
        .list_customers(None, None)
        .await
        .map_err(|e| format!("listing every customer: {e}"))?;
    let mut by_external: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut ids = HashSet::new();
    let mut duplicate_ids = 0;
    for c in &all {
        let id = c.customer_id.as_deref().map_or("", String::as_str);
        if !ids.insert(id) {
            duplicate_ids += 1;
        }
        let external = c.external_id.value().map_or("", |e| e.as_str());
        by_external.entry(external).or_default().push(id);
    }
    let duplicate_external_ids = by_external.values().filter(|v| v.len() > 1).count();
    let (mut found, mut missing, mut wrong_id) = (0, 0, 0);
    for k in known {
        match by_external.get(k.external_id.as_str()).map(Vec::as_slice) {
            None => missing += 1,
            Some([id]) if *id == k.id.as_str() => found += 1,
            Some(_) => wrong_id += 1,
        }
    }
    Ok(Census {
        customers: all.len(),
        acknowledged: known.len(),
        found,
        missing,
        wrong_id,
        duplicate_external_ids,
        duplicate_ids,
        unexpected: all.len().saturating_sub(known.len()),
    })
}

struct Checks(Vec<(String, bool)>);

impl Checks {
    fn check(&mut self, what: impl Into<String>, ok: bool) {
        self.0.push((what.into(), ok));
    }
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

async fn run(settings: Settings) -> Result<bool, String> {
    let Settings {
        ops,
        concurrency,
        seed,
        retries,
        emulator: bin,
        dir,
    } = settings;
    if !bin.is_file() {
        return Err(format!(
            "no emulator binary at {} (benches/soak.sh builds it; or set SOAK_EMULATOR)",
            bin.display()
        ));
    }
    // A fresh directory for the data file: whatever files the emulator's store keeps next
    // to it go too, whatever their format.
    let data_dir = dir.join("soak-data");
    if data_dir.exists() {
        fs::remove_dir_all(&data_dir)
            .map_err(|e| format!("cannot clear {}: {e}", data_dir.display()))?;
    }
    fs::create_dir_all(&data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let data = data_dir.join("customers");
    let log = dir.join("emulator.log");
    let _ = fs::remove_file(&log);

    println!("# soak: {ops} operations, {concurrency} at a time, seed {seed}");
    println!("load average before: {}", load_average());

    let emulator = Emulator::start(&bin, "127.0.0.1:0", &data, &log).await?;
    let listen = emulator.listen_addr().to_owned();
    let base_url = emulator.base_url.clone();

    // Built as an application would, with the retry policy set through the builder.
    let client = Client::builder(Credentials::new(DEFAULT_ACCESS_ID, DEFAULT_ACCESS_KEY))
        .base_url(&base_url)
        .retry_policy(
            RetryPolicy::default()
                .max_retries(retries)
                .base_delay(RETRY_BASE)
                .max_delay(RETRY_MAX),
        )
        .build()
        .map_err(|e| e.to_string())?;

    let kill_at = ops / 2;
    let shared = Arc::new(Shared {
        client,
        ops,
        kill_at,
        next: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
        half: Notify::new(),
        steady: AtomicBool::new(false),
        known: RwLock::new(Vec::with_capacity(ops / 2)),
        creates_sent: AtomicUsize::new(0),
        run_tag: format!("{seed:x}"),
        // Written now (not left to the allocator's zeroed pages), so filling them in during
        // the run does not show as growth.
        latency_us: (0..ops).map(|_| AtomicU32::new(u32::MAX)).collect(),
        kind: (0..ops).map(|_| AtomicU8::new(u8::MAX)).collect(),
        failures: Mutex::new(Failures::default()),
    });
    let watch = Arc::new(Watch {
        pid: AtomicU32::new(emulator.pid),
        generation: AtomicU32::new(0),
        samples: Mutex::new(Vec::with_capacity(64 * 1024)),
    });

    let sampler = {
        let (watch, shared) = (watch.clone(), shared.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(SAMPLE_EVERY);
            loop {
                tick.tick().await;
                watch.sample(shared.done.load(Ordering::Relaxed));
            }
        })
    };

    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|w| {
            tokio::spawn(worker(
                shared.clone(),
                seed ^ (w as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            ))
        })
        .collect();

    // Half-way: kill -9 with calls in flight, restart on the same address and data file.
    shared.half.notified().await;
    let killed_at = started.elapsed();
    let in_flight =
        shared.next.load(Ordering::Relaxed).min(ops) - shared.done.load(Ordering::Relaxed);
    DOWN.store(true, Ordering::Relaxed);
    watch.pid.store(0, Ordering::Release);
    let kill_started = Instant::now();
    emulator.kill().await?;
    let emulator = Emulator::start(&bin, &listen, &data, &log).await?;
    let downtime = kill_started.elapsed();
    watch.generation.store(1, Ordering::Release);
    watch.pid.store(emulator.pid, Ordering::Release);
    DOWN.store(false, Ordering::Relaxed);
    shared.steady.store(true, Ordering::Relaxed);
    let growth_ops = shared.next.load(Ordering::Relaxed).min(ops);

    for w in workers {
        w.await.map_err(|e| format!("a worker panicked: {e}"))?;
    }
    let elapsed = started.elapsed();
    sampler.abort();
    // Cancelled, and so no longer holding its share of the state.
    let _ = sampler.await;
    // The last sample: right after the last operation, before the checks below load either
    // process.
    watch.sample(ops);
    println!("load average after: {}", load_average());

    let mut checks = Checks(Vec::new());
    let shared = Arc::into_inner(shared).ok_or("a worker still holds the shared state")?;
    let known = shared.known.into_inner().unwrap();
    let failures = shared.failures.into_inner().unwrap();

    // Throughput and latency.
    let lat: Vec<u32> = shared
        .latency_us
        .iter()
        .map(|a| a.load(Ordering::Relaxed))
        .collect();
    let kinds: Vec<u8> = shared
        .kind
        .iter()
        .map(|a| a.load(Ordering::Relaxed))
        .collect();
    let unrecorded = lat.iter().filter(|&&l| l == u32::MAX).count();
    checks.check(
        format!("every operation ran ({unrecorded} did not)"),
        unrecorded == 0,
    );
    let second_secs = (elapsed - killed_at).as_secs_f64();
    println!("\n## throughput");
    println!(
        "total            {ops} operations in {:.1} s: {:.0} ops/s",
        elapsed.as_secs_f64(),
        ops as f64 / elapsed.as_secs_f64()
    );
    println!(
        "first half       {kill_at} in {:.1} s: {:.0} ops/s",
        killed_at.as_secs_f64(),
        kill_at as f64 / killed_at.as_secs_f64()
    );
    println!(
        "second half      {} in {:.1} s: {:.0} ops/s (the restart included)",
        ops - kill_at,
        second_secs,
        (ops - kill_at) as f64 / second_secs
    );

    println!("\n## latency per operation (a whole call: every attempt and the waits between)");
    println!(
        "{:<28} {:>8} {:>9} {:>9} {:>10}",
        "operation", "count", "p50", "p99", "max"
    );
    let mut all: Vec<u32> = lat.iter().copied().filter(|&l| l != u32::MAX).collect();
    all.sort_unstable();
    for op in OPS {
        let mut v: Vec<u32> = lat
            .iter()
            .zip(&kinds)
            .filter(|&(&l, &k)| l != u32::MAX && k == op as u8)
            .map(|(&l, _)| l)
            .collect();
        v.sort_unstable();
        println!(
            "{:<28} {:>8} {:>9} {:>9} {:>10}",
            op.name(),
            v.len(),
            ms(percentile(&v, 50)),
            ms(percentile(&v, 99)),
            ms(v.last().copied().unwrap_or(0))
        );
    }
    println!(
        "{:<28} {:>8} {:>9} {:>9} {:>10}",
        "all",
        all.len(),
        ms(percentile(&all, 50)),
        ms(percentile(&all, 99)),
        ms(all.last().copied().unwrap_or(0))
    );
    // The share of each operation among `kinds`, as "name N%".
    let shares = |kinds: &[u8]| -> Vec<String> {
        OPS.iter()
            .map(|&op| {
                let n = kinds.iter().filter(|&&k| k == op as u8).count();
                let share = 100.0 * n as f64 / kinds.len().max(1) as f64;
                format!("{} {share:.1}%", op.name())
            })
            .collect()
    };
    let growth_share = shares(&kinds[..growth_ops]);
    let steady_share = shares(&kinds[growth_ops..]);
    println!(
        "mix before the restart ({growth_ops} operations): {}",
        growth_share.join(", ")
    );
    println!(
        "mix after it ({} operations): {}",
        ops - growth_ops,
        steady_share.join(", ")
    );

    // The restart and the retries.
    let calls = CALLS.load(Ordering::Relaxed);
    let retried = CALLS_RETRIED.load(Ordering::Relaxed);
    let while_down = RETRIES_WHILE_DOWN.load(Ordering::Relaxed);
    let otherwise = RETRIES_OTHERWISE.load(Ordering::Relaxed);
    let kinds_seen: Vec<String> = RETRY_KINDS
        .lock()
        .unwrap()
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let failed: usize = failures.by_op.values().sum();
    println!("\n## the restart");
    println!(
        "kill -9 after    {kill_at} operations done, at {:.1} s, {in_flight} in flight",
        killed_at.as_secs_f64()
    );
    println!(
        "down for         {} ms (kill, reap, start, open the data file, print the URL)",
        downtime.as_millis()
    );
    let coverage = least_total_wait(retries);
    println!(
        "retry policy     {retries} retries, {} ms base, {} ms cap: keeps trying for at least {} ms",
        RETRY_BASE.as_millis(),
        RETRY_MAX.as_millis(),
        coverage.as_millis()
    );
    println!("client calls     {calls} (an update by id is two: read, then write)");
    println!("calls retried    {retried}");
    println!(
        "retries          {} ({while_down} while the emulator was down, {otherwise} otherwise); by kind: {}",
        while_down + otherwise,
        if kinds_seen.is_empty() {
            "none".into()
        } else {
            kinds_seen.join(", ")
        }
    );
    println!("calls failed     {failed}");
    for (op, n) in &failures.by_op {
        println!("  {:<26} {n}", op.name());
    }
    for message in &failures.first {
        println!("  {message}");
    }
    checks.check(
        format!("no call finally failed ({failed} did)"),
        failed == 0,
    );
    checks.check(
        format!(
            "the restart ({} ms) within the retry policy's least coverage ({} ms)",
            downtime.as_millis(),
            coverage.as_millis()
        ),
        downtime < coverage,
    );

    // Memory over the second half: from a tenth of the run after the kill (the new process
    // has loaded the data file, the connection pool is back, the allocator has settled) to
    // the end. The emulator's figures are the restarted process's.
    let samples = watch.samples.lock().unwrap().clone();
    let from = kill_at + ops / 10;
    let window: Vec<Sample> = samples
        .iter()
        .copied()
        .filter(|s| s.generation == 1 && s.done >= from)
        .collect();
    println!("\n## resident memory (VmRSS; RssAnon, the part that is no mapped file)");
    println!("{:>10} {:>22} {:>22}", "ops done", "bench", "emulator");
    let both = |m: Memory| format!("{} ({})", mib(m.rss), mib(m.anon));
    let mut last_printed = None;
    for s in &samples {
        let bucket = s.done * 10 / ops;
        if last_printed != Some(bucket) || s.done == ops {
            last_printed = Some(bucket);
            println!(
                "{:>10} {:>22} {:>22}",
                s.done,
                both(s.bench),
                s.emulator.map_or("down".into(), both)
            );
        }
    }
    // Every sample, for a closer look or a plot.
    let csv = dir.join("rss.csv");
    let mut rows = String::from(
        "ops_done,generation,bench_rss_kib,bench_anon_kib,emulator_rss_kib,emulator_anon_kib\n",
    );
    for s in &samples {
        let e = s.emulator.map_or((String::new(), String::new()), |m| {
            (m.rss.to_string(), m.anon.to_string())
        });
        rows.push_str(&format!(
            "{},{},{},{},{},{}\n",
            s.done, s.generation, s.bench.rss, s.bench.anon, e.0, e.1
        ));
    }
    fs::write(&csv, rows).map_err(|e| format!("cannot write {}: {e}", csv.display()))?;
    println!("every sample: {}", csv.display());
    let emulator_window: Vec<(usize, Memory)> = window
        .iter()
        .filter_map(|s| Some((s.done, s.emulator?)))
        .collect();
    let bench_window: Vec<(usize, Memory)> = window.iter().map(|s| (s.done, s.bench)).collect();
    for (name, values) in [("bench", bench_window), ("emulator", emulator_window)] {
        let (Some(&(first_done, first)), Some(&(last_done, last))) =
            (values.first(), values.last())
        else {
            checks.check(
                format!("{name}: memory samples in the second half (run longer)"),
                false,
            );
            continue;
        };
        let tolerance = RSS_TOLERANCE_KIB.max(first.rss * RSS_TOLERANCE_PERCENT / 100);
        // At each quarter of the window: growth that slows down (settling) reads differently
        // from growth at a steady rate (a leak).
        let quarters: Vec<String> = (0..=4)
            .map(|q| {
                let (done, m) = values[(values.len() - 1) * q / 4];
                format!("{done}: {}", both(m))
            })
            .collect();
        println!(
            "{name:<9} second half, {} samples: start {} (anon {}), end {} (anon {}), min {}, max {}; allowed growth {}",
            values.len(),
            mib(first.rss),
            mib(first.anon),
            mib(last.rss),
            mib(last.anon),
            mib(values.iter().map(|(_, m)| m.rss).min().unwrap_or(0)),
            mib(values.iter().map(|(_, m)| m.rss).max().unwrap_or(0)),
            mib(tolerance)
        );
        println!(
            "{:<9} by quarter (ops done: RSS (anon)): {}",
            "",
            quarters.join(", ")
        );
        checks.check(
            format!(
                "{name} RSS flat over the second half (ops {first_done}..{last_done}): {} -> {} (at most +{})",
                mib(first.rss),
                mib(last.rss),
                mib(tolerance)
            ),
            first.rss > 0 && last.rss <= first.rss + tolerance,
        );
    }

    // Every acknowledged create, exactly once: on the running emulator, then after a second
    // kill -9 and restart (what a crash right after the run would leave).
    println!("\n## acknowledged creates");
    let creates_sent = shared.creates_sent.load(Ordering::Relaxed);
    println!(
        "creates sent     {creates_sent}, acknowledged {}",
        known.len()
    );
    let live = census(&base_url, &known).await?;
    println!("live             {live}");
    checks.check(
        "every acknowledged create listed once, nothing else (live)",
        live.ok(),
    );
    emulator.kill().await?;
    let emulator = Emulator::start(&bin, &listen, &data, &log).await?;
    let after = census(&base_url, &known).await?;
    println!("after kill -9    {after}");
    checks.check(
        "every acknowledged create listed once, nothing else (after a second kill -9)",
        after.ok(),
    );
    let code = emulator.stop().await?;
    checks.check(
        format!("the emulator stops cleanly on SIGTERM (exit code {code:?})"),
        code == Some(0),
    );

    println!("\n## checks");
    let mut all_ok = true;
    for (what, ok) in &checks.0 {
        println!("{} {what}", if *ok { "ok    " } else { "FAILED" });
        all_ok &= ok;
    }
    Ok(all_ok)
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and must not start a
    // run of minutes.
    if !std::env::args().any(|a| a == "--bench") {
        println!("soak: a benchmark; run it with benches/soak.sh");
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("soak: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = tracing::subscriber::set_global_default(RetryWatch {
        next_span: AtomicU64::new(0),
    }) {
        eprintln!("soak: cannot install the retry counter: {e}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("soak: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Ctrl-C or SIGTERM drops the run, and with it the emulator guard (which kills it).
    let outcome = runtime.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(|e| format!("cannot watch SIGTERM: {e}"))?;
        tokio::select! {
            outcome = run(settings) => outcome,
            _ = tokio::signal::ctrl_c() => Err("interrupted".to_owned()),
            _ = term.recv() => Err("terminated".to_owned()),
        }
    });
    // Tasks still running (the sampler, workers after an error) end with the runtime.
    drop(runtime);
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("soak: a check failed (see above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("soak: {e}");
            ExitCode::FAILURE
        }
    }
}
