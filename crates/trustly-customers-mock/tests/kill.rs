//! An answered change survives `kill -9` of the emulator at any moment: the binary is killed
//! while creates are under way, started again on the same data file, and every create it
//! answered is there, once. A reset killed at any moment leaves every customer or none.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{joe, scratch, with_data};
use serde_json::{Value, json};
use trustly_customers_mock::{Config, MockServer};

const BIN: &str = env!("CARGO_BIN_EXE_trustly-customers-mock");
const AUTH: (&str, &str) = ("local-access-id", "local-access-key");

/// Starts the binary on a free loopback port with `--data data`; its base URL.
fn start(data: &std::path::Path) -> (KillOnDrop, String) {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("http://127.0.0.1:"), "{line:?}");
    (KillOnDrop(child), line.trim().to_owned())
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answered_create_survives_kill_9() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mock-kill-9");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("customers.db");

    // Three rounds, each killed at a different moment of the load.
    let answered = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    for (round, after) in [(0, 150), (1, 400), (2, 40)] {
        let (mut child, url) = start(&data);
        let http = reqwest::Client::new();
        let mut writers = Vec::new();
        for writer in 0..16 {
            let (http, url, answered) = (http.clone(), url.clone(), answered.clone());
            writers.push(tokio::spawn(async move {
                for n in 0.. {
                    let external_id = format!("r{round}-w{writer}-{n}");
                    let sent = http
                        .post(format!("{url}/customers"))
                        .basic_auth(AUTH.0, Some(AUTH.1))
                        .json(&joe(Some(&external_id)))
                        .send()
                        .await;
                    // The kill ends the load: a connection error, or no answer.
                    let Ok(response) = sent else { return };
                    if response.status() != 200 {
                        return;
                    }
                    let Ok(body) = response.json::<Value>().await else {
                        return;
                    };
                    let id = body["customer"]["customerId"].as_str().unwrap().to_owned();
                    answered.lock().unwrap().push((external_id, id));
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(after)).await;
        child.0.kill().unwrap(); // SIGKILL
        child.0.wait().unwrap();
        for writer in writers {
            writer.await.unwrap();
        }
    }

    let (_child, url) = start(&data);
    let listed = list(&url).await;
    let stored: Vec<(String, String)> = listed["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["externalId"].as_str().unwrap().to_owned(),
                c["customerId"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let unique: HashSet<&(String, String)> = stored.iter().collect();
    assert_eq!(unique.len(), stored.len(), "no customer is stored twice");
    let answered = answered.lock().unwrap();
    assert!(
        answered.len() > 50,
        "the load ran: {} answered",
        answered.len()
    );
    for pair in answered.iter() {
        assert!(unique.contains(pair), "answered but lost: {pair:?}");
    }
}

/// How many customers the data file of the reset test holds: enough that deleting them takes
/// a few milliseconds, so that some kills land in the middle of the deletion.
const CUSTOMERS: usize = 3000;

/// A reset is one commit: killed before it is done, every customer is still in the data file;
/// after, none is. Never some. Each round kills the emulator a little later after the reset was
/// sent, on a copy of the same file.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_killed_at_any_moment_leaves_every_customer_or_none() {
    let dir = scratch("kill-reset");
    let seed = dir.join("seed.json");
    let customers: Vec<Value> = (0..CUSTOMERS)
        .map(|n| joe(Some(&format!("s{n}"))))
        .collect();
    std::fs::write(&seed, json!({ "customers": customers }).to_string()).unwrap();
    let full = dir.join("full.db");
    let seeding = Config {
        seed: Some(seed),
        ..with_data(&full)
    };
    MockServer::start(seeding)
        .await
        .unwrap()
        .shutdown()
        .await
        .unwrap();

    let mut outcomes = Vec::new();
    // Milliseconds after the reset is sent; `None`, once it is answered.
    let kills = [0, 2, 4, 6, 8, 10, 13, 16, 20, 30].map(Some);
    for (round, after) in kills.into_iter().chain([None]).enumerate() {
        let data = dir.join(format!("round-{round}.db"));
        std::fs::copy(&full, &data).unwrap();
        let (mut child, url) = start(&data);
        let admin = url.strip_suffix("/api/v1").unwrap().to_owned();
        let reset = tokio::spawn(async move {
            let sent = reqwest::Client::new()
                .post(format!("{admin}/__admin/reset"))
                .basic_auth(AUTH.0, Some(AUTH.1))
                .send()
                .await;
            sent.is_ok_and(|response| response.status() == 204)
        });
        match after {
            Some(after) => tokio::time::sleep(Duration::from_millis(after)).await,
            None => {
                while !reset.is_finished() {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            }
        }
        child.0.kill().unwrap(); // SIGKILL
        child.0.wait().unwrap();
        let answered = reset.await.unwrap();

        let (_child, url) = start(&data);
        let listed = list(&url).await;
        let left = listed["customers"].as_array().unwrap().len();
        assert!(
            left == 0 || left == CUSTOMERS,
            "killed {after:?} ms after the reset was sent: {left} customers of {CUSTOMERS} left"
        );
        assert!(
            !answered || left == 0,
            "a reset answered, then undone by the kill"
        );
        outcomes.push(left);
    }
    // Both sides were reached: killed before the commit (at once), and after it (at least
    // once answered).
    assert!(outcomes.contains(&CUSTOMERS), "{outcomes:?}");
    assert!(outcomes.contains(&0), "{outcomes:?}");
}

/// Kills the child if the test fails before it does.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// The list envelope the emulator at `url` answers `GET /customers` with.
async fn list(url: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{url}/customers"))
        .basic_auth(AUTH.0, Some(AUTH.1))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
