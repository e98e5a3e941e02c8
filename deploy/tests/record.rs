//! `carechain record hash`: the CLI side of the one record hash (docs/record-hash.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};

fn tool(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_carechain"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

const SALT: &str = "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

#[test]
fn a_json_record_hashes_as_its_canonical_form_with_the_given_salt() {
    let dir = std::env::temp_dir().join(format!("carechain-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("observation.json");
    std::fs::write(&file, "{\n  \"resourceType\": \"Observation\",\n  \"status\": \"final\",\n  \"valueQuantity\": { \"value\": 7.20, \"unit\": \"mmol/L\" }\n}\n").unwrap();
    let (code, out, err) = tool(&["record", "hash", file.to_str().unwrap(), "--salt", SALT], b"");
    assert_eq!(code, 0, "{err}");
    // The vector fhir-observation-pretty of vectors/record-hash.json.
    assert_eq!(
        out,
        format!("form: canonical JSON (RFC 8785)\nsalt: {SALT}\nhash: 0x599526315abc8f55b4a4bcc2175ec4647221331d08e7f3e08e8674ca7460eee0\n")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn standard_input_without_a_salt_gets_a_fresh_salt_each_time() {
    let run = || {
        let (code, out, err) = tool(&["record", "hash", "-", "--json"], b"%PDF-1.7 not json");
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["form"], "bytes");
        assert_eq!(v["salt"].as_str().unwrap().len(), 66);
        (v["salt"].as_str().unwrap().to_string(), v["hash"].as_str().unwrap().to_string())
    };
    let (a, b) = (run(), run());
    assert_ne!(a.0, b.0, "a fresh salt each time");
    assert_ne!(a.1, b.1, "so the same file gets another hash");
}

#[test]
fn a_bad_salt_or_a_missing_file_is_one_clear_line() {
    let (code, out, err) = tool(&["record", "hash", "-", "--salt", "0x1234"], b"x");
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(err, "error: `0x1234` is not a valid salt (32 bytes written as 64 hexadecimal digits)\n");
    let (code, _, err) = tool(&["record", "hash", "/nonexistent/record.json"], b"");
    assert_eq!(code, 1);
    assert!(err.starts_with("error: /nonexistent/record.json: No such file"), "{err}");
}
