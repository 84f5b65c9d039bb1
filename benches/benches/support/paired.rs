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
    /// Median time of one call of A, and of B, over the rounds (seconds): to judge the noise.
    pub a_seconds: f64,
    pub b_seconds: f64,
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
    let (mut times_a, mut times_b) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
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
        times_a.push(ta / iterations as f64);
        times_b.push(tb / iterations as f64);
    }
    let mut paired = summarize(ratios);
    times_a.sort_by(f64::total_cmp);
    times_b.sort_by(f64::total_cmp);
    paired.a_seconds = median_of_sorted(&times_a);
    paired.b_seconds = median_of_sorted(&times_b);
    paired
}

/// A duration in seconds, for a table cell (`1.23 ms`).
pub fn human(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
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
        a_seconds: f64::NAN,
        b_seconds: f64::NAN,
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
