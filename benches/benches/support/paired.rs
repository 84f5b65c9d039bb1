//! Paired, interleaved A/B rounds for ratios whose target is near the noise: each round times
//! a batch of A and a batch of B back to back (alternating which goes first), so drift in the
//! machine's speed hits both sides of a round alike; the ratio B/A is taken per round, and
//! the report is the median ratio with a 95 % bootstrap interval of the median.

#![allow(dead_code, unreachable_pub)]

use std::hint::black_box;
use std::time::Instant;

/// The median of `rounds` per-round ratios (B time / A time) and its 95 % interval.
#[derive(Debug, Clone, Copy)]
pub struct Paired {
    pub median: f64,
    pub low: f64,
    pub high: f64,
    pub rounds: usize,
}

impl std::fmt::Display for Paired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3}x (95 % CI {:.3}-{:.3}, {} rounds)",
            self.median, self.low, self.high, self.rounds
        )
    }
}

/// Times `iterations` calls of `a` and of `b` per round, for `rounds` rounds.
pub fn compare<RA, RB>(
    rounds: usize,
    iterations: usize,
    mut a: impl FnMut() -> RA,
    mut b: impl FnMut() -> RB,
) -> Paired {
    let mut ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let mut time_a = || {
            let started = Instant::now();
            for _ in 0..iterations {
                black_box(a());
            }
            started.elapsed().as_secs_f64()
        };
        let (ta, tb);
        if round % 2 == 0 {
            ta = time_a();
            let started = Instant::now();
            for _ in 0..iterations {
                black_box(b());
            }
            tb = started.elapsed().as_secs_f64();
        } else {
            let started = Instant::now();
            for _ in 0..iterations {
                black_box(b());
            }
            tb = started.elapsed().as_secs_f64();
            ta = time_a();
        }
        ratios.push(tb / ta);
    }
    summarize(ratios)
}

/// The median of `ratios` and a 95 % percentile-bootstrap interval of it (2,000 resamples,
/// a fixed seed: the same ratios give the same interval).
pub fn summarize(mut ratios: Vec<f64>) -> Paired {
    let rounds = ratios.len();
    ratios.sort_by(f64::total_cmp);
    let median = median_of_sorted(&ratios);
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut medians: Vec<f64> = (0..2_000)
        .map(|_| {
            let mut sample: Vec<f64> = (0..rounds)
                .map(|_| ratios[(next() % rounds as u64) as usize])
                .collect();
            sample.sort_by(f64::total_cmp);
            median_of_sorted(&sample)
        })
        .collect();
    medians.sort_by(f64::total_cmp);
    Paired {
        median,
        low: medians[49],
        high: medians[1_950],
        rounds,
    }
}

fn median_of_sorted(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}
