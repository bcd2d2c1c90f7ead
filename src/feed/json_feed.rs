//! JSON Feed as found in the wild, made into JSON Feed as feed-rs reads it.
//!
//! Feeds write the version as "1.0" or with http://, give ids as numbers and tags as one
//! string; feed-rs's typed model rejects each. Known fields are coerced to their type and
//! anything that cannot be is dropped, so one odd field never costs the whole feed.

use serde_json::{Map, Value};

use super::ParseError;

const V1: &str = "https://jsonfeed.org/version/1";
const V1_1: &str = "https://jsonfeed.org/version/1.1";

/// Returns the document as feed-rs will accept it, or why it is not a JSON Feed.
pub fn normalize(value: Value, has_items: bool) -> Result<String, ParseError> {
    let Value::Object(mut obj) = value else {
        return Err(ParseError::Json("the top level is not an object".into()));
    };
    let version = obj
        .get("version")
        .and_then(Value::as_str)
        .map(canonical_version);
    let version = match version.flatten() {
        Some(v) => v,
        // No usable version: still a feed if it has items (as feedparser reads it).
        None if has_items => V1_1,
        None => {
            return Err(ParseError::NotAFeed(
                "JSON without a JSON Feed version or items".into(),
            ));
        }
    };
    obj.insert("version".into(), Value::String(version.into()));
    for key in [
        "title",
        "home_page_url",
        "feed_url",
        "description",
        "icon",
        "favicon",
    ] {
        keep_string(&mut obj, key);
    }
    if !obj.get("title").is_some_and(Value::is_string) {
        obj.insert("title".into(), Value::String(String::new()));
    }
    fix_authors(&mut obj);
    let items = match obj.remove("items") {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let items: Vec<Value> = items
        .into_iter()
        .filter_map(|item| match item {
            Value::Object(o) => Some(Value::Object(fix_item(o))),
            _ => None,
        })
        .collect();
    obj.insert("items".into(), Value::Array(items));
    serde_json::to_string(&Value::Object(obj)).map_err(|e| ParseError::Json(e.to_string()))
}

fn canonical_version(v: &str) -> Option<&'static str> {
    let v = v.trim().trim_end_matches('/').to_ascii_lowercase();
    let v = v
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    match v {
        "jsonfeed.org/version/1" | "1" | "1.0" => Some(V1),
        "jsonfeed.org/version/1.1" | "1.1" => Some(V1_1),
        _ => None,
    }
}

fn fix_item(mut item: Map<String, Value>) -> Map<String, Value> {
    let id = match item.remove("id") {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    item.insert("id".into(), Value::String(id));
    for key in [
        "url",
        "external_url",
        "title",
        "content_html",
        "content_text",
        "summary",
        "image",
        "banner_image",
        "date_published",
        "date_modified",
        "language",
    ] {
        keep_string(&mut item, key);
    }
    let tags: Vec<Value> = match item.remove("tags") {
        Some(Value::Array(a)) => a.into_iter().filter(Value::is_string).collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Value::String(t.into()))
            .collect(),
        _ => Vec::new(),
    };
    if !tags.is_empty() {
        item.insert("tags".into(), Value::Array(tags));
    }
    fix_authors(&mut item);
    if !matches!(item.get("attachments"), Some(Value::Array(_))) {
        item.remove("attachments");
    }
    item
}

fn fix_authors(obj: &mut Map<String, Value>) {
    let mut authors: Vec<Value> = match obj.remove("authors") {
        Some(Value::Array(a)) => a.into_iter().filter(Value::is_object).collect(),
        _ => Vec::new(),
    };
    match obj.remove("author") {
        Some(Value::Object(a)) => authors.insert(0, Value::Object(a)),
        Some(Value::String(name)) => {
            let mut a = Map::new();
            a.insert("name".into(), Value::String(name));
            authors.insert(0, Value::Object(a));
        }
        _ => {}
    }
    for a in &mut authors {
        if let Value::Object(a) = a {
            for key in ["name", "url", "avatar"] {
                keep_string(a, key);
            }
        }
    }
    if !authors.is_empty() {
        obj.insert("authors".into(), Value::Array(authors));
    }
}

/// Keeps `key` only if it is a string (numbers become strings).
fn keep_string(obj: &mut Map<String, Value>, key: &str) {
    match obj.remove(key) {
        Some(Value::String(s)) => {
            obj.insert(key.into(), Value::String(s));
        }
        Some(Value::Number(n)) => {
            obj.insert(key.into(), Value::String(n.to_string()));
        }
        _ => {}
    }
}
