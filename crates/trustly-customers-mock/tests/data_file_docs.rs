//! What the emulator says of its data file, in its README and `--help`, is what it keeps: a
//! SQLite database, described once. (The JSON-lines file of earlier versions is named only as
//! what is migrated; the README once also described it as the current format.)

use std::process::Command;

#[test]
fn the_data_file_is_described_once_as_sqlite() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let sections: Vec<&str> = readme
        .split("\n## ")
        .filter(|s| s.starts_with("The data file"))
        .collect();
    assert_eq!(sections.len(), 1, "one section on the data file");
    let section = sections[0];
    assert!(section.contains("SQLite database"), "{section}");
    for old_format in ["one customer per line", "one JSON object", "JSON lines"] {
        assert!(
            !readme.contains(old_format),
            "the README describes the old format: {old_format:?}"
        );
    }
    let help = Command::new(env!("CARGO_BIN_EXE_trustly-customers-mock"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8(help.stdout).unwrap();
    let data = help
        .lines()
        .find(|l| l.trim_start().starts_with("--data <FILE>"))
        .expect("--help describes --data");
    assert!(data.contains("a SQLite database"), "{data}");
    assert!(!help.contains("one customer per line"), "{help}");
    // And what the emulator writes is one: SQLite's header.
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mock-docs-data");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("customers.db");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let server = trustly_customers_mock::MockServer::start(trustly_customers_mock::Config {
            data: Some(path.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
        server.shutdown().await.unwrap();
    });
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"), "not a SQLite file");
}
