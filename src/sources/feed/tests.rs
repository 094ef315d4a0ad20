use super::*;
use crate::mention::derived_id;

fn parse_str(doc: &str) -> ParsedFeed {
    parse(
        doc.as_bytes(),
        &Context::new("https://feeds.example/feed.xml"),
    )
    .unwrap()
}

const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>News &amp; Views</title>
<item><title>Caf&amp;eacute; &lt;b&gt;Nimbus&lt;/b&gt;</title><link>https://n.example/a</link>
<guid>https://n.example/a</guid><pubDate>Fri, 01 Mar 2024 10:00:00 +0100</pubDate>
<description>&lt;p&gt;Hello &lt;a href="https://x.example"&gt;world&lt;/a&gt;&lt;/p&gt;</description>
<category>phones</category></item>
<item><description>no id, no link</description></item>
</channel></rss>"#;

#[test]
fn rss_items_are_normalised() {
    let feed = parse(RSS.as_bytes(), &Context::new("feed.xml")).unwrap();
    assert_eq!(feed.format, InputFormat::Rss);
    assert_eq!(feed.title.as_deref(), Some("News & Views"));
    let m = &feed.mentions[0];
    assert_eq!(m.title.as_deref(), Some("Café Nimbus"));
    assert_eq!(m.text.as_deref(), Some("Hello world"));
    assert_eq!(m.published.as_deref(), Some("2024-03-01T09:00:00Z"));
    assert_eq!(m.links, vec!["https://x.example"]);
    assert_eq!(m.tags, vec!["phones"]);
    assert_eq!(m.id, derived_id("web", "https://n.example/a"));
}

#[test]
fn ids_without_guid_or_link_are_deterministic() {
    let a = parse(RSS.as_bytes(), &Context::new("feed.xml")).unwrap();
    let b = parse(RSS.as_bytes(), &Context::new("feed.xml")).unwrap();
    assert_eq!(a.mentions[1].id, b.mentions[1].id);
    assert!(a.mentions[1].id.starts_with("web:"));
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let err = parse(b"<html><body>hi</body></html>", &Context::new("x")).unwrap_err();
    assert_eq!(err.to_string(), "not a feed: an HTML page");
    let page = br#"<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>x</body></html>"#;
    let err = parse(page, &Context::new("https://blog.example/post")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a feed: an HTML page (it names a feed: https://blog.example/feed.xml)"
    );
    assert!(parse(b"\xff\xfe<\x00r\x00", &Context::new("x")).is_err());
    assert!(parse(b"", &Context::new("x")).is_err());
    assert!(parse(b"{\"a\":1}", &Context::new("x")).is_err());
}

#[test]
fn rss_without_version_and_odd_versions() {
    for v in [
        "",
        " version=\"0.93\"",
        " version=\"0.94\"",
        " version=\"2.01\"",
    ] {
        let doc = format!("<rss{v}><channel><item><title>t</title></item></channel></rss>");
        assert_eq!(parse_str(&doc).mentions.len(), 1, "{v}");
    }
}

#[test]
fn atom_03_with_modes() {
    let doc = r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title>
<entry><title mode="escaped" type="text/html">A &lt;i&gt;b&lt;/i&gt;</title>
<link rel="alternate" type="text/html" href="http://o.example/1"/><id>tag:o,1</id>
<issued>2004-07-08T23:56:58Z</issued><modified>2004-07-09T00:00:00Z</modified>
<content type="text/plain" mode="base64">SGVsbG8gd29ybGQ=</content></entry></feed>"#;
    let f = parse_str(doc);
    assert_eq!(f.format, InputFormat::Atom);
    let m = &f.mentions[0];
    assert_eq!(m.title.as_deref(), Some("A b"));
    assert_eq!(m.url.as_deref(), Some("http://o.example/1"));
    assert_eq!(m.published.as_deref(), Some("2004-07-08T23:56:58Z"));
    assert_eq!(m.text.as_deref(), Some("Hello world"));
}

#[test]
fn atom_xhtml_content_and_xml_base() {
    let doc = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://b.example/blog/">
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X <b>Y</b></div></title>
<link href="post/1"/><id>urn:1</id>
<content type="application/xhtml+xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <a href="../a">there</a></p></div></content>
</entry></feed>"#;
    let m = &parse_str(doc).mentions[0];
    assert_eq!(m.title.as_deref(), Some("X Y"));
    assert_eq!(m.url.as_deref(), Some("http://b.example/blog/post/1"));
    assert_eq!(m.text.as_deref(), Some("Hi there"));
    assert_eq!(m.links, vec!["http://b.example/a"]);
}

/// Issue 14, item 10: `xml:base="file:///etc/"` made the url `file:///etc/passwd`; links
/// of another scheme than http(s) are dropped.
#[test]
fn regression_14_10_only_web_links() {
    let doc = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="file:///etc/">
<entry><title>T</title><link href="passwd"/><id>urn:1</id>
<author><name>A</name><uri>javascript:alert(1)</uri></author>
<content type="html">&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt; &lt;a href="https://ok.example/"&gt;y&lt;/a&gt;</content>
</entry></feed>"#;
    let m = &parse_str(doc).mentions[0];
    assert_eq!(m.url, None);
    assert_eq!(m.links, vec!["https://ok.example/"]);
    assert_eq!(m.author.as_ref().and_then(|a| a.url.as_deref()), None);
}

#[test]
fn relative_links_resolve_against_the_feed_url() {
    let doc = "<rss><channel><item><link>/p/1</link></item></channel></rss>";
    assert_eq!(
        parse_str(doc).mentions[0].url.as_deref(),
        Some("https://feeds.example/p/1")
    );
}

#[test]
fn absolute_links_are_not_rewritten() {
    let doc = "<rss><channel><item><link>https://Tile.example</link></item></channel></rss>";
    assert_eq!(
        parse_str(doc).mentions[0].url.as_deref(),
        Some("https://Tile.example")
    );
}

#[test]
fn permalink_guid_is_the_link() {
    let doc = r#"<rss><channel><item><guid>https://g.example/1</guid></item>
<item><guid isPermaLink="false">https://g.example/2</guid></item></channel></rss>"#;
    let f = parse_str(doc);
    assert_eq!(f.mentions[0].url.as_deref(), Some("https://g.example/1"));
    assert_eq!(f.mentions[1].url, None);
}

#[test]
fn rss_10_items_without_link_are_kept() {
    let doc = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://r.example/"><title>R</title></channel>
<item rdf:about="http://r.example/1"><title>one</title><dc:date>2004-07-08T23:56:58+00:00</dc:date></item>
<item rdf:about="http://r.example/2"><title>two</title><link>http://r.example/2</link></item>
</rdf:RDF>"#;
    let f = parse_str(doc);
    assert_eq!(f.mentions.len(), 2);
    assert_eq!(f.mentions[0].title.as_deref(), Some("one"));
    assert_eq!(
        f.mentions[0].published.as_deref(),
        Some("2004-07-08T23:56:58Z")
    );
}

#[test]
fn broken_xml_is_recovered() {
    let doc = "<rss version=\"2.0\"><channel><title>Q&A</title>
<item><title>Fish & chips</title><description>one<br>two</description><link>http://b.example/1</link></item>
<item><title>Mismatch</titel><link>http://b.example/2</link></item>
<item><title>Truncated</title><link>http://b.exa";
    let f = parse_str(doc);
    assert_eq!(f.title.as_deref(), Some("Q&A"));
    let titles: Vec<_> = f
        .mentions
        .iter()
        .map(|m| m.title.clone().unwrap_or_default())
        .collect();
    assert_eq!(titles, ["Fish & chips", "Mismatch", "Truncated"]);
    assert_eq!(f.mentions[0].text.as_deref(), Some("one two"));
    assert_eq!(f.mentions[1].url.as_deref(), Some("http://b.example/2"));
}

#[test]
fn json_feed_10_and_11() {
    let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://j.example/",
"authors":[{"name":"Ann"}],"items":[{"id":1,"url":"p/1","title":"T &#8211; x","content_html":"<p>Hi</p>","date_published":"2024-03-01T10:00:00+01:00","tags":["a"]},
{"id":"2","content_text":"plain","author":{"name":"Bob"}}]}"#;
    let f = parse_str(doc);
    assert_eq!(f.format, InputFormat::JsonFeed);
    assert_eq!(f.mentions[0].url.as_deref(), Some("https://j.example/p/1"));
    assert_eq!(f.mentions[0].title.as_deref(), Some("T – x"));
    assert_eq!(
        f.mentions[0].author.as_ref().unwrap().name.as_deref(),
        Some("Ann")
    );
    assert_eq!(
        f.mentions[1].author.as_ref().unwrap().name.as_deref(),
        Some("Bob")
    );
    assert_eq!(f.mentions[1].text.as_deref(), Some("plain"));
}

#[test]
fn format_override() {
    let mut ctx = Context::new("x");
    ctx.format = Some(InputFormat::Atom);
    let doc = "<weird><entry><title>a</title></entry></weird>";
    assert_eq!(parse(doc.as_bytes(), &ctx).unwrap().mentions.len(), 1);
    assert!(parse(doc.as_bytes(), &Context::new("x")).is_err());
}

#[test]
fn detection() {
    assert_eq!(
        detect(b"<?xml version='1.0'?><feed/>"),
        Some(InputFormat::Atom)
    );
    assert_eq!(detect(b"\n\n<rss/>"), Some(InputFormat::Rss));
    assert_eq!(
        detect(b"{\"version\":\"https://jsonfeed.org/version/1\",\"items\":[]}"),
        Some(InputFormat::JsonFeed)
    );
    assert_eq!(detect(b"<!DOCTYPE html><html></html>"), None);
}

#[test]
fn google_alerts() {
    let doc = r#"<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:google.com,2005:reader/user/1/state/com.google/alerts/2</id>
<title>Google Alert - acme</title><entry><id>tag:google.com,2013:googlealerts/feed:111</id>
<title type="html">Why the &lt;b&gt;Acme app&lt;/b&gt; redesign &amp;#39;annoyed&amp;#39; users</title>
<link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://news.example.com/acme-redesign&amp;ct=ga&amp;cd=CAI&amp;usg=AOv"/>
<published>2024-03-01T09:05:00Z</published><content type="html">Customers say the &lt;b&gt;Acme app&lt;/b&gt; is slow&amp;nbsp;...</content>
<author><name></name></author></entry></feed>"#;
    let m = &parse_str(doc).mentions[0];
    assert_eq!(
        m.title.as_deref(),
        Some("Why the Acme app redesign 'annoyed' users")
    );
    assert_eq!(
        m.url.as_deref(),
        Some("https://news.example.com/acme-redesign")
    );
    assert_eq!(
        m.text.as_deref(),
        Some("Customers say the Acme app is slow ...")
    );
    assert_eq!(m.extra["site"], "news.example.com");
    assert!(m.author.is_none());
}

#[test]
fn reddit_atom() {
    let doc = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry>
<author><name>/u/night_owl</name><uri>https://www.reddit.com/user/night_owl</uri></author>
<category term="androidapps" label="r/androidapps"/>
<content type="html">&lt;!-- SC_OFF --&gt;&lt;div class="md"&gt;&lt;p&gt;Acme keeps logging me out.&lt;/p&gt;&lt;/div&gt;&lt;!-- SC_ON --&gt; &amp;#32; submitted by &amp;#32; &lt;a href="https://www.reddit.com/user/night_owl"&gt; /u/night_owl &lt;/a&gt; &lt;br/&gt; &lt;span&gt;&lt;a href="https://www.reddit.com/r/androidapps/comments/1abcde/acme_logout/"&gt;[link]&lt;/a&gt;&lt;/span&gt;</content>
<id>t3_1abcde</id><link href="https://www.reddit.com/r/androidapps/comments/1abcde/acme_logout/"/>
<published>2024-03-01T07:58:11+00:00</published><title>Acme app logs me out</title></entry></feed>"#;
    let m = &parse_str(doc).mentions[0];
    assert_eq!(m.id, "reddit:t3_1abcde");
    assert_eq!(m.platform.as_deref(), Some("reddit"));
    assert_eq!(m.kind, Some(Kind::Post));
    assert_eq!(m.text.as_deref(), Some("Acme keeps logging me out."));
    let a = m.author.as_ref().unwrap();
    assert_eq!(a.handle.as_deref(), Some("night_owl"));
    assert_eq!(m.extra["subreddit"], "androidapps");
    assert_eq!(m.tags, vec!["androidapps"]);
}

#[test]
fn mastodon_tag_rss() {
    let doc = r#"<rss version="2.0"><channel><title>#acme</title><item>
<guid isPermaLink="true">https://fosstodon.example/@kim/111222333444555666</guid>
<link>https://fosstodon.example/@kim/111222333444555666</link>
<pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate>
<description>&lt;p&gt;Switched from &lt;a href="https://fosstodon.example/tags/acme"&gt;#acme&lt;/a&gt; to a competitor.&lt;/p&gt;</description>
<category>acme</category></item></channel></rss>"#;
    let m = &parse_str(doc).mentions[0];
    assert_eq!(m.platform.as_deref(), Some("mastodon"));
    assert_eq!(m.id, "mastodon:111222333444555666");
    assert_eq!(
        m.author.as_ref().unwrap().handle.as_deref(),
        Some("kim@fosstodon.example")
    );
    assert_eq!(m.tags, vec!["acme"]);
    assert!(m.title.is_none());
    assert!(m.links.is_empty());
}

#[test]
fn hnrss_metrics() {
    let doc = r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item>
<title><![CDATA[Show HN: An alternative to Acme]]></title>
<description><![CDATA[
<p>Article URL: <a href="https://example.org/tool">https://example.org/tool</a></p>
<p>Comments URL: <a href="https://news.ycombinator.com/item?id=39500000">https://news.ycombinator.com/item?id=39500000</a></p>
<p>Points: 42</p>
<p># Comments: 17</p>
]]></description><pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate><link>https://example.org/tool</link>
<dc:creator>pgdev</dc:creator><comments>https://news.ycombinator.com/item?id=39500000</comments>
<guid isPermaLink="false">https://news.ycombinator.com/item?id=39500000</guid></item></channel></rss>"#;
    let f = parse(
        doc.as_bytes(),
        &Context::new("https://hnrss.org/newest?q=acme"),
    )
    .unwrap();
    let m = &f.mentions[0];
    assert_eq!(m.id, "hackernews:39500000");
    let metrics = m.metrics.as_ref().unwrap();
    assert_eq!((metrics.score, metrics.comments), (Some(42), Some(17)));
    assert_eq!(m.text, None);
    assert_eq!(m.author.as_ref().unwrap().handle.as_deref(), Some("pgdev"));
}

#[test]
fn wordpress_comments() {
    let doc = r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Comments for Acme Blog</title>
<item><title>Comment on Our new app by Jane</title><link>https://blog.example/new-app/#comment-12</link>
<guid isPermaLink="false">https://blog.example/?p=5#comment-12</guid><description>Love it</description></item></channel></rss>"#;
    let m = &parse_str(doc).mentions[0];
    assert_eq!(m.kind, Some(Kind::Comment));
    assert_eq!(m.author.as_ref().unwrap().name.as_deref(), Some("Jane"));
    assert_eq!(
        m.in_reply_to.as_deref(),
        Some("https://blog.example/new-app/")
    );
}

#[test]
fn youtube() {
    let doc = r#"<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
<entry><id>yt:video:abc</id><yt:videoId>abc</yt:videoId><yt:channelId>UC1</yt:channelId><title>Vid</title>
<link rel="alternate" href="https://www.youtube.com/watch?v=abc"/><author><name>Chan</name><uri>https://www.youtube.com/channel/UC1</uri></author>
<media:group><media:description>About acme</media:description><media:community><media:starRating count="5" average="5.0" min="1" max="5"/><media:statistics views="1234"/></media:community></media:group>
</entry></feed>"#;
    let m = &parse_str(doc).mentions[0];
    assert_eq!(m.id, "youtube:abc");
    assert_eq!(m.metrics.as_ref().unwrap().views, Some(1234));
    assert_eq!(m.text.as_deref(), Some("About acme"));
    assert_eq!(m.extra["channel_id"], "UC1");
}

proptest::proptest! {
    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
        let _ = parse(&bytes, &Context::new("https://p.example/"));
    }

    #[test]
    fn never_panics_on_feedlike_soup(parts in proptest::collection::vec(proptest::sample::select(vec![
        "<rss>", "<channel>", "<item>", "</item>", "<title>", "</title>", "<link>", "</link>", "&", "&amp;",
        "<![CDATA[", "]]>", "<!--", "-->", "<br>", "x", " ", "<feed>", "<entry>", "<content type=\"xhtml\">",
        "</content>", "<?xml", "?>", "<a href='", "\"", "<guid>", "http://a/b", "<pubDate>", "Mon, 2 Jan 06",
        "<", ">", "/>", "\u{e9}", "<dc:date>", "2004-07-08 23:56:58",
    ]), 0..200)) {
        let doc: String = parts.concat();
        let _ = parse(doc.as_bytes(), &Context::new("https://p.example/"));
        let _ = parse(doc.as_bytes(), &Context { format: Some(InputFormat::Atom), ..Context::new("x") });
    }
}

/// Issue 14 item 10: a hostile `xml:base` or link scheme never reaches `url` or `links`.
#[test]
fn only_http_links_are_kept() {
    let doc = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="file:///etc/">
<entry><id>urn:1</id><title>t</title><link href="passwd"/>
<author><name>a</name><uri>javascript:alert(1)</uri></author>
<content type="html">&lt;a href="shadow"&gt;x&lt;/a&gt; &lt;a href="https://ok.example/"&gt;y&lt;/a&gt;</content>
</entry></feed>"#;
    let m = &parse_str(doc).mentions[0];
    assert_eq!(m.url, None);
    assert_eq!(m.links, vec!["https://ok.example/"]);
    assert_eq!(m.author.as_ref().and_then(|a| a.url.clone()), None);
}
