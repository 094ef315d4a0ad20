//! `earful export`: turn the stream into CSV, TSV, JSON, JSONL, Markdown or the SQLite store.

use std::io;

use anyhow::Context;
use earful::exit::{ExitCode, UsageError};
use earful::export::{
    self, Arrange, Arranged, ColumnCheck, CsvOptions, OutputFormat, RecordWriter, Sort, XlsxWriter,
};
use earful::progress::Printer;
use earful::store::{self, StoreWriter};

use crate::cli::{InputArgs, OutputArgs};

/// Turn mentions into CSV, TSV, JSON, JSON Lines, a Markdown table, XLSX or the SQLite store.
///
/// CSV has a fixed column order (see docs/export.md): nested fields are flattened to dotted
/// names (author.handle, metrics.likes), lists are joined with " | ". `--columns` picks other
/// columns by dotted path (`+name,...` adds to the default ones); a name that is neither a
/// schema field nor in the first 1000 mentions is an error. CSV is Excel-safe by
/// default: a text cell starting with = + - @ tab or CR gets a leading ' (numbers such as
/// -0.4 stay numbers); `--raw` turns that off. JSON is one array. md is a Markdown table
/// (published, platform, author.handle, sentiment.label, labels, text; or --columns), each
/// cell on one line, `|` escaped, cut to 120 characters. xlsx is a workbook: a Mentions
/// sheet with typed cells (dates, numbers, text, http(s) links for the first 65,530 URLs;
/// text is never a formula), frozen header and autofilter, going on in "Mentions 2" past
/// Excel's 1,048,576 rows; and a Counts sheet by label and sentiment. sqlite upserts by id
/// into the mention store (see docs/store.md): run it every hour, a mention is stored once and
/// its row updated when it changed; read it back with `earful fetch mentions.db`. All
/// formats stream: memory does not grow with the input, except with --sort (every
/// mention), --sample N (N mentions) and --dedup (8 bytes per id).
///
/// Examples:
///   earful fetch feeds.opml | earful classify | earful export --format csv -o mentions.csv
///   earful export --columns id,published,text,sentiment.label,my_field mentions.jsonl
///   earful export --format json mentions.jsonl > mentions.json
///   earful export --bom -o for-excel.csv mentions.jsonl
///   earful export -o report.xlsx mentions.jsonl
///   earful export --columns +airline,+negativereason -o airline.csv mentions.jsonl
///   cat monday.jsonl tuesday.jsonl | earful export --dedup --sort -reach -o top.csv
///   earful export --sample 200 --seed 7 --format md mentions.jsonl
///   earful fetch feeds.opml | earful classify | earful export -o mentions.db
///   earful fetch mentions.db --since 7d | earful export -o last-week.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format: csv, tsv, json, jsonl, md, xlsx, sqlite [default: from the -o extension
    /// (an unknown extension is an error), csv on stdout]
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// CSV/TSV/md/xlsx columns, comma-separated dotted paths (default: the documented fixed
    /// order); +a,+b adds a and b to the default columns
    #[arg(long, value_name = "COLS", value_delimiter = ',')]
    pub columns: Option<Vec<String>>,
    /// CSV/TSV: write cells as they are; by default a text cell starting with = + - @ tab or
    /// CR gets a leading ' so a spreadsheet does not run it as a formula
    #[arg(long)]
    pub raw: bool,
    /// CSV/TSV: start with a UTF-8 byte order mark, so Excel on Windows reads UTF-8
    #[arg(long)]
    pub bom: bool,
    /// Sort by published (oldest first), score (sentiment, most negative first) or reach
    /// (author.followers, largest first); -KEY reverses. Holds every mention in memory
    #[arg(long, value_name = "KEY", value_parser = Sort::from_arg, allow_hyphen_values = true)]
    pub sort: Option<Sort>,
    /// Write each id once (the first): for files concatenated from several runs. Keeps a
    /// 64-bit hash per id in memory
    #[arg(long)]
    pub dedup: bool,
    /// Write N mentions chosen at random (reservoir sampling: N held in memory), in input
    /// order; the same input and --seed give the same sample
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// The seed of --sample
    #[arg(long, value_name = "S", default_value_t = 0, requires = "sample")]
    pub seed: u64,
    /// sqlite: rows per transaction; an interrupted export keeps whole batches only
    #[arg(long, value_name = "ROWS", default_value_t = store::DEFAULT_BATCH,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub batch: usize,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let format = OutputFormat::resolve(
        args.format.as_deref(),
        args.output.output.as_deref(),
        OutputFormat::Csv,
    )
    .map_err(UsageError)?;
    let (columns, unseen) = format
        .columns(args.columns.as_deref())
        .map_err(UsageError)?;
    let path = args
        .output
        .output
        .as_deref()
        .filter(|p| p.as_os_str() != "-");
    let arranged = args.sort.is_some() || args.sample.is_some();
    format.check_target(path, arranged).map_err(UsageError)?;
    let inputs = super::inputs(&args.input, printer)?;
    let output = &args.output;
    let csv = CsvOptions {
        columns: columns.clone(),
        raw: args.raw,
        bom: args.bom,
        ..CsvOptions::default()
    };
    let build = move || -> anyhow::Result<Box<dyn RecordWriter>> {
        Ok(match (format, path) {
            (OutputFormat::Sqlite, Some(path)) => Box::new(
                StoreWriter::new(store::open(path)?, args.batch)
                    .with_context(|| path.display().to_string())?,
            ),
            (OutputFormat::Xlsx, Some(path)) => Box::new(XlsxWriter::new(path, columns)?),
            _ => export::writer(format, output.open()?, csv)?,
        })
    };
    let check = ColumnCheck::new(unseen, || {
        build().map_err(|e| io::Error::other(format!("{e:#}")))
    })?;
    let arrange = Arrange {
        dedup: args.dedup,
        sample: args.sample.map(|n| (n, args.seed)),
        sort: args.sort,
    };
    let mut writer = Arranged::new(check, arrange);
    let read = super::for_each_line(&inputs, args.input.strict, printer, |line, _| {
        writer.write_line(line)
    });
    let finished = read.map(|summary| (summary, writer.finish()));
    if let Some(refused) = writer.inner().refused() {
        return Err(UsageError(refused.to_string()).into());
    }
    let (summary, finished) = finished?;
    finished.with_context(|| format!("writing {}", output.name()))?;
    if let Some(path) = path {
        let n = writer.written();
        printer.info(&format!("wrote {n} records to {}", path.display()));
    }
    Ok(super::finish_read(printer, summary))
}
