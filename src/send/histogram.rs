//! Latencies in fixed memory: a log-linear histogram (HdrHistogram's layout) of microseconds.
//! A burst of millions of events keeps about 100 KiB of counters instead of a growing vector, and a
//! percentile costs one pass over them.

use std::time::Duration;

/// Values below `2 * HALF` µs are counted exactly; above, each power of two is cut into `HALF`
/// buckets, so a recorded value is off by less than 1/`HALF` (0.1%): the printed latency
/// (`3.1 ms`, `50.0 ms`, `1.20 s`, three digits at most) does not change.
const HALF: u64 = 1024;
const BITS: u32 = 11; // 2 * HALF = 1 << BITS
/// Up to 2^(BITS + GROUPS - 1) µs, about 9.8 hours; longer is counted as that.
const GROUPS: usize = 25;
const BUCKETS: usize = 2 * HALF as usize + (GROUPS - 1) * HALF as usize;

#[derive(Clone, Debug)]
pub struct Histogram {
    counts: Box<[u32]>,
    total: u64,
}

impl Default for Histogram {
    fn default() -> Histogram {
        Histogram {
            counts: vec![0; BUCKETS].into_boxed_slice(),
            total: 0,
        }
    }
}

/// The bucket of `micros`.
fn index(micros: u64) -> usize {
    let bits = u64::BITS - micros.leading_zeros();
    if bits <= BITS {
        return micros as usize;
    }
    let shift = bits - BITS;
    let group = shift as usize;
    if group >= GROUPS {
        return BUCKETS - 1;
    }
    2 * HALF as usize + (group - 1) * HALF as usize + ((micros >> shift) - HALF) as usize
}

/// The middle of bucket `i`: what a percentile that falls in it reports.
fn value(i: usize) -> u64 {
    let exact = 2 * HALF as usize;
    if i < exact {
        return i as u64;
    }
    let group = (i - exact) / HALF as usize + 1;
    let shift = group as u32;
    let low = (HALF + ((i - exact) % HALF as usize) as u64) << shift;
    low + (1u64 << shift) / 2
}

impl Histogram {
    pub fn record(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        let slot = &mut self.counts[index(micros)];
        *slot = slot.saturating_add(1);
        self.total += 1;
    }

    /// The latency below which `percent` of the recorded ones came, nearest rank.
    pub fn percentile(&self, percent: f64) -> Option<Duration> {
        if self.total == 0 {
            return None;
        }
        let rank = ((percent / 100.0) * self.total as f64).ceil() as u64;
        let rank = rank.clamp(1, self.total);
        let mut seen = 0;
        for (i, &n) in self.counts.iter().enumerate() {
            seen += u64::from(n);
            if seen >= rank {
                return Some(Duration::from_micros(value(i)));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_are_exact_and_large_ones_within_a_thousandth() {
        for v in [0, 1, 999, 2047] {
            assert_eq!(value(index(v)), v);
        }
        for v in [
            2048u64,
            2049,
            50_000,
            99_000,
            1_234_567,
            10_000_000,
            3_600_000_000,
        ] {
            let got = value(index(v));
            let off = got.abs_diff(v) as f64 / v as f64;
            assert!(off < 1.0 / HALF as f64, "{v} -> {got}");
        }
        // Every value lands in a bucket whose neighbours are in order.
        let mut last = 0;
        for v in (0..5_000_000).step_by(997) {
            let i = index(v);
            assert!(i >= last, "{v}");
            last = i;
        }
        assert_eq!(index(u64::MAX), BUCKETS - 1);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut h = Histogram::default();
        assert_eq!(h.percentile(50.0), None);
        for us in 1..=1000 {
            h.record(Duration::from_micros(us));
        }
        assert_eq!(h.percentile(50.0), Some(Duration::from_micros(500)));
        assert_eq!(h.percentile(99.0), Some(Duration::from_micros(990)));
        assert_eq!(h.percentile(100.0), Some(Duration::from_micros(1000)));
        assert_eq!(h.percentile(0.0), Some(Duration::from_micros(1)));
    }
}
