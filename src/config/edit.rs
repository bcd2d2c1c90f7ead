//! Changes to the config file that commands make (`add`, `remove`, `import`, `config init`),
//! written with `toml_edit` so the user's comments, order and layout survive. A change is
//! validated as a whole config before the file is replaced, and the file is replaced
//! atomically (a new file renamed over the old), so a failed edit leaves it as it was.

use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use super::{Config, ConfigError, ConfigSource, DEFAULT_CONFIG};

/// The commented example config, every key with its default (`byline config init`).
pub const EXAMPLE_CONFIG: &str = include_str!("../../config.example.toml");

/// A feed to add.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewFeed {
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
}

/// A feed already in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingFeed {
    pub url: String,
    pub name: Option<String>,
}

/// The config file, open for editing.
pub struct ConfigFile {
    pub path: PathBuf,
    doc: DocumentMut,
    /// The file did not exist: it starts as the built-in default (MediaNama).
    pub created: bool,
    /// What the file says as it was opened (for a new file, the built-in default's settings).
    pub config: Config,
}

impl ConfigFile {
    /// Opens `path` for editing; a missing file starts from the built-in default, so adding
    /// a feed to a new setup keeps the feed the user was already reading.
    pub fn open(path: &Path) -> Result<ConfigFile, ConfigError> {
        let (text, created) = match std::fs::read_to_string(path) {
            Ok(t) => (t, false),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (DEFAULT_CONFIG.to_string(), true)
            }
            Err(e) => return Err(ConfigError::file(path, format!("cannot read config: {e}"))),
        };
        // Refuse to edit a config that is wrong already: say where, as loading would.
        let config = Config::parse(&text, ConfigSource::File(path.to_path_buf()))?;
        let doc = text.parse::<DocumentMut>().map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            ConfigError::at(&path.display().to_string(), &text, at, e.message())
        })?;
        Ok(ConfigFile {
            path: path.to_path_buf(),
            doc,
            created,
            config,
        })
    }

    /// The feeds in the file, in order.
    pub fn feeds(&self) -> Vec<ExistingFeed> {
        let Some(feeds) = self.doc.get("feeds").and_then(Item::as_array_of_tables) else {
            return Vec::new();
        };
        feeds
            .iter()
            .filter_map(|t| {
                Some(ExistingFeed {
                    url: t.get("url")?.as_str()?.to_string(),
                    name: t.get("name").and_then(Item::as_str).map(str::to_string),
                })
            })
            .collect()
    }

    /// The feed already in the file at the same location as `url`, if any: compared in the
    /// form the config reads them (`feed_location`: a saved feed's path is its `file://` URL,
    /// scheme and host case and a default port do not count), and a trailing slash does not
    /// count either.
    pub fn find(&self, url: &str) -> Option<ExistingFeed> {
        let base_dir = self.path.parent().unwrap_or(Path::new("."));
        let key = |u: &str| {
            let canonical = super::feed_location(u, base_dir).unwrap_or_else(|_| u.trim().into());
            canonical.trim_end_matches('/').to_string()
        };
        let want = key(url);
        self.feeds().into_iter().find(|f| key(&f.url) == want)
    }

    /// The feed named `name` (case-insensitive), else the one at URL `name`.
    pub fn find_by_name_or_url(&self, name: &str) -> Option<ExistingFeed> {
        let feeds = self.feeds();
        feeds
            .iter()
            .find(|f| {
                f.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .cloned()
            .or_else(|| self.find(name))
    }

    /// Appends a `[[feeds]]` table. The caller checks for duplicates (`find`).
    pub fn add(&mut self, feed: &NewFeed) {
        let mut table = Table::new();
        table.insert("url", value(feed.url.as_str()));
        if let Some(name) = &feed.name {
            table.insert("name", value(name.as_str()));
        }
        if !feed.tags.is_empty() {
            let tags: toml_edit::Array = feed.tags.iter().map(String::as_str).collect();
            table.insert("tags", value(tags));
        }
        match self
            .doc
            .get_mut("feeds")
            .and_then(Item::as_array_of_tables_mut)
        {
            Some(feeds) => feeds.push(table),
            None => {
                let mut feeds = ArrayOfTables::new();
                feeds.push(table);
                self.doc.insert("feeds", Item::ArrayOfTables(feeds));
            }
        }
    }

    /// Removes the feed at `url` (as `feeds()` spells it). True if it was there.
    pub fn remove(&mut self, url: &str) -> bool {
        let Some(feeds) = self
            .doc
            .get_mut("feeds")
            .and_then(Item::as_array_of_tables_mut)
        else {
            return false;
        };
        let Some(index) = feeds
            .iter()
            .position(|t| t.get("url").and_then(Item::as_str) == Some(url))
        else {
            return false;
        };
        let removed = feeds.remove(index);
        // The comments above the table: lines right above it were about this feed and go
        // with it; a block set apart by a blank line is about what follows (the example
        // config's guide to [[feeds]]) and stays, above whatever now comes next.
        let prefix = removed
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("");
        let keep = prefix.rfind("\n\n").map_or("", |i| &prefix[..i + 2]);
        if keep.trim().is_empty() {
            return true;
        }
        // (one blank line between them, not two)
        let prepend = |old: Option<&str>| {
            let old = old.unwrap_or("");
            format!("{keep}{}", old.strip_prefix('\n').unwrap_or(old))
        };
        match feeds.get_mut(index) {
            Some(next) => {
                let merged = prepend(next.decor().prefix().and_then(|p| p.as_str()));
                next.decor_mut().set_prefix(merged);
            }
            None => {
                let merged = prepend(self.doc.trailing().as_str());
                self.doc.set_trailing(merged);
            }
        }
        true
    }

    /// The file's new text.
    pub fn text(&self) -> String {
        let mut text = self.doc.to_string();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    /// Checks the edited config as a whole, then replaces the file (creating its folder).
    pub fn save(&self) -> Result<Config, ConfigError> {
        let text = self.text();
        let config = Config::parse(&text, ConfigSource::File(self.path.clone()))?;
        write_atomically(&self.path, &text)?;
        Ok(config)
    }
}

/// Writes a new file (never over an existing one): `byline config init`.
pub fn init(path: &Path) -> Result<(), ConfigError> {
    if path.exists() {
        return Err(ConfigError::file(
            path,
            "a config file is already there; it was left as it is",
        ));
    }
    write_atomically(path, EXAMPLE_CONFIG)
}

fn write_atomically(path: &Path, text: &str) -> Result<(), ConfigError> {
    let fail =
        |what: &str, e: std::io::Error| ConfigError::file(path, format!("cannot {what}: {e}"));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| fail("create its folder", e))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".byline-{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(|e| fail("write", e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail("replace", e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINE: &str = "# my feeds\nmouse = false # no mouse\n\n[[feeds]]\n# the one I read first\nurl = \"https://a.test/feed\"\nname = \"A\"\n";

    fn file(text: &str) -> (tempfile::TempDir, ConfigFile) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).expect("write");
        let f = ConfigFile::open(&path).expect("open");
        (dir, f)
    }

    #[test]
    fn adding_keeps_comments_and_layout() {
        let (_d, mut f) = file(MINE);
        f.add(&NewFeed {
            url: "https://b.test/feed".into(),
            name: Some("B".into()),
            tags: vec!["x".into()],
        });
        let config = f.save().expect("save");
        let text = std::fs::read_to_string(&f.path).expect("read");
        assert!(text.starts_with(MINE), "the old text is untouched:\n{text}");
        assert!(
            text.ends_with(
                "[[feeds]]\nurl = \"https://b.test/feed\"\nname = \"B\"\ntags = [\"x\"]\n"
            ),
            "{text}"
        );
        assert_eq!(config.feeds.len(), 2);
        assert_eq!(config.feeds[1].tags, ["x"]);
    }

    #[test]
    fn finds_the_same_feed_spelt_differently() {
        let (_d, f) = file(MINE);
        assert!(f.find("HTTPS://A.test/feed/").is_some());
        assert!(f.find("https://a.test:443/feed").is_some());
        assert!(f.find("https://a.test/other").is_none());
        // a saved feed written as a path is the same feed as its file:// URL
        let (_d2, g) = file("[[feeds]]\nurl = \"./saved.xml\"\n");
        let dir = g.path.parent().expect("dir");
        let saved = url::Url::from_file_path(dir.join("saved.xml")).expect("file url");
        assert!(g.find(saved.as_str()).is_some());
        assert_eq!(
            f.find_by_name_or_url("a").map(|e| e.url),
            Some("https://a.test/feed".into())
        );
    }

    #[test]
    fn removing_keeps_the_rest() {
        let (_d, mut f) = file(&format!(
            "{MINE}\n[[feeds]]\nurl = \"https://b.test/feed\"\n"
        ));
        assert!(f.remove("https://a.test/feed"));
        assert!(!f.remove("https://a.test/feed"));
        let text = f.text();
        assert!(
            text.starts_with("# my feeds\nmouse = false # no mouse\n"),
            "{text}"
        );
        assert!(!text.contains("a.test"), "{text}");
        assert!(text.contains("b.test"), "{text}");
    }

    #[test]
    fn removing_keeps_a_comment_block_above_the_feed_but_not_the_feeds_own_lines() {
        let guide = "mouse = false\n\n# Feeds: one table each.\n# (a guide)\n\n";
        let text = format!(
            "{guide}[[feeds]]\nurl = \"https://a.test/\"\n\n# mine, since 2020\n[[feeds]]\nurl = \"https://b.test/\"\n\n# trailing notes\n"
        );
        // the first: the guide moves to the next feed
        let (_d, mut f) = file(&text);
        assert!(f.remove("https://a.test/"));
        let after = f.text();
        assert!(after.starts_with(&format!("{guide}# mine")), "{after}");
        assert!(
            after.contains("# mine, since 2020\n[[feeds]]\nurl = \"https://b.test/\""),
            "{after}"
        );
        // the last: its own comment goes, the trailing notes stay
        assert!(f.remove("https://b.test/"));
        let after = f.text();
        assert!(!after.contains("mine, since"), "{after}");
        assert!(after.contains("# Feeds: one table each."), "{after}");
        assert!(after.contains("# trailing notes"), "{after}");
    }

    #[test]
    fn an_edit_that_breaks_the_config_is_not_written() {
        let (_d, mut f) = file(MINE);
        f.add(&NewFeed {
            url: "https://b.test/feed".into(),
            name: Some("a".into()), // a duplicate name
            tags: vec![],
        });
        let e = f.save().expect_err("duplicate name");
        assert!(e.to_string().contains("duplicate feed name"), "{e}");
        assert_eq!(std::fs::read_to_string(&f.path).expect("read"), MINE);
    }

    #[test]
    fn a_broken_config_is_not_edited() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "mouse = maybe\n").expect("write");
        let e = ConfigFile::open(&path).err().expect("refused");
        assert!(e.to_string().contains(":1:"), "{e}");
    }

    #[test]
    fn a_missing_file_starts_from_the_built_in_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub/config.toml");
        let mut f = ConfigFile::open(&path).expect("open");
        assert!(f.created);
        f.add(&NewFeed {
            url: "https://b.test/feed".into(),
            ..Default::default()
        });
        let config = f.save().expect("save");
        let urls: Vec<_> = config.feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://www.medianama.com/feed/", "https://b.test/feed"]
        );
    }

    #[test]
    fn init_writes_the_example_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("byline/config.toml");
        init(&path).expect("init");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            EXAMPLE_CONFIG
        );
        std::fs::write(&path, "mine").expect("write");
        let e = init(&path).expect_err("second init");
        assert!(e.to_string().contains("already there"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "mine");
    }
}
