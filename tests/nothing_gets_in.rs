//! Nothing gets in: links open without a shell, TLS is verified, and a feed URL's password
//! stays out of errors, output and logs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use common::Sandbox;

#[test]
fn links_open_with_argv_never_a_shell() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("argv");
    let script = dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" > {}\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let pwned = dir.path().join("pwned");
    let url = format!(
        "https://x.test/a?b=1;touch${{IFS}}{};$(touch {})&c=`id`|x",
        pwned.display(),
        pwned.display()
    );
    byline::tui::jobs::open_url_with(&url, Some(script.as_os_str())).unwrap();
    let recorded = std::fs::read_to_string(&record).unwrap();
    let mut lines = recorded.lines();
    assert_eq!(lines.next(), Some("1"), "one argument: {recorded}");
    assert_eq!(
        lines.next(),
        Some(url.as_str()),
        "the URL itself, untouched"
    );
    assert!(!pwned.exists(), "no shell ran the URL");
    // and only web addresses are opened
    assert!(
        byline::tui::jobs::open_url_with("file:///etc/passwd", Some(script.as_os_str())).is_err()
    );
    assert!(
        byline::tui::jobs::open_url_with("javascript:alert(1)", Some(script.as_os_str())).is_err()
    );
}

#[test]
fn tls_is_verified() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output();
    if made.as_ref().map(|o| !o.status.success()).unwrap_or(true) {
        eprintln!("tls_is_verified: skipped (openssl could not make a certificate)");
        return;
    }
    let server = format!(
        "import http.server, ssl, sys\n\
         s = http.server.HTTPServer(('127.0.0.1', 0), http.server.SimpleHTTPRequestHandler)\n\
         c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain('{}', '{}')\n\
         s.socket = c.wrap_socket(s.socket, server_side=True)\n\
         print(s.server_address[1], flush=True)\n\
         s.serve_forever()\n",
        cert.display(),
        key.display()
    );
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(&server)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut port = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut port,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("feed.xml"),
        "<rss version=\"2.0\"><channel><title>T</title></channel></rss>",
    )
    .unwrap();
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"https://127.0.0.1:{}/feed.xml\"\nname = \"Self-signed\"\n",
        port.trim()
    ));
    let run = sandbox.byline(&["refresh"]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stdout.contains("Self-signed: error: could not connect"),
        "{run:?}"
    );
    assert!(
        run.stdout.to_lowercase().contains("certificate"),
        "says why: {run:?}"
    );
}

#[test]
fn passwords_in_feed_urls_stay_secret() {
    let sandbox = Sandbox::new();
    sandbox.write_config("[[feeds]]\nurl = \"http://reader:hunter2secret@127.0.0.1:9/feed\"\n");
    let out = Command::new(env!("CARGO_BIN_EXE_byline"))
        .args([
            "--config",
            sandbox.config().to_str().unwrap(),
            "--cache",
            sandbox.path("c.sqlite").to_str().unwrap(),
        ])
        .arg("refresh")
        .env("HOME", sandbox.dir.path())
        .env("BYLINE_LOG", "debug")
        .env("BYLINE_LOG_FILE", sandbox.path("byline.log"))
        .output()
        .unwrap();
    let mut everything = String::from_utf8_lossy(&out.stdout).into_owned();
    everything.push_str(&String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(3), "{everything}");
    for args in [
        &["feeds"][..],
        &["feeds", "--json"],
        &["list", "--json"],
        &["refresh", "--json"],
    ] {
        let run = sandbox.byline(args);
        everything.push_str(&run.stdout);
        everything.push_str(&run.stderr);
    }
    everything.push_str(&std::fs::read_to_string(sandbox.path("byline.log")).unwrap_or_default());
    assert!(
        everything.contains("127.0.0.1"),
        "the feed is there: {everything}"
    );
    assert!(
        !everything.contains("hunter2secret"),
        "the password leaked:\n{everything}"
    );
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(sandbox.path("byline.log"))
        .unwrap();
    writeln!(f).unwrap();
}
