use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(
        text,
        ConfigSource::File(PathBuf::from("/etc/byline/test.toml")),
    )
}

#[test]
fn built_in_default_reads_medianama() {
    let c = Config::parse(DEFAULT_CONFIG, ConfigSource::BuiltIn).expect("default parses");
    assert_eq!(c.feeds.len(), 1);
    assert_eq!(c.feeds[0].url, "https://www.medianama.com/feed/");
    assert_eq!(c.fetch, FetchSettings::default());
}

#[test]
fn example_config_parses_and_sets_every_option() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let c = Config::from_file(&path).expect("config.example.toml parses");
    assert_eq!(
        c.feeds.len(),
        1,
        "`config init` writes it: it follows MediaNama"
    );
    assert!(c.cache.is_some());
    assert!(c.feeds.iter().any(|f| !f.tags.is_empty()));
    assert_eq!(
        c.defaults,
        FeedSettings::DEFAULT,
        "the example lists the defaults"
    );
    assert!(c.hyperlinks);
    // the commented examples are valid too, with every per-feed key
    let text = std::fs::read_to_string(&path).expect("read");
    let (head, examples) = text.split_once("# More examples").expect("examples");
    let uncommented: String = examples
        .lines()
        .skip(1)
        .map(|l| {
            format!(
                "{}\n",
                l.strip_prefix("# ").unwrap_or(l.trim_start_matches('#'))
            )
        })
        .collect();
    let c = parse(&format!("{head}{uncommented}")).expect("examples parse");
    assert_eq!(c.feeds.len(), 3);
    let summaries = &c.feeds[1];
    assert!(summaries.full_text);
    assert_eq!(
        summaries.refresh_interval,
        Some(std::time::Duration::from_secs(15 * 60))
    );
    assert_eq!(
        summaries.retention,
        Retention {
            max_articles: Some(200),
            max_age_days: Some(30)
        }
    );
    assert_eq!(c.feeds[2].refresh_interval, None);
    assert_eq!(c.feeds[2].retention, Retention::DEFAULT);
    assert_eq!(
        c.keys,
        keys::KeyMap::default(),
        "the example lists the defaults"
    );
    assert_eq!(
        c.theme,
        theme::Theme::default(),
        "the example lists the default theme"
    );
    assert!(c.mouse);
}

#[test]
fn keys_and_theme_from_the_config() {
    let c = parse("mouse = false\n[keys]\nrefresh = \"F5\"\ndown = [\"J\", \"Down\"]\n[theme]\nlink = \"cyan\"\n").expect("valid");
    assert!(!c.mouse);
    let f5 = keys::Key::plain(keys::KeyCode::F(5));
    assert_eq!(c.keys.action(&f5), Some(keys::Action::Refresh));
    assert_eq!(
        c.keys.action(&keys::Key::plain(keys::KeyCode::Char('r'))),
        None
    );
    assert_eq!(c.theme.link, theme::Colour::Ansi(6));

    let e = error_of("[keys]\nfly = \"f\"\n");
    assert!(
        e.contains("test.toml:2:1: [keys] fly: unknown action `fly`"),
        "{e}"
    );
    let e = error_of("[keys]\ndown = \"Hyper-j\"\n");
    assert!(
        e.contains("test.toml:2:8: [keys] down: unknown key `Hyper-j`"),
        "{e}"
    );
    let e = error_of("[keys]\ndown = \"x\"\nup = \"x\"\n");
    assert!(e.contains("key `x` is bound twice"), "{e}");
    assert!(e.contains("test.toml:3:"), "{e}");
    let e = error_of("[theme]\nlink = \"blurple\"\n");
    assert!(
        e.contains("test.toml:2:8: [theme] link = \"blurple\": unknown colour"),
        "{e}"
    );
    let e = error_of("[theme]\nsparkle = \"red\"\n");
    assert!(e.contains("test.toml:2:1: [theme] sparkle"), "{e}");
}

#[test]
fn options_and_paths() {
    let c = parse(
        "cache = \"cache.db\"\nconcurrency = 3\nconcurrency_per_host = 1\ntimeout = 5\nmax_feed_mib = 2\n\
         [[feeds]]\nurl = \"https://a.test/feed\"\nname = \"A\"\ntags = [\"x\", \"x\", \"y\"]\n\
         [[feeds]]\nurl = \"/tmp/saved.xml\"\n",
    )
    .expect("valid");
    assert_eq!(c.cache.as_deref(), Some(Path::new("/etc/byline/cache.db")));
    assert_eq!(c.fetch.concurrency, 3);
    assert_eq!(c.fetch.concurrency_per_host, 1);
    assert_eq!(c.fetch.timeout, Duration::from_secs(5));
    assert_eq!(c.fetch.max_feed_bytes, 2 * 1024 * 1024);
    assert_eq!(c.feeds[0].tags, vec!["x", "y"]);
    assert_eq!(c.feeds[1].url, "file:///tmp/saved.xml");
}

fn error_of(text: &str) -> String {
    parse(text).expect_err("must be rejected").to_string()
}

#[test]
fn errors_name_file_line_column_key_and_value() {
    let e = error_of("[[feeds]]\nurl = \"https://a.test/\"\ncolour = \"red\"\n");
    assert!(
        e.starts_with("/etc/byline/test.toml:3:1: unknown key `colour`"),
        "{e}"
    );
    assert!(e.contains("colour = \"red\""), "{e}");

    let e = error_of("[[feeds]]\nname = \"x\"\n");
    assert!(
        e.contains("test.toml:1:1:") && e.contains("no `url`"),
        "{e}"
    );

    let e =
        error_of("[[feeds]]\nurl = \"https://a.test/\"\n[[feeds]]\nurl = \"https://a.test/\"\n");
    assert!(
        e.contains(":4:7: feeds[1].url = \"https://a.test/\": duplicate feed URL"),
        "{e}"
    );

    let e = error_of(
        "[[feeds]]\nurl = \"https://a.test/\"\nname = \"A\"\n[[feeds]]\nurl = \"https://b.test/\"\nname = \"a\"\n",
    );
    assert!(
        e.contains(":6:8: feeds[1].name = \"a\": duplicate feed name"),
        "{e}"
    );

    let e = error_of("[[feeds]]\nurl = \"htp//nowhere\"\n");
    assert!(
        e.contains(":2:7: feeds[0].url = \"htp//nowhere\": not a URL"),
        "{e}"
    );

    let e = error_of("[[feeds]]\nurl = \"https://\"\n");
    assert!(e.contains("feeds[0].url = \"https://\""), "{e}");

    let e = error_of("[[feeds]]\nurl = \"gopher://x.test/\"\n");
    assert!(e.contains("unsupported scheme `gopher`"), "{e}");

    let e = error_of("concurrency = 0\n");
    assert!(
        e.contains(":1:15: concurrency = 0: must be between 1 and 1000"),
        "{e}"
    );

    let e = error_of("timeout = \"soon\"\n");
    assert!(e.contains(":1:11:"), "{e}");

    let e = error_of("[[feeds]\nurl = 1\n");
    assert!(e.contains("test.toml:1:"), "{e}");
}

#[test]
fn missing_explicit_file_is_an_error() {
    let e = Config::load(Some(Path::new("/nonexistent/byline.toml"))).expect_err("missing");
    assert_eq!(
        e.to_string(),
        "/nonexistent/byline.toml: cannot read config: no such file"
    );
}

#[test]
fn per_feed_settings_override_the_top_and_are_checked() {
    let c = parse(
        "refresh_interval = 30\nkeep_articles = 0\nkeep_days = 90\n[[feeds]]\nurl = \"https://a.test/\"\n\
         [[feeds]]\nurl = \"https://b.test/\"\nrefresh_interval = 0\nkeep_articles = 10\nkeep_days = 7\n",
    )
    .expect("valid");
    let a = &c.feeds[0];
    assert_eq!(
        a.refresh_interval,
        Some(std::time::Duration::from_secs(30 * 60))
    );
    assert_eq!(
        a.retention,
        Retention {
            max_articles: None,
            max_age_days: Some(90)
        }
    );
    let b = &c.feeds[1];
    assert_eq!(b.refresh_interval, None, "0: only by hand");
    assert_eq!(
        b.retention,
        Retention {
            max_articles: Some(10),
            max_age_days: Some(7)
        }
    );
    let e = error_of("[[feeds]]\nurl = \"https://a.test/\"\nkeep_days = -1\n");
    assert!(
        e.contains("test.toml:3:13: feeds[0].keep_days = -1: must be between 0 and"),
        "{e}"
    );
    let e = error_of("[[feeds]]\nurl = \"https://a.test/\"\nrefresh = 5\n");
    assert!(e.contains("test.toml:3:1: unknown key `refresh`"), "{e}");
}
