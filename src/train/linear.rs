//! The learner: one-vs-rest linear SVMs (L2-regularised, squared hinge loss) trained by dual
//! coordinate descent (Hsieh et al., ICML 2008; LIBLINEAR's `-s 1`), with a weight per
//! example for class imbalance. Each pass visits the examples in an order drawn from the
//! seed, so the same data and seed give the same weights.

/// Training examples as sparse rows (sorted, merged indices), kept once for every class.
#[derive(Debug, Default)]
pub struct Rows {
    pub(crate) starts: Vec<usize>,
    pub(crate) index: Vec<u32>,
    pub(crate) value: Vec<f32>,
}

impl Rows {
    pub fn push(&mut self, row: &[(u32, f32)]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        for &(i, v) in row {
            self.index.push(i);
            self.value.push(v);
        }
        self.starts.push(self.index.len());
    }

    fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (s, e) = (self.starts[i], self.starts[i + 1]);
        (&self.index[s..e], &self.value[s..e])
    }
}

/// Settings of one binary problem.
#[derive(Debug, Clone, Copy)]
pub struct Solver {
    /// Inverse regularisation strength: larger fits the training data more closely.
    pub c: f64,
    /// Passes over the data at most.
    pub epochs: u32,
    /// Stop when the projected gradient spread of a pass is below this.
    pub tolerance: f64,
    pub seed: u64,
}

/// Trains one binary problem: `positive[i]` says whether example `i` (of the `chosen` rows)
/// is in the class, `weight[i]` scales its cost. Returns the weights over `dim`.
pub fn train_binary(
    rows: &Rows,
    chosen: &[usize],
    positive: &[bool],
    weight: &[f64],
    dim: usize,
    solver: Solver,
) -> Vec<f32> {
    let n = chosen.len();
    let mut w = vec![0f64; dim];
    let mut alpha = vec![0f64; n];
    let mut diag = vec![0f64; n];
    let mut qd = vec![0f64; n];
    for (k, &i) in chosen.iter().enumerate() {
        let (_, vals) = rows.row(i);
        diag[k] = 0.5 / (solver.c * weight[k]);
        qd[k] = vals
            .iter()
            .map(|&v| f64::from(v) * f64::from(v))
            .sum::<f64>()
            + diag[k];
    }
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = fastrand::Rng::with_seed(solver.seed);
    for _ in 0..solver.epochs {
        rng.shuffle(&mut order);
        let (mut pg_max, mut pg_min) = (f64::NEG_INFINITY, f64::INFINITY);
        for &k in &order {
            let (idx, vals) = rows.row(chosen[k]);
            let y = if positive[k] { 1.0 } else { -1.0 };
            let wx: f64 = idx
                .iter()
                .zip(vals)
                .map(|(&j, &v)| w[j as usize] * f64::from(v))
                .sum();
            let g = y * wx - 1.0 + diag[k] * alpha[k];
            let pg = if alpha[k] == 0.0 { g.min(0.0) } else { g };
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[k];
                alpha[k] = (old - g / qd[k]).max(0.0);
                let d = (alpha[k] - old) * y;
                for (&j, &v) in idx.iter().zip(vals) {
                    w[j as usize] += d * f64::from(v);
                }
            }
        }
        if pg_max - pg_min < solver.tolerance {
            break;
        }
    }
    w.into_iter().map(|x| x as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_a_separable_problem() {
        let mut rows = Rows::default();
        // Feature 0 says positive, feature 1 says negative, feature 2 is the bias.
        for i in 0..40 {
            let f = if i % 2 == 0 { 0 } else { 1 };
            rows.push(&[(f, 1.0), (2, 1.0)]);
        }
        let chosen: Vec<usize> = (0..40).collect();
        let positive: Vec<bool> = (0..40).map(|i| i % 2 == 0).collect();
        let solver = Solver {
            c: 1.0,
            epochs: 50,
            tolerance: 1e-4,
            seed: 1,
        };
        let w = train_binary(&rows, &chosen, &positive, &vec![1.0; 40], 3, solver);
        assert!(w[0] + w[2] > 0.5 && w[1] + w[2] < -0.5, "{w:?}");
        let again = train_binary(&rows, &chosen, &positive, &vec![1.0; 40], 3, solver);
        assert_eq!(w, again);
    }
}
