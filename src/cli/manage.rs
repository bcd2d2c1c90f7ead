//! Feed management that edits the config file: `add`, `remove`, `import`, `export`.
//! The config keeps its comments and layout (`config::edit`); the cache follows on the next
//! run (a removed feed's articles stay, unsubscribed, until `byline vacuum`).

use std::path::{Path, PathBuf};

use super::output::write_stdout;
use super::{Context, Failure};
use crate::config::Config;
use crate::config::edit::{ConfigFile, NewFeed};
use crate::feed::Fetcher;
use crate::text::sanitize_line;

/// The file these commands edit: `--config` / `BYLINE_CONFIG`, else the user's config file
/// (created from the built-in default when there is none).
pub fn config_path(explicit: Option<&Path>) -> Result<PathBuf, Failure> {
    explicit
        .map(Path::to_path_buf)
        .or_else(crate::config::user_config_path)
        .ok_or_else(|| Failure::new(2, "cannot find a config directory; pass --config FILE"))
}

fn open(path: &Path) -> Result<ConfigFile, Failure> {
    ConfigFile::open(path).map_err(Failure::from)
}

fn created_note(file: &ConfigFile) -> String {
    if file.created {
        format!(
            "created {} (with the built-in MediaNama feed)\n",
            file.path.display()
        )
    } else {
        String::new()
    }
}

/// `byline add URL [--name N] [--tag T]...`
pub fn add(
    config_file: &Path,
    url: &str,
    name: Option<&str>,
    tags: &[String],
) -> Result<u8, Failure> {
    let mut file = open(config_file)?;
    let url = &where_to_look(url);
    if let Some(existing) = file.find(url) {
        return Err(Failure::new(
            1,
            format!(
                "{} is already in {}",
                describe(&existing.url, existing.name.as_deref()),
                file.path.display()
            ),
        ));
    }
    // the file's own network settings (a new file's are the defaults)
    let fetcher = Fetcher::new(&file.config.fetch).map_err(|e| Failure::new(1, e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(1, format!("cannot start the async runtime: {e}")))?;
    let found = runtime
        .block_on(crate::feed::discover::discover(&fetcher, url))
        .map_err(|e| Failure::new(1, format!("no feed added: {e}")))?;
    runtime.shutdown_background();
    if let Some(existing) = file.find(&found.url) {
        return Err(Failure::new(
            1,
            format!(
                "{url} leads to {}, already in {}",
                describe(&existing.url, existing.name.as_deref()),
                file.path.display()
            ),
        ));
    }
    let name = name.map(sanitize_line).filter(|n| !n.is_empty());
    file.add(&NewFeed {
        url: found.url.clone(),
        name: name.clone(),
        tags: tags
            .iter()
            .map(|t| sanitize_line(t))
            .filter(|t| !t.is_empty())
            .collect(),
    });
    file.save()?;
    let title = name.or(found.title);
    let mut out = created_note(&file);
    out.push_str(&format!(
        "added {} ({} articles now) to {}\n",
        describe(&found.url, title.as_deref()),
        found.articles,
        file.path.display()
    ));
    for other in &found.others {
        out.push_str(&format!("  the page also announces {other}\n"));
    }
    out.push_str("run `byline refresh` (or press r in the reader) to fetch it\n");
    write_stdout(&out)?;
    Ok(0)
}

/// What a person typed, as a URL: a saved feed's path becomes a `file://` URL, and a bare
/// host (`medianama.com`) an `https://` one.
fn where_to_look(typed: &str) -> String {
    let typed = typed.trim();
    if typed.contains("://") || typed.starts_with("file:") {
        return typed.to_string();
    }
    // a path as the config file would read it (`~/`), relative to where the command runs
    let expanded = crate::config::resolve_path(Path::new("."), typed);
    if expanded.is_file()
        && let Ok(absolute) = expanded.canonicalize()
        && let Ok(url) = url::Url::from_file_path(&absolute)
    {
        return url.to_string();
    }
    format!("https://{typed}")
}

/// `byline remove NAME` (or its URL).
/// `cached` finds a feed's URL by the name the cache knows it by (its title, or as `feeds`
/// shows it), for a name the config does not give.
pub fn remove(
    config_file: &Path,
    name: &str,
    cached: impl FnOnce(&str) -> Result<Option<String>, Failure>,
) -> Result<u8, Failure> {
    let mut file = open(config_file)?;
    let found = match file.find_by_name_or_url(name) {
        Some(feed) => Some(feed),
        None => cached(name)?.and_then(|url| file.find(&url)),
    };
    let Some(feed) = found else {
        let known: Vec<String> = file
            .feeds()
            .iter()
            .map(|f| f.name.clone().unwrap_or_else(|| f.url.clone()))
            .collect();
        return Err(Failure::new(
            1,
            format!(
                "no feed named {name:?} in {} (its feeds: {})",
                file.path.display(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        ));
    };
    file.remove(&feed.url);
    file.save()?;
    write_stdout(&format!(
        "{}removed {} from {}; its cached articles stay until `byline vacuum`\n",
        created_note(&file),
        describe(&feed.url, feed.name.as_deref()),
        file.path.display()
    ))?;
    Ok(0)
}

fn describe(url: &str, name: Option<&str>) -> String {
    let url = crate::feed::redact_url(url);
    match name {
        Some(n) if !n.is_empty() => format!("{} <{url}>", sanitize_line(n)),
        _ => format!("<{url}>"),
    }
}

/// A feed read from an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
}

/// The feeds of an OPML document: nested outlines (folders) and `category` attributes
/// become tags.
pub fn read_opml(text: &str) -> Result<Vec<OpmlFeed>, String> {
    let doc =
        opml::OPML::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| e.to_string())?;
    let mut feeds = Vec::new();
    walk(&doc.body.outlines, &mut Vec::new(), &mut feeds);
    Ok(feeds)
}

fn walk(outlines: &[opml::Outline], folders: &mut Vec<String>, feeds: &mut Vec<OpmlFeed>) {
    for o in outlines {
        let label = [o.title.as_deref(), Some(o.text.as_str())]
            .into_iter()
            .flatten()
            .map(sanitize_line)
            .find(|t| !t.is_empty());
        match o
            .xml_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(url) => {
                let mut tags = folders.clone();
                for category in o.category.iter().flat_map(|c| c.split(',')) {
                    // OPML categories are slash-delimited paths: "/News/Tech" is News and Tech
                    for part in category.split('/') {
                        let tag = sanitize_line(part);
                        if !tag.is_empty() && !tags.contains(&tag) {
                            tags.push(tag);
                        }
                    }
                }
                feeds.push(OpmlFeed {
                    url: url.to_string(),
                    name: label,
                    tags,
                });
            }
            None => {
                let pushed = label.is_some_and(|l| {
                    let fresh = !folders.contains(&l);
                    if fresh {
                        folders.push(l);
                    }
                    fresh
                });
                walk(&o.outlines, folders, feeds);
                if pushed {
                    folders.pop();
                }
            }
        }
    }
}

/// `byline import FILE.opml`
pub fn import(config_file: &Path, opml_file: &Path) -> Result<u8, Failure> {
    let text = std::fs::read_to_string(opml_file)
        .map_err(|e| Failure::new(1, format!("cannot read {}: {e}", opml_file.display())))?;
    let feeds = read_opml(&text).map_err(|e| {
        Failure::new(
            1,
            format!(
                "{}: not an OPML file Byline can read: {e}",
                opml_file.display()
            ),
        )
    })?;
    let mut file = open(config_file)?;
    let mut names: Vec<String> = file
        .feeds()
        .iter()
        .filter_map(|f| f.name.as_ref().map(|n| n.to_lowercase()))
        .collect();
    let (mut added, mut skipped) = (Vec::new(), Vec::new());
    for feed in feeds {
        let url = feed.url.as_str();
        let usable = url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !usable {
            skipped.push(format!("{}: not an http(s) URL", sanitize_line(url)));
            continue;
        }
        if let Some(existing) = file.find(url) {
            skipped.push(format!(
                "{}: already there as {}",
                sanitize_line(url),
                describe(&existing.url, existing.name.as_deref())
            ));
            continue;
        }
        // names must be unique: a second "News" becomes "News (2)"
        let name = feed.name.map(|n| {
            let mut candidate = n.clone();
            let mut k = 2;
            while names.contains(&candidate.to_lowercase()) {
                candidate = format!("{n} ({k})");
                k += 1;
            }
            names.push(candidate.to_lowercase());
            candidate
        });
        file.add(&NewFeed {
            url: url.to_string(),
            name,
            tags: feed.tags,
        });
        added.push(url.to_string());
    }
    if !added.is_empty() {
        file.save()?;
    }
    let mut out = created_note(&file);
    out.push_str(&format!(
        "imported {} feeds from {} into {}",
        added.len(),
        opml_file.display(),
        file.path.display()
    ));
    if !skipped.is_empty() {
        out.push_str(&format!("; skipped {}:", skipped.len()));
        for s in &skipped {
            out.push_str(&format!("\n  {s}"));
        }
    }
    out.push('\n');
    write_stdout(&out)?;
    Ok(0)
}

/// `byline export`: OPML 2.0 on stdout, tags as categories.
pub fn export(ctx: &mut Context) -> Result<u8, Failure> {
    let titles: std::collections::HashMap<String, String> = ctx
        .store
        .feeds()?
        .into_iter()
        .filter_map(|f| Some((f.url, f.title?)))
        .collect();
    write_stdout(&opml_text(&ctx.config, &titles)?)?;
    Ok(0)
}

/// The config's feeds as OPML 2.0. `titles`: what each feed calls itself (from the cache),
/// for feeds without a name of their own.
pub fn opml_text(
    config: &Config,
    titles: &std::collections::HashMap<String, String>,
) -> Result<String, Failure> {
    let mut doc = opml::OPML::default();
    if let Some(head) = doc.head.as_mut() {
        head.title = Some("Byline feeds".into());
    }
    for feed in &config.feeds {
        let label = feed
            .name
            .clone()
            .or_else(|| titles.get(&feed.url).map(|t| sanitize_line(t)))
            .unwrap_or_else(|| feed.url.clone());
        doc.body.outlines.push(opml::Outline {
            text: label.clone(),
            title: Some(label),
            r#type: Some("rss".into()),
            xml_url: Some(feed.url.clone()),
            category: (!feed.tags.is_empty()).then(|| feed.tags.join(",")),
            ..Default::default()
        });
    }
    let xml = doc
        .to_string()
        .map_err(|e| Failure::new(1, format!("cannot write OPML: {e}")))?;
    // one outline a line, for people who read or diff it (attribute values never hold a
    // raw `<`: the writer escapes it)
    let xml = xml
        .replace("<head>", "\n  <head>")
        .replace("</head>", "</head>\n  ")
        .replace("<outline ", "\n    <outline ")
        .replace("</body>", "\n  </body>\n")
        .replace("<body/>", "<body/>\n");
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{xml}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_categories_become_tags() {
        let text = r#"<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
  <outline text="Tech">
    <outline text="India">
      <outline text="MediaNama" title="MediaNama" type="rss" xmlUrl="https://www.medianama.com/feed/"/>
    </outline>
    <outline text="Ars" xmlUrl="https://ars.test/feed" category="/Science/Space,tech"/>
  </outline>
  <outline text="Loose &amp; free" xmlUrl="https://loose.test/rss"/>
  <outline text="Empty folder"/>
</body></opml>"#;
        let feeds = read_opml(text).expect("reads");
        assert_eq!(
            feeds,
            [
                OpmlFeed {
                    url: "https://www.medianama.com/feed/".into(),
                    name: Some("MediaNama".into()),
                    tags: vec!["Tech".into(), "India".into()],
                },
                OpmlFeed {
                    url: "https://ars.test/feed".into(),
                    name: Some("Ars".into()),
                    tags: vec![
                        "Tech".into(),
                        "Science".into(),
                        "Space".into(),
                        "tech".into()
                    ],
                },
                OpmlFeed {
                    url: "https://loose.test/rss".into(),
                    name: Some("Loose & free".into()),
                    tags: vec![],
                },
            ]
        );
    }

    #[test]
    fn hostile_names_are_cleaned() {
        let text = "<opml version=\"2.0\"><body><outline text=\"a&#27;[31mred\" xmlUrl=\"https://a.test/\"/></body></opml>";
        let feeds = read_opml(text).expect("reads");
        assert_eq!(feeds[0].name.as_deref(), Some("ared"));
    }

    #[test]
    fn what_is_typed_becomes_a_url() {
        assert_eq!(
            where_to_look("www.medianama.com"),
            "https://www.medianama.com"
        );
        assert_eq!(where_to_look(" http://a.test/feed "), "http://a.test/feed");
        assert_eq!(where_to_look("file:///x.xml"), "file:///x.xml");
        let dir = tempfile::tempdir().expect("tempdir");
        let saved = dir.path().join("a b.xml");
        std::fs::write(&saved, "<rss/>").expect("write");
        let url = where_to_look(saved.to_str().expect("utf8"));
        assert!(
            url.starts_with("file:///") && url.ends_with("/a%20b.xml"),
            "{url}"
        );
    }

    #[test]
    fn export_reads_back_whatever_the_names_hold() {
        let config = Config::parse(
            "[[feeds]]\nurl = \"https://a.test/\"\nname = \"x <outline y=\\\"z\\\"> & </body>\"\ntags = [\"a,b\", \"c\"]\n",
            crate::config::ConfigSource::BuiltIn,
        )
        .expect("config");
        let text = opml_text(&config, &Default::default()).expect("opml");
        assert_eq!(text.matches("<outline ").count(), 1, "{text}");
        let feeds = read_opml(&text).expect("reads back");
        assert_eq!(
            feeds[0].name.as_deref(),
            Some("x <outline y=\"z\"> & </body>")
        );
        assert_eq!(feeds[0].url, "https://a.test/");
    }

    #[test]
    fn not_opml_says_why() {
        assert!(read_opml("<rss version=\"2.0\"></rss>").is_err());
        assert!(read_opml("<opml version=\"2.0\"><body></body></opml>").is_err());
    }
}
