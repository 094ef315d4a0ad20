#!/usr/bin/env python3
"""Draws docs/network-sample.png from GEXF files written by `earful network`, the way Gephi
would show them: colour by community, size by degree, edge width by weight. Each file is a
panel, titled by its name; nodes without an edge are left out of the drawing.

    earful fetch examples/feeds examples/x-archive | earful classify | earful network -o /tmp/examples.gexf
    earful network tests/fixtures/network/conversation.jsonl -o /tmp/conversation.gexf
    python3 docs/network-sample.py docs/network-sample.png /tmp/examples.gexf /tmp/conversation.gexf

Needs networkx and matplotlib (pip install networkx matplotlib).
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402

out, files = sys.argv[1], sys.argv[2:]
fig, axes = plt.subplots(1, len(files), figsize=(7 * len(files), 6.5))
axes = [axes] if len(files) == 1 else axes
palette = plt.get_cmap("tab10")
for ax, path in zip(axes, files):
    g = nx.read_gexf(path)
    g.remove_nodes_from([n for n, d in g.degree() if d == 0])
    # Each connected component laid out on its own, side by side, largest first.
    pos, x = {}, 0.0
    for nodes in sorted(nx.connected_components(g.to_undirected()), key=len, reverse=True):
        sub = g.subgraph(nodes).to_undirected()
        size = len(nodes) ** 0.5
        part = nx.spring_layout(sub, seed=3, k=2.0 / size, iterations=300, scale=size)
        left = min(p[0] for p in part.values())
        for n, (px, py) in part.items():
            pos[n] = (x + px - left, py)
        x += max(p[0] for p in part.values()) - left + 1.2
    colours = [palette(g.nodes[n]["community"] % 10) for n in g]
    sizes = [250 + 220 * g.nodes[n]["degree"] for n in g]
    widths = [0.8 + 1.2 * d["weight"] for _, _, d in g.edges(data=True)]
    nx.draw_networkx_edges(g, pos, ax=ax, width=widths, edge_color="#888888", arrows=True,
                           arrowsize=14, node_size=sizes, connectionstyle="arc3,rad=0.08")
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color=colours, node_size=sizes,
                           edgecolors="white", linewidths=1.5)
    labels = {n: n.split(":", 1)[-1] for n in g}
    nx.draw_networkx_labels(g, pos, labels, ax=ax, font_size=9)
    communities = len({g.nodes[n]["community"] for n in g})
    ax.set_title(f"{path.rsplit('/', 1)[-1]}: {g.number_of_nodes()} users, "
                 f"{g.number_of_edges()} edges, {communities} "
                 f"{'community' if communities == 1 else 'communities'}", fontsize=11)
    ax.axis("off")
fig.tight_layout()
fig.savefig(out, dpi=110)
