//! Communities by Louvain modularity (Blondel, Guillaume, Lambiotte & Lefebvre 2008).
//!
//! Each level moves nodes one at a time to the neighbouring community that raises the
//! modularity most, until no move raises it, then folds each community into one node and
//! starts again on the folded graph, until a level moves nothing. Edges are taken as
//! undirected (a directed pair's weights add up), as Gephi's and networkx's Louvain do.
//! The order nodes are visited in is shuffled by a seed, so a seed gives the same
//! communities every run.

/// Passes over the nodes at one level, at most (a few dozen suffice on real graphs).
const MAX_PASSES: usize = 1000;

/// The community of each of `n` nodes, given undirected weighted `edges` (`a`, `b`,
/// weight; self-loops and repeated pairs allowed). Communities are numbered from 0 by
/// size, largest first (ties: the one holding the lowest node first).
pub fn communities(n: usize, edges: &[(usize, usize, f64)], seed: u64) -> Vec<usize> {
    let mut graph = Level::new(n, edges);
    let mut member: Vec<usize> = (0..n).collect();
    let mut rng = fastrand::Rng::with_seed(seed);
    loop {
        let (moved, community) = graph.one_level(&mut rng);
        for m in &mut member {
            *m = community[*m];
        }
        if !moved {
            break;
        }
        graph = graph.fold(&community);
    }
    number_by_size(&member)
}

/// The modularity of a partition of an undirected weighted graph: the share of weight
/// inside communities minus its expected share were edges placed at random with the same
/// degrees.
pub fn modularity(n: usize, edges: &[(usize, usize, f64)], community: &[usize]) -> f64 {
    let graph = Level::new(n, edges);
    let m2: f64 = graph.k.iter().sum();
    if m2 == 0.0 {
        return 0.0;
    }
    let groups = community.iter().max().map_or(0, |c| c + 1);
    let mut inside = vec![0.0; groups];
    let mut tot = vec![0.0; groups];
    for (i, adj) in graph.adj.iter().enumerate() {
        tot[community[i]] += graph.k[i];
        for &(j, w) in adj {
            if community[i] == community[j] {
                inside[community[i]] += w;
            }
        }
    }
    inside
        .iter()
        .zip(&tot)
        .map(|(inside, tot)| inside / m2 - (tot / m2).powi(2))
        .sum()
}

/// A graph at one level: symmetric adjacency lists (a self-loop appears once with twice
/// its weight, so that `k` is each row's sum).
struct Level {
    adj: Vec<Vec<(usize, f64)>>,
    k: Vec<f64>,
}

impl Level {
    fn new(n: usize, edges: &[(usize, usize, f64)]) -> Level {
        let mut adj = vec![Vec::new(); n];
        for &(a, b, w) in edges {
            if a == b {
                adj[a].push((a, 2.0 * w));
            } else {
                adj[a].push((b, w));
                adj[b].push((a, w));
            }
        }
        Level::from_adj(adj)
    }

    fn from_adj(mut adj: Vec<Vec<(usize, f64)>>) -> Level {
        // One entry per neighbour.
        for row in &mut adj {
            row.sort_unstable_by_key(|&(j, _)| j);
            row.dedup_by(|next, kept| {
                let same = next.0 == kept.0;
                if same {
                    kept.1 += next.1;
                }
                same
            });
        }
        let k = adj
            .iter()
            .map(|row| row.iter().map(|&(_, w)| w).sum())
            .collect();
        Level { adj, k }
    }

    /// Moves nodes between communities until no move raises the modularity; returns
    /// whether any node moved and each node's community, numbered 0.. densely.
    fn one_level(&self, rng: &mut fastrand::Rng) -> (bool, Vec<usize>) {
        let n = self.adj.len();
        let m2: f64 = self.k.iter().sum();
        let mut community: Vec<usize> = (0..n).collect();
        if m2 == 0.0 {
            return (false, community);
        }
        let mut tot = self.k.clone();
        let mut order: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut order);
        // Weight from the node being moved to each neighbouring community.
        let mut to_community = vec![0.0f64; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut moved_any = false;
        // Each pass raises the modularity, so this ends; the cap bounds rounding's cycles.
        for _ in 0..MAX_PASSES {
            let mut moved = false;
            for &i in &order {
                let own = community[i];
                for &(j, w) in &self.adj[i] {
                    if j != i {
                        let c = community[j];
                        if to_community[c] == 0.0 {
                            touched.push(c);
                        }
                        to_community[c] += w;
                    }
                }
                tot[own] -= self.k[i];
                let gain = |c: usize| to_community[c] - tot[c] * self.k[i] / m2;
                let mut best = own;
                let mut best_gain = gain(own);
                for &c in &touched {
                    let g = gain(c);
                    // Ties (within rounding) stay put, else go to the first neighbour.
                    if g > best_gain + 1e-12 {
                        best = c;
                        best_gain = g;
                    }
                }
                tot[best] += self.k[i];
                if best != own {
                    community[i] = best;
                    moved = true;
                    moved_any = true;
                }
                for c in touched.drain(..) {
                    to_community[c] = 0.0;
                }
            }
            if !moved {
                break;
            }
        }
        (moved_any, dense(&community))
    }

    /// The graph of communities: one node per community, weights added up.
    fn fold(&self, community: &[usize]) -> Level {
        let groups = community.iter().max().map_or(0, |c| c + 1);
        let mut adj = vec![Vec::new(); groups];
        for (i, row) in self.adj.iter().enumerate() {
            for &(j, w) in row {
                adj[community[i]].push((community[j], w));
            }
        }
        Level::from_adj(adj)
    }
}

/// Renumbers community ids 0.. in order of first appearance.
fn dense(community: &[usize]) -> Vec<usize> {
    let mut id = vec![usize::MAX; community.len()];
    let mut next = 0;
    community
        .iter()
        .map(|&c| {
            if id[c] == usize::MAX {
                id[c] = next;
                next += 1;
            }
            id[c]
        })
        .collect()
}

/// Renumbers communities by size, largest first; ties by their first node.
fn number_by_size(member: &[usize]) -> Vec<usize> {
    let member = dense(member);
    let groups = member.iter().max().map_or(0, |c| c + 1);
    let mut size = vec![0usize; groups];
    for &c in &member {
        size[c] += 1;
    }
    // Dense ids are in order of first node already, so a stable sort by size keeps ties so.
    let mut order: Vec<usize> = (0..groups).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(size[c]));
    let mut rank = vec![0; groups];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r;
    }
    member.iter().map(|&c| rank[c]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two cliques of `size` nodes (0.., size..), joined by one edge.
    fn two_cliques(size: usize) -> Vec<(usize, usize, f64)> {
        let mut edges = Vec::new();
        for base in [0, size] {
            for a in base..base + size {
                for b in a + 1..base + size {
                    edges.push((a, b, 1.0));
                }
            }
        }
        edges.push((size - 1, size, 1.0));
        edges
    }

    #[test]
    fn two_planted_cliques_are_two_communities() {
        for seed in 0..20 {
            let c = communities(10, &two_cliques(5), seed);
            assert_eq!(c, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], "seed {seed}");
        }
        let c = communities(10, &two_cliques(5), 7);
        let q = modularity(10, &two_cliques(5), &c);
        assert!((q - 0.4523809).abs() < 1e-6, "{q}");
    }

    #[test]
    fn a_ring_of_cliques_finds_each_clique() {
        // Six cliques of four in a ring: the textbook case (and the resolution limit's
        // example) where modularity is highest with one community per clique.
        let mut edges = Vec::new();
        for c in 0..6 {
            let base = c * 4;
            for a in base..base + 4 {
                for b in a + 1..base + 4 {
                    edges.push((a, b, 1.0));
                }
            }
            edges.push((base + 3, (base + 4) % 24, 1.0));
        }
        let found = communities(24, &edges, 1);
        for c in 0..6 {
            let first = found[c * 4];
            assert!(
                found[c * 4..c * 4 + 4].iter().all(|&x| x == first),
                "{found:?}"
            );
        }
        let distinct: std::collections::BTreeSet<_> = found.iter().collect();
        assert_eq!(distinct.len(), 6, "{found:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_communities() {
        let mut edges = Vec::new();
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..400 {
            edges.push((rng.usize(0..120), rng.usize(0..120), rng.u8(1..5) as f64));
        }
        let a = communities(120, &edges, 42);
        assert_eq!(a, communities(120, &edges, 42));
        assert!(modularity(120, &edges, &a) > modularity(120, &edges, &vec![0; 120]));
    }

    #[test]
    fn isolated_nodes_and_empty_graphs_are_their_own_communities() {
        assert_eq!(communities(0, &[], 0), Vec::<usize>::new());
        assert_eq!(communities(3, &[], 0), [0, 1, 2]);
        assert_eq!(communities(3, &[(0, 1, 2.0)], 0), [0, 0, 1]);
    }
}
