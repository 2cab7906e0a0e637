//! Rapport's test tooling, kept out of the shipped library: [`generate`] fills a journal with a
//! large, realistic, deterministic history for the benchmarks and the tests, and [`SplitMix64`]
//! gives the seeded random numbers that it and the end-to-end tests draw from.
//!
//! ```ignore
//! let mut journal = rapport::Journal::open(path)?;
//! let made = rapport_testkit::generate(&mut journal, &GenerateOptions::benchmark(1))?;
//! ```

#![forbid(unsafe_code)]

mod generate;
mod random;
mod words;

pub use generate::{generate, GenerateOptions, Generated, GENERATOR_VERSION};
pub use random::{SplitMix64, Zipf};
