//! Timing ours and the floor side by side, and what a row of the report holds.

use std::time::{Duration, Instant};

use crate::Res;

/// One operation's timings, ours and the floor's.
pub(crate) struct Row {
    pub(crate) name: String,
    pub(crate) ours: Stats,
    pub(crate) floor: Option<Stats>,
    /// Target p50 and p99 in milliseconds, where the operation has one.
    pub(crate) target: Option<(f64, f64)>,
    /// The largest ratio to the floor accepted, where it is not [`RATIO_MAX`].
    pub(crate) ratio_max: Option<f64>,
}

#[derive(Clone, Copy)]
pub(crate) struct Stats {
    pub(crate) p50: f64,
    pub(crate) p99: f64,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        let at = |q: f64| {
            let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
            samples[i].as_secs_f64() * 1000.0
        };
        Stats {
            p50: at(0.50),
            p99: at(0.99),
        }
    }
}

/// The largest ratio of ours to the floor accepted.
pub(crate) const RATIO_MAX: f64 = 1.5;

impl Row {
    pub(crate) fn ratio(&self) -> Option<f64> {
        self.floor.map(|f| self.ours.p50 / f.p50.max(1e-6))
    }

    pub(crate) fn pass(&self) -> bool {
        let within_target = self.target.map_or(true, |(p50, p99)| {
            self.ours.p50 <= p50 && self.ours.p99 <= p99
        });
        let most = self.ratio_max.unwrap_or(RATIO_MAX);
        within_target && self.ratio().map_or(true, |r| r <= most)
    }
}

/// Times ours and the floor together: `iterations` pairs after a tenth as many to warm up, the
/// two taking turns to go first. Run one after the other, whichever ran second would meet
/// another moment's contention on a shared machine (and another state of the caches); taking
/// turns gives both the same conditions, so their ratio measures the code, not the moment.
pub(crate) fn pair(
    iterations: usize,
    ours: impl FnMut(usize) -> Res<()>,
    floor: impl FnMut(usize) -> Res<()>,
) -> Res<(Stats, Stats)> {
    pair_idle(iterations, ours, floor, || Ok(()))
}

/// As [`pair`], with `idle` run untimed after each pair: what the app does in the background
/// between two of the user's actions.
pub(crate) fn pair_idle(
    iterations: usize,
    mut ours: impl FnMut(usize) -> Res<()>,
    mut floor: impl FnMut(usize) -> Res<()>,
    mut idle: impl FnMut() -> Res<()>,
) -> Res<(Stats, Stats)> {
    for i in 0..iterations.div_ceil(10) {
        ours(i)?;
        floor(i)?;
    }
    let mut a = Vec::with_capacity(iterations);
    let mut b = Vec::with_capacity(iterations);
    let timed = |f: &mut dyn FnMut(usize) -> Res<()>, i: usize, into: &mut Vec<Duration>| {
        let start = Instant::now();
        let r = f(i);
        into.push(start.elapsed());
        r
    };
    for i in 0..iterations {
        if i % 2 == 0 {
            timed(&mut ours, i, &mut a)?;
            timed(&mut floor, i, &mut b)?;
        } else {
            timed(&mut floor, i, &mut b)?;
            timed(&mut ours, i, &mut a)?;
        }
        idle()?;
    }
    Ok((Stats::of(a), Stats::of(b)))
}
