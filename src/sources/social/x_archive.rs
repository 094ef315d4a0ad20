//! X/Twitter account archives: the `.zip`, the unpacked folder, or one `tweets.js` /
//! `tweet.js` / `tweets-partN.js` file, and pre-2019 Grailbird archives
//! (`data/js/tweets/YYYY_MM.js`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::doc::Obj;
use super::files::Files;
use super::stream::{for_each_element, skip_assignment};
use super::twarc::{Owner, v1_tweet};
use super::{Bad, Opening, SocialError, SocialSink};
use crate::mention::format_timestamp;
use crate::sources::InputFormat;
use crate::time;

/// True for an archive entry that marks an X archive (`data/tweets.js`, `data/manifest.js`,
/// Grailbird month files).
pub(crate) fn is_archive_entry(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let in_data = name == format!("data/{file}") || name.ends_with(&format!("/data/{file}"));
    (in_data && (file == "manifest.js" || is_tweet_file(file)))
        || name.contains("data/js/tweets/") && file.ends_with(".js")
}

fn is_tweet_file(file: &str) -> bool {
    file == "tweet.js"
        || file == "tweets.js"
        || file
            .strip_prefix("tweets-part")
            .or_else(|| file.strip_prefix("tweet-part"))
            .and_then(|r| r.strip_suffix(".js"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

pub(crate) fn read(
    name: &str,
    kind: Opening,
    sink: &mut SocialSink<'_>,
) -> Result<(), SocialError> {
    match kind {
        Opening::Dir(path) => read_files(Files::dir(&path), sink),
        Opening::Zip(path) => read_files(
            Files::zip(
                &path,
                &["data/manifest.js", "data/tweets.js", "data/tweet.js"],
            )?,
            sink,
        ),
        Opening::Stream { path, reader, .. } => {
            // One part file: the owner and long texts come from the files next to it.
            let mut owner = Owner::default();
            let mut notes = Notes::default();
            if let Some(dir) = path.as_deref().and_then(Path::parent) {
                let mut files = Files::Dir(dir.to_path_buf());
                owner = read_owner(&mut files, sink);
                notes = read_notes(&mut files, sink)?;
            }
            read_part(name, reader, &owner, &notes, sink)
        }
    }
}

fn read_files(mut files: Files, sink: &mut SocialSink<'_>) -> Result<(), SocialError> {
    let names = files.names();
    let manifest = read_manifest(&mut files, sink);
    if let Some(generated) = manifest.as_ref().and_then(|m| m.generated.clone()) {
        sink.set_collected(generated);
    }
    let mut owner = read_owner(&mut files, sink);
    if owner.handle.is_none()
        && let Some(m) = &manifest
    {
        owner = m.owner.clone();
    }
    let notes = read_notes(&mut files, sink)?;
    let mut parts = Vec::new();
    for file in manifest.map(|m| m.tweet_files).unwrap_or_default() {
        match files.confine(&file) {
            Ok(()) if files.has(&file) => parts.push(file),
            Ok(()) => {}
            Err(reason) => sink.skip(files.display("data/manifest.js"), reason)?,
        }
    }
    if parts.is_empty() {
        parts = names
            .iter()
            .filter(|n| {
                n.strip_prefix("data/").is_some_and(is_tweet_file)
                    || n.starts_with("data/js/tweets/") && n.ends_with(".js")
            })
            .cloned()
            .collect();
    }
    if parts.is_empty() {
        return Err(SocialError::Unsupported(format!(
            "{}: no tweets.js, tweet.js or tweets-partN.js in this archive",
            files.display("data")
        )));
    }
    for part in parts {
        let display = files.display(&part);
        let reader = BufReader::with_capacity(256 * 1024, files.open(&part)?);
        read_part(&display, reader, &owner, &notes, sink)?;
    }
    Ok(())
}

/// One part file: `window.YTD.tweets.partN = [ {"tweet": {...}}, ... ]`.
fn read_part<R: BufRead>(
    name: &str,
    mut reader: R,
    owner: &Owner,
    notes: &Notes,
    sink: &mut SocialSink<'_>,
) -> Result<(), SocialError> {
    // A bare JSON array (no `window.YTD... =` before it) is read the same way.
    skip_assignment(&mut reader).map_err(|source| SocialError::Read {
        file: name.to_owned(),
        source,
    })?;
    let mut handle = |json: &str, sink: &mut SocialSink<'_>| -> Result<(), Bad> {
        let obj = Obj::parse(json)?;
        let tweet = obj.obj("tweet").unwrap_or(obj);
        let mut mention = v1_tweet(&tweet, InputFormat::XArchive, Some(owner), sink)?;
        if let Some(note) = mention
            .published
            .as_deref()
            .and_then(|p| notes.by_second.get(p))
            && mention
                .text
                .as_ref()
                .is_none_or(|t| note.chars().count() > t.chars().count())
        {
            mention.text = Some(note.clone());
        }
        sink.emit(mention)?;
        Ok(())
    };
    for_each_element(name, reader, None, sink, &mut handle)
}

struct Manifest {
    owner: Owner,
    generated: Option<String>,
    tweet_files: Vec<String>,
}

/// Reads a small `window.X = <json>` file as a JSON value.
fn read_js(files: &mut Files, file: &str) -> Option<serde_json::Value> {
    let text = files.read_string(file).ok()?;
    let json = text.split_once('=').map_or(text.as_str(), |(_, rest)| rest);
    let json = json.trim().trim_end_matches(';');
    serde_json::from_str(json).ok()
}

fn read_manifest(files: &mut Files, sink: &mut SocialSink<'_>) -> Option<Manifest> {
    if !files.has("data/manifest.js") {
        return None;
    }
    let Some(v) = read_js(files, "data/manifest.js") else {
        sink.notice(
            files.display("data/manifest.js"),
            "not readable; looking for tweet files by name".to_owned(),
        );
        return None;
    };
    let s = |v: &serde_json::Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    let tweet_files = v["dataTypes"]["tweets"]["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| s(&f["fileName"]))
        .map(|f| f.trim_start_matches("./").to_owned())
        .collect();
    Some(Manifest {
        owner: Owner {
            handle: s(&v["userInfo"]["userName"]),
            name: s(&v["userInfo"]["displayName"]),
        },
        generated: s(&v["archiveInfo"]["generationDate"]).and_then(|d| time::export::normalise(&d)),
        tweet_files,
    })
}

/// The account owner from `data/account.js` (or `account.js` next to a part file).
fn read_owner(files: &mut Files, sink: &mut SocialSink<'_>) -> Owner {
    let Some(file) = ["data/account.js", "account.js"]
        .into_iter()
        .find(|f| files.has(f))
    else {
        return Owner::default();
    };
    let Some(v) = read_js(files, file) else {
        sink.notice(
            files.display(file),
            "not readable; tweets will have no author".to_owned(),
        );
        return Owner::default();
    };
    let account = &v[0]["account"];
    let s = |k: &str| {
        account[k]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Owner {
        handle: s("username"),
        name: s("accountDisplayName"),
    }
}

/// Full texts of long posts from `note-tweet.js`, keyed by their creation second (the
/// archive links them to tweets by time only).
#[derive(Default)]
struct Notes {
    by_second: HashMap<String, String>,
}

fn read_notes(files: &mut Files, sink: &mut SocialSink<'_>) -> Result<Notes, SocialError> {
    let mut notes = Notes::default();
    let Some(file) = ["data/note-tweet.js", "note-tweet.js"]
        .into_iter()
        .find(|f| files.has(f))
    else {
        return Ok(notes);
    };
    let display = files.display(file);
    if let Err(reason) = files.confine(file) {
        sink.skip(display, reason)?;
        return Ok(notes);
    }
    let mut reader = BufReader::new(files.open(file)?);
    let _ = skip_assignment(&mut reader);
    // Notes are counted as records of their own; they do not produce mentions.
    let mut handle = |json: &str, _: &mut SocialSink<'_>| -> Result<(), Bad> {
        let obj = Obj::parse(json)?;
        let note = obj.obj("noteTweet").ok_or("no `noteTweet`")?;
        let created = note.str("createdAt").and_then(|d| time::export::parse(&d));
        let text = note.obj("core").and_then(|c| c.str("text"));
        if let (Some(created), Some(text)) = (created, text) {
            let text = super::text::plain(&text);
            notes.by_second.insert(format_timestamp(created), text);
        }
        Ok(())
    };
    let records = sink.summary.records;
    for_each_element(
        &display,
        &mut reader as &mut dyn Read,
        None,
        sink,
        &mut handle,
    )?;
    sink.summary.records = records;
    Ok(notes)
}
