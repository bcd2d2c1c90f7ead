//! Every file in tests/configs/invalid/ is a config with one mistake; its first line says
//! what the error must contain (`# expect: ...`). Each must exit 2 with one message that
//! names the file (and the line and column, where the expectation gives them).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

#[test]
fn invalid_configs_name_file_line_key_and_value() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 15, "the invalid configs are there");
    let home = tempfile::tempdir().unwrap();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no `# expect:` line", file.display()));
        let cache = home.path().join("cache.sqlite");
        let run = common::run_byline(
            &[
                "--config",
                file.to_str().unwrap(),
                "--cache",
                cache.to_str().unwrap(),
                "list",
            ],
            home.path(),
        );
        assert_eq!(run.code, 2, "{}: {run:?}", file.display());
        assert!(run.stdout.is_empty(), "{}: {run:?}", file.display());
        let first_line = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first_line.contains(&file.display().to_string()),
            "{}: names the file: {first_line}",
            file.display()
        );
        assert!(
            run.stderr.contains(expect),
            "{}: expected {expect:?} in\n{}",
            file.display(),
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    println!(
        "{} invalid configs, each refused with exit code 2 and its message",
        files.len()
    );
}
