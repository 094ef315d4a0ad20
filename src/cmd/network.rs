//! `earful network`: who talks to whom, as a graph for Gephi, networkx, igraph or d3.

use earful::exit::{ExitCode, UsageError};
use earful::network::{self, FinishOptions, Graph, NetworkFormat, Options, write};
use earful::parallel;
use earful::progress::Printer;

use crate::cli::{InputArgs, OutputArgs, ThreadsArgs};

/// Build the graph of who talks to whom (replies, mentions, reposts, quotes) for Gephi.
///
/// Nodes are users (`platform:handle`, handles lowercased), with their name, platform,
/// mentions written, first and last seen, mean sentiment and dominant labels; or hashtags
/// (linked when used together), posts (reply and quote threads) or users and the hashtags
/// they use. A directed user edge counts each type: reply (to the parent post's author when
/// the parent is in the input, even later in it; else to the first handle mentioned on X and
/// Mastodon), mention (each other @handle), repost (`RT @handle`, else the first mention) and
/// quote (the author of the quoted post's link). Every node carries its degree, weighted
/// degree, in/out degree and Louvain community, so Gephi can size and colour without more
/// work. Definitions and how to open the graph in Gephi: docs/network.md.
///
/// Formats: gexf (1.3, Gephi's own; --dynamic adds each node's and edge's time interval for
/// the timeline), graphml (networkx, igraph, yEd), csv (-o edges.csv, and nodes.csv beside
/// it, in Gephi's spreadsheet columns), json (nodes and links, for d3); from --format or the
/// -o extension, else gexf.
///
/// Memory grows with the number of distinct nodes and edges (and 16 bytes per post id and
/// URL, to find the parent of a reply), never with the text of the mentions; the input need
/// not be sorted.
///
/// Examples:
///   earful network mentions.jsonl -o graph.gexf
///   earful network --edges reply,mention --min-weight 2 --top 500 mentions.jsonl -o core.gexf
///   earful network --nodes hashtags mentions.jsonl -o hashtags.graphml
///   earful network --nodes users,hashtags --dynamic mentions.jsonl -o who-uses-what.gexf
///   earful filter 'label:complaint' mentions.jsonl | earful network -o edges.csv
///   earful network --format json mentions.jsonl > graph.json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// What the nodes are: users, hashtags, posts, or users,hashtags (bipartite)
    #[arg(long, value_name = "KIND", default_value = "users")]
    pub nodes: String,
    /// Edge types drawn between users (or posts: reply, quote), comma-separated [default: all]
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    pub edges: Option<Vec<String>>,
    /// Leave out edges of a smaller weight (and, above 1, nodes left without an edge)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_weight: u64,
    /// Keep only the N nodes of highest degree and the edges between them
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub top: Option<u64>,
    /// Seed of the community search: the same seed, the same communities
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// GEXF: give each node and edge its first and last mention's time (Gephi's timeline)
    #[arg(long)]
    pub dynamic: bool,
    /// Output format: gexf, graphml, csv or json [default: from the -o extension, else gexf]
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    #[command(flatten)]
    pub threads: ThreadsArgs,
}

pub fn run(args: Args, printer: &Printer) -> anyhow::Result<ExitCode> {
    let usage = |msg: String| anyhow::Error::from(UsageError(msg));
    let options = Options::parse(&args.nodes, args.edges.as_deref()).map_err(usage)?;
    let format = NetworkFormat::resolve(args.format.as_deref(), args.output.output.as_deref())
        .map_err(usage)?;
    let edges_path = args.output.output.clone().filter(|p| p.as_os_str() != "-");
    if format == NetworkFormat::Csv && edges_path.is_none() {
        return Err(usage(
            "csv writes two files: name the edges file with -o edges.csv (nodes.csv goes beside it)"
                .into(),
        ));
    }
    if args.dynamic && format != NetworkFormat::Gexf {
        printer.warn("--dynamic is for gexf; the other formats carry first_seen and last_seen");
    }
    let inputs = super::inputs(&args.input, printer)?;
    let (summary, graph) = parallel::fold_lines(
        inputs,
        args.threads.count(),
        args.input.strict,
        super::bad_line_report(printer),
        (
            move || Graph::new(options),
            |g: &mut Graph, line: &str| g.add_line(line),
            Graph::merge,
        ),
    )?;
    let unplaced = graph.unplaced;
    let net = graph.finish(&FinishOptions {
        min_weight: args.min_weight,
        top: args.top.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        seed: args.seed,
    });
    let mut out = args.output.open()?;
    match format {
        NetworkFormat::Gexf => network::write_gexf(&net, args.dynamic, &mut out)?,
        NetworkFormat::Graphml => network::write_graphml(&net, &mut out)?,
        NetworkFormat::Json => network::write_json(&net, &mut out)?,
        NetworkFormat::Csv => {
            let nodes_path = write::nodes_path(edges_path.as_deref().expect("checked above"));
            let mut nodes = earful::jsonl::Output::from_arg(Some(&nodes_path))
                .map_err(|e| anyhow::anyhow!("creating {}: {e}", nodes_path.display()))?;
            network::write_csv(&net, &mut out, &mut nodes)?;
            nodes.flush()?;
        }
    }
    out.flush()?;
    if unplaced > 0 {
        printer.warn(&format!(
            "{unplaced} mention(s) {} left out",
            options.nodes.unplaced()
        ));
    }
    printer.info(&format!(
        "{} nodes, {} edges, {} communities",
        net.nodes.len(),
        net.edges.len(),
        net.communities()
    ));
    Ok(super::finish_read(printer, summary))
}
