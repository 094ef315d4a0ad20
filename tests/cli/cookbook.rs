//! docs/cookbook.md: every recipe runs as written on the bundled data.

#[test]
fn recipes_run_as_written() {
    let wrote = [
        "share-of-voice.csv",
        "share.html",
        "new.jsonl",
        "queue.csv",
        "my-tweets.csv",
        "spikes.csv",
        "mentions.db",
        "listen.sh",
    ];
    crate::readme::run_doc("docs/cookbook.md", &[], &wrote);
}
