//! The two hot paths at the reference's active-set sizes and two larger ones:
//! 1. `network_inference/{fast,baseline}/I,F,R`: the full bundle with every one-out and one-in
//!    variant (fast: forecasts that do not name the left-out inferer are shared);
//! 2. `close_reputer_nonce/{fast,baseline}/I,F,R`: network losses, regrets, reputer consensus
//!    with the listening-coefficient ascent, worker scores and reward fractions.
//! Run with `cargo bench -p allora-benchmarks`; results go to `benchmarks/README.md`.

use allora_benchmarks::{
	close_reputer_nonce, fixture, network_inference, Consensus, Synthesis, SHAPES,
};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use std::time::Duration;

fn label(shape: (usize, usize, usize)) -> String {
	format!("{},{},{}", shape.0, shape.1, shape.2)
}

fn bench_network_inference(c: &mut Criterion) {
	let mut group = c.benchmark_group("network_inference");
	group.sample_size(10).measurement_time(Duration::from_secs(5));
	for shape in SHAPES {
		let f = fixture(shape, 1);
		for (name, synthesis) in [("fast", Synthesis::Fast), ("baseline", Synthesis::Baseline)] {
			group.bench_with_input(BenchmarkId::new(name, label(shape)), &f, |b, f| {
				b.iter(|| network_inference(black_box(f), synthesis))
			});
		}
	}
	group.finish();
}

fn bench_close_reputer_nonce(c: &mut Criterion) {
	let mut group = c.benchmark_group("close_reputer_nonce");
	group.sample_size(10).measurement_time(Duration::from_secs(5));
	for shape in SHAPES {
		let f = fixture(shape, 2);
		for (name, consensus) in [("fast", Consensus::Fast), ("baseline", Consensus::Baseline)] {
			group.bench_with_input(BenchmarkId::new(name, label(shape)), &f, |b, f| {
				b.iter(|| close_reputer_nonce(black_box(f), consensus))
			});
		}
	}
	group.finish();
}

criterion_group!(benches, bench_network_inference, bench_close_reputer_nonce);
criterion_main!(benches);
