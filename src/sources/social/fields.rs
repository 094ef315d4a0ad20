//! Mention fields that `--map FIELD=COLUMN` can fill, and the common column names each is
//! filled from by default (CSV headers and generic JSON keys).

/// A mention field that a CSV column or a JSON path can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Id,
    Platform,
    Kind,
    Url,
    Title,
    Text,
    Lang,
    Published,
    Collected,
    AuthorName,
    AuthorHandle,
    AuthorUrl,
    AuthorFollowers,
    Likes,
    Reposts,
    Replies,
    Quotes,
    Views,
    Score,
    Comments,
    InReplyTo,
    Links,
    Tags,
    Mentions,
    /// A column whose non-empty value marks a repost (`retweeted_id`).
    RepostOf,
    /// A column whose non-empty value marks a quote (`quoted_id`).
    QuoteOf,
}

/// Every field: its `--map` name and the column names (lower-case, compared after
/// removing spaces) that fill it when no `--map` is given, best first.
pub const FIELDS: &[(Field, &str, &[&str])] = &[
    (
        Field::Id,
        "id",
        &[
            "id",
            "tweet_id",
            "id_str",
            "status_id",
            "post_id",
            "tweetid",
            "cid",
        ],
    ),
    (Field::Platform, "platform", &["platform"]),
    (Field::Kind, "kind", &["kind"]),
    (
        Field::Url,
        "url",
        &["url", "link", "permalink", "tweet_url", "post_url", "uri"],
    ),
    (Field::Title, "title", &["title", "subject", "headline"]),
    (
        Field::Text,
        "text",
        &[
            "text",
            "full_text",
            "rawcontent",
            "content",
            "body",
            "message",
            "tweet",
            "tweet_text",
            "selftext",
            "post",
            "comment",
        ],
    ),
    (Field::Lang, "lang", &["lang", "language"]),
    (
        Field::Published,
        "published",
        &[
            "published",
            "created_at",
            "date",
            "tweet_created",
            "timestamp_utc",
            "timestamp",
            "datetime",
            "time",
            "createdat",
            "created",
            "local_time",
            "posted_at",
        ],
    ),
    (
        Field::Collected,
        "collected",
        &[
            "collected",
            "collection_time",
            "__twarc.retrieved_at",
            "retrieved_at",
        ],
    ),
    (
        Field::AuthorName,
        "author.name",
        &[
            "author.name",
            "name",
            "user_name",
            "author_name",
            "display_name",
            "displayname",
            "user.name",
        ],
    ),
    (
        Field::AuthorHandle,
        "author.handle",
        &[
            "author.handle",
            "author.username",
            "screen_name",
            "user_screen_name",
            "username",
            "user_handle",
            "handle",
            "user.screen_name",
            "user",
            "author",
        ],
    ),
    (
        Field::AuthorUrl,
        "author.url",
        &["author.url", "user_url", "profile_url"],
    ),
    (
        Field::AuthorFollowers,
        "author.followers",
        &[
            "author.followers",
            "author.public_metrics.followers_count",
            "user_followers",
            "followers_count",
            "followers",
        ],
    ),
    (
        Field::Likes,
        "metrics.likes",
        &[
            "metrics.likes",
            "public_metrics.like_count",
            "like_count",
            "likes",
            "favorite_count",
            "favourites_count",
            "likecount",
        ],
    ),
    (
        Field::Reposts,
        "metrics.reposts",
        &[
            "metrics.reposts",
            "public_metrics.retweet_count",
            "retweet_count",
            "retweets",
            "repost_count",
            "reposts",
            "retweetcount",
        ],
    ),
    (
        Field::Replies,
        "metrics.replies",
        &[
            "metrics.replies",
            "public_metrics.reply_count",
            "reply_count",
            "replies",
            "replycount",
        ],
    ),
    (
        Field::Quotes,
        "metrics.quotes",
        &[
            "metrics.quotes",
            "public_metrics.quote_count",
            "quote_count",
            "quotes",
            "quotecount",
        ],
    ),
    (
        Field::Views,
        "metrics.views",
        &[
            "metrics.views",
            "public_metrics.impression_count",
            "impression_count",
            "view_count",
            "views",
            "viewcount",
        ],
    ),
    (
        Field::Score,
        "metrics.score",
        &["metrics.score", "score", "points"],
    ),
    (
        Field::Comments,
        "metrics.comments",
        &["metrics.comments", "num_comments", "comments_count"],
    ),
    (
        Field::InReplyTo,
        "in_reply_to",
        &[
            "in_reply_to",
            "referenced_tweets.replied_to.id",
            "in_reply_to_status_id",
            "in_reply_to_status_id_str",
            "to_tweetid",
            "in_reply_to_id",
            "parent_id",
        ],
    ),
    (Field::Links, "links", &["links", "urls", "expanded_urls"]),
    (Field::Tags, "tags", &["tags", "hashtags"]),
    (
        Field::Mentions,
        "mentions",
        &[
            "mentions",
            "mentioned_names",
            "user_mentions",
            "mentioned_user_handles",
        ],
    ),
    (
        Field::RepostOf,
        "repost_of",
        &[
            "referenced_tweets.retweeted.id",
            "retweeted_id",
            "retweeted_status_id",
            "reposted_uri",
        ],
    ),
    (
        Field::QuoteOf,
        "quote_of",
        &[
            "referenced_tweets.quoted.id",
            "quoted_id",
            "quoted_status_id",
            "quoted_uri",
        ],
    ),
];

impl Field {
    /// The field called `name` in `--map` (`text`, `author.handle`; `author` and bare
    /// metric names such as `likes` are accepted too).
    pub fn from_name(name: &str) -> Option<Field> {
        let name = name.trim().to_ascii_lowercase();
        let name = match name.as_str() {
            "author" | "handle" => "author.handle",
            "followers" => "author.followers",
            "likes" | "reposts" | "replies" | "quotes" | "views" | "score" | "comments" => {
                return FIELDS
                    .iter()
                    .find(|(_, n, _)| n.strip_prefix("metrics.") == Some(name.as_str()))
                    .map(|(f, _, _)| *f);
            }
            other => other,
        };
        FIELDS
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(f, _, _)| *f)
    }

    /// The `--map` name.
    pub fn name(self) -> &'static str {
        FIELDS
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("?", |(_, n, _)| n)
    }

    /// The default column names.
    pub fn aliases(self) -> &'static [&'static str] {
        FIELDS
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or(&[], |(_, _, a)| a)
    }
}

/// `--map` pairs: a mention field and the CSV column or dotted JSON path it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    pairs: Vec<(Field, String)>,
}

/// A `--map` argument that is not `FIELD=COLUMN` with a known field.
#[derive(Debug, Clone, thiserror::Error)]
#[error("--map {arg}: {why}")]
pub struct MapError {
    arg: String,
    why: String,
}

impl FieldMap {
    /// Parses `--map` arguments (`text=Body`, `published=meta.date`).
    pub fn parse<S: AsRef<str>>(args: &[S]) -> Result<FieldMap, MapError> {
        let mut pairs = Vec::new();
        for arg in args {
            let arg = arg.as_ref();
            let err = |why: String| MapError {
                arg: arg.to_owned(),
                why,
            };
            let (field, column) = arg
                .split_once('=')
                .ok_or_else(|| err("expected FIELD=COLUMN".to_owned()))?;
            let field = Field::from_name(field).ok_or_else(|| {
                let names: Vec<&str> = FIELDS.iter().map(|(_, n, _)| *n).collect();
                err(format!(
                    "unknown field `{field}`; fields are {}",
                    names.join(", ")
                ))
            })?;
            if column.is_empty() {
                return Err(err("empty column name".to_owned()));
            }
            pairs.retain(|(f, _)| *f != field);
            pairs.push((field, column.to_owned()));
        }
        Ok(FieldMap { pairs })
    }

    /// The column or path given for `field`.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.as_str())
    }

    /// Every pair given.
    pub fn pairs(&self) -> &[(Field, String)] {
        &self.pairs
    }

    /// True when no `--map` was given.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// A column name made comparable: lower-case, spaces and dashes as `_`.
pub fn normalise_column(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_map_arguments() {
        let m = FieldMap::parse(&["text=Body", "author=User Name", "likes=Likes"]).unwrap();
        assert_eq!(m.get(Field::Text), Some("Body"));
        assert_eq!(m.get(Field::AuthorHandle), Some("User Name"));
        assert_eq!(m.get(Field::Likes), Some("Likes"));
        assert!(FieldMap::parse(&["nope=X"]).is_err());
        assert!(FieldMap::parse(&["text"]).is_err());
        assert!(FieldMap::parse(&["text="]).is_err());
        for (f, n, _) in FIELDS {
            assert_eq!(Field::from_name(n), Some(*f));
        }
    }
}
