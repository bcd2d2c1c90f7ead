//! The reader as a person uses it: the real binary in a tmux pane against the fixture site.
//! Keys go in with `send-keys`, the screen comes out with `capture-pane`. After quitting, the
//! shell in the pane must work normally again (no raw mode, no alternate screen left).
//!
//! Needs tmux (`.ci/run` installs it) and BYLINE_FIXTURE_SITE; skipped, saying so, without.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{FixtureSite, Sandbox};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, width: u16, height: u16) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tui end-to-end test skipped: tmux is not installed");
            return None;
        }
        // one private tmux server per test: tests run in parallel
        let socket = format!("byline-{name}-{}", std::process::id());
        let t = Tmux { socket };
        let ok = t
            .cmd(&[
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                "sh",
            ])
            .status
            .success();
        assert!(ok, "tmux new-session failed");
        Some(t)
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        assert!(self.cmd(&args).status.success(), "send-keys {keys:?}");
    }

    fn type_line(&self, line: &str) {
        assert!(
            self.cmd(&["send-keys", "-t", "0", "-l", line])
                .status
                .success()
        );
        self.send(&["Enter"]);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "0"]).stdout).into_owned()
    }

    /// Starts the reader in the pane's shell with the sandbox's config, cache and HOME.
    fn start_reader(&self, sandbox: &Sandbox) {
        self.start_reader_with(sandbox, "", "");
    }

    /// `start_reader`, with more environment (`NAME=value ...`) and shell after it.
    fn start_reader_with(&self, sandbox: &Sandbox, env: &str, then: &str) {
        let home = sandbox.dir.path().display().to_string();
        self.type_line(&format!(
            "env HOME={home} XDG_STATE_HOME={home}/state BYLINE_LOG_FILE={home}/byline.log {env} {} --config {} --cache {home}/cache.sqlite{then}",
            env!("CARGO_BIN_EXE_byline"),
            sandbox.config().display(),
        ));
    }

    /// A tmux format of the pane (`#{alternate_on}`, `#{cursor_flag}`...).
    fn pane(&self, format: &str) -> String {
        let out = self
            .cmd(&["display-message", "-p", "-t", "0", format])
            .stdout;
        String::from_utf8_lossy(&out).trim().to_string()
    }

    /// The pane's terminal is in cooked mode (raw mode shows as -icanon / -echo in stty).
    fn assert_cooked_mode(&self) {
        self.type_line(
            "stty -a | grep -q -w -e -icanon -e -echo && echo MODE-RAW || echo MODE-$((6*7))-COOKED",
        );
        let screen = self.wait_until("the stty answer", Duration::from_secs(5), |s| {
            s.contains("MODE-42-COOKED") || s.lines().any(|l| l == "MODE-RAW")
        });
        assert!(
            screen.contains("MODE-42-COOKED"),
            "terminal left in raw mode:\n{screen}"
        );
    }

    /// Waits until the screen shows `needle`; fails with the screen if it never does.
    fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{needle:?} to appear"), timeout, |s| {
            s.contains(needle)
        })
    }

    fn wait_gone(&self, needle: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{needle:?} to go"), timeout, |s| {
            !s.contains(needle)
        })
    }

    fn wait_until(&self, what: &str, timeout: Duration, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if done(&s) {
                // A frame can reach tmux in several writes: return it once it holds still.
                std::thread::sleep(Duration::from_millis(50));
                let again = self.screen();
                if again == s {
                    return s;
                }
                continue;
            }
            if start.elapsed() > timeout {
                panic!("waited {timeout:?} for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// The fixture site, a private tmux server with a `width`×`height` pane, and a sandbox whose
/// config reads the site's RSS feed. None (the test then returns, having said why) without
/// the site or tmux.
fn reader_setup(name: &str, width: u16, height: u16) -> Option<(FixtureSite, Tmux, Sandbox)> {
    let site = FixtureSite::start(name)?;
    let tmux = Tmux::start(name, width, height)?;
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!("[[feeds]]\nurl = \"{}\"\n", site.url("/feed/")));
    Some((site, tmux, sandbox))
}

#[test]
fn reader_in_tmux_opens_an_article_shows_related_and_help_and_quits_cleanly() {
    let Some((_site, tmux, sandbox)) = reader_setup("reader_in_tmux", 120, 40) else {
        return;
    };
    tmux.start_reader(&sandbox);
    // it starts from the (empty) cache, refreshes in the background, and the list fills in
    let screen = tmux.wait_for("Articles (36)", Duration::from_secs(20));
    assert!(
        screen.contains("Article") && screen.contains("Related"),
        "{screen}"
    );
    assert!(screen.contains("Explainer: how the Digital"), "{screen}");

    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("By Farhan Qadri", Duration::from_secs(10));
    assert!(screen.contains("SSDE"), "the article body: {screen}");
    let screen = tmux.wait_for("shares:", Duration::from_secs(10));
    assert!(
        screen.contains("Digital Competition Bill"),
        "related stories: {screen}"
    );

    tmux.send(&["Tab"]);
    tmux.send(&["Enter"]); // open the first related story
    let screen = tmux.wait_for("1 back", Duration::from_secs(10));
    assert!(screen.contains("Related"), "{screen}");

    tmux.send(&["?"]);
    // (a frame reaches tmux in several writes: wait for the line drawn last)
    let screen = tmux.wait_for("refresh all feeds", Duration::from_secs(5));
    assert!(screen.contains("Help: keys"), "{screen}");
    tmux.send(&["x"]); // any key closes help
    let screen = tmux.wait_gone("Help: keys", Duration::from_secs(5));
    assert!(screen.contains("? help"), "{screen}");

    tmux.send(&["q"]); // back to the list
    tmux.send(&["q"]); // quit
    tmux.wait_gone("Articles (36)", Duration::from_secs(5));
    // The shell works again: it echoes what we type and evaluates it.
    tmux.type_line("echo SHELL-OK-$((40+2))");
    let screen = tmux.wait_for("SHELL-OK-42", Duration::from_secs(5));
    assert!(
        !screen.contains("Articles (36)"),
        "the alternate screen is gone:\n{screen}"
    );
    assert!(
        screen.contains("echo SHELL-OK-$((40+2))"),
        "the shell echoes input again:\n{screen}"
    );
    tmux.assert_cooked_mode();
    // the reader closed the cache on the way out: the write-ahead log was copied into it and
    // removed, not left for the next start to read through again
    let wal = sandbox.dir.path().join("cache.sqlite-wal");
    assert!(!wal.exists(), "{} left behind", wal.display());

    // what the reader did was saved: the opened articles are read
    let rows = sandbox.byline(&["list", "--json"]).json();
    let read = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["read"] == true)
        .count();
    assert_eq!(read, 2, "the article and the related one opened");
}

#[test]
fn reader_works_in_a_40x12_terminal() {
    let Some((_site, tmux, sandbox)) = reader_setup("reader_works_in_a_40x12_terminal", 40, 12)
    else {
        return;
    };
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    tmux.start_reader(&sandbox);
    let screen = tmux.wait_for("Articles (36)", Duration::from_secs(10));
    assert!(screen.lines().all(|l| l.chars().count() <= 40), "{screen}");
    tmux.send(&["j", "Enter"]);
    tmux.wait_for("By ", Duration::from_secs(10));
    tmux.send(&["Q"]);
    tmux.wait_gone("Articles (36)", Duration::from_secs(5));
    tmux.type_line("echo SMALL-OK-$((1+1))");
    tmux.wait_for("SMALL-OK-2", Duration::from_secs(5));
}

#[test]
fn reader_refreshes_due_feeds_in_the_background_and_shows_a_refresh_made_elsewhere() {
    let Some(site) = FixtureSite::start("reader_background_refresh") else {
        return;
    };
    let Some(tmux) = Tmux::start("background", 120, 30) else {
        return;
    };
    let sandbox = Sandbox::new();
    // Four category feeds with no story in common (5, 5, 5 and 6 stories), so that each
    // feed's refresh shows in the count of articles across feeds (a story in two feeds is
    // listed once). Competition: only by hand; Health: every minute, and never refreshed yet,
    // so due at once.
    let (competition, health, telecom, fintech) = (
        "/category/competition/feed/",
        "/category/health/feed/",
        "/category/telecom/feed/",
        "/category/fintech/feed/",
    );
    let by_hand = format!(
        "refresh_on_start = false\nrefresh_interval = 0\n[[feeds]]\nurl = \"{}\"\nname = \"Competition\"\n",
        site.url(competition)
    );
    let with_health = format!(
        "{by_hand}[[feeds]]\nurl = \"{}\"\nname = \"Health\"\nrefresh_interval = 1\n",
        site.url(health)
    );
    sandbox.write_config(&with_health);
    let both = sandbox.byline(&["refresh", "--json"]).json();
    assert_eq!(both.as_array().unwrap().len(), 2);
    // start over with only the first feed refreshed
    std::fs::remove_file(sandbox.path("cache.sqlite")).unwrap();
    sandbox.write_config(&by_hand);
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    sandbox.write_config(&with_health);
    tmux.start_reader(&sandbox);
    tmux.wait_for("Articles (5)", Duration::from_secs(10));
    // the first tick (5 s) refreshes Health, and only Health
    tmux.wait_for("Articles (10)", Duration::from_secs(20));
    let log = site.server_log();
    let fetches = |path: &str| {
        log.lines()
            .filter(|l| l.contains(&format!("\"GET {path} ")))
            .count()
    };
    assert_eq!(fetches(competition), 2, "Competition only by hand:\n{log}");
    assert_eq!(fetches(health), 2, "Health in the background:\n{log}");

    // `byline refresh` from another process (cron) while the reader is open
    let with_telecom = format!(
        "{with_health}[[feeds]]\nurl = \"{}\"\nname = \"Telecom\"\nrefresh_interval = 0\n",
        site.url(telecom)
    );
    sandbox.write_config(&with_telecom);
    let cron = sandbox.byline(&["refresh"]);
    assert_eq!(cron.code, 0, "{cron:?}");
    tmux.wait_for("Articles (15)", Duration::from_secs(20));

    // `byline add` while the reader is open: it reads its config again and shows the feed;
    // its own refresh (r) then keeps it and fetches it
    let add = sandbox.byline(&["add", &site.url(fintech), "--name", "Fintech"]);
    assert_eq!(add.code, 0, "{add:?}");
    tmux.wait_for("All feeds (4 feeds,", Duration::from_secs(20));
    tmux.send(&["r"]);
    tmux.wait_for("Articles (21)", Duration::from_secs(20));
    // a broken config is reported, and the reader goes on with the one it has
    std::fs::write(sandbox.config(), "mouse = maybe\n").unwrap();
    let screen = tmux.wait_for("config not read again", Duration::from_secs(20));
    assert!(screen.contains(":1:"), "names the line:\n{screen}");
    tmux.send(&["Q"]);
    tmux.wait_gone("Articles (", Duration::from_secs(5));
}

#[test]
fn a_panic_leaves_the_terminal_as_it_found_it() {
    // (debug builds only: the binary panics while drawing its second frame when told to)
    let Some((_site, tmux, sandbox)) = reader_setup("reader_panics", 100, 30) else {
        return;
    };
    sandbox.byline(&["refresh"]);
    tmux.start_reader_with(
        &sandbox,
        "RUST_BACKTRACE=0 BYLINE_TEST_PANIC_AT_FRAME=2",
        "; echo EXIT-$?",
    );
    tmux.send(&["j"]); // a second frame comes with the whole list, or with this key
    // a line of its own: the typed command itself holds "EXIT-" too
    let screen = tmux.wait_until("the exit code", Duration::from_secs(20), |s| {
        s.lines().any(|l| l.starts_with("EXIT-"))
    });
    assert!(
        screen.contains("test panic while drawing frame 2"),
        "the panic is reported:\n{screen}"
    );
    assert!(!screen.contains("EXIT-0"), "a failure exit code:\n{screen}");
    // what the shell prints next comes below the panic message, on a line of its own (leaving
    // the alternate screen twice would put the cursor back where the reader started)
    let lines: Vec<&str> = screen.lines().collect();
    let panic_at = lines
        .iter()
        .position(|l| l.contains("test panic while drawing"));
    let exit_at = lines.iter().position(|l| l.starts_with("EXIT-"));
    assert!(
        matches!((panic_at, exit_at), (Some(p), Some(e)) if e > p),
        "the shell goes on below the message:\n{screen}"
    );
    assert!(
        !screen.contains("Articles ("),
        "no trace of the reader's screen:\n{screen}"
    );
    assert_eq!(tmux.pane("#{alternate_on}"), "0", "alternate screen left");
    assert_eq!(tmux.pane("#{cursor_flag}"), "1", "cursor shown");
    assert_eq!(tmux.pane("#{mouse_any_flag}"), "0", "mouse capture off");
    tmux.assert_cooked_mode();
}
