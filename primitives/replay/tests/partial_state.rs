//! The partial-state synthesis cases of spec 10.5 (Go `network_inferences_test`): row 302's
//! predictions with only some workers' regrets from row 301, the others at a given initial
//! regret. Expected values are the reference's, checked to 1e-6 relative. "Old" inferers bring
//! R_j, R^naive_j and R⁻_{j′,j}; an old forecaster brings every regret that names it.

use allora_math::Fixed;
use allora_replay::Table;
use allora_synthesis::{
	inference::{network_inference, Forecast, NetworkInference, SynthesisInput, SynthesisMode},
	regrets::Regrets,
	SynthesisParams,
};
use std::path::PathBuf;

const NI: usize = 5;
const NF: usize = 3;

fn table() -> Option<Table> {
	let shared = std::env::var_os("ALLORA_SHARED_DIR").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(
			std::env::var_os("CARGO_MANIFEST_DIR")
				.unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
		)
		.join("../../../shared")
	});
	let path = shared.join("data/allora-sim-epochs.csv");
	if !path.exists() {
		assert!(std::env::var_os("CI").is_none(), "{} is missing in CI", path.display());
		eprintln!("SKIPPED: {} is missing", path.display());
		return None;
	}
	Some(Table::parse(&std::fs::read_to_string(path).expect("readable")).expect("parses"))
}

fn fx(s: &str) -> Fixed {
	s.parse().expect("decimal")
}

/// Row index of an epoch (row 0 is epoch 300).
fn row(epoch: usize) -> usize {
	epoch - 300
}

fn cell(t: &Table, epoch: usize, col: &str) -> Fixed {
	t.get(row(epoch), col).unwrap_or_else(|| panic!("{col} of {epoch}"))
}

/// Loads regrets from an epoch's columns (worker numbering: inferers 0..5, forecasters 5..8).
struct Loader<'a> {
	t: &'a Table,
	epoch: usize,
	r: Regrets<u32>,
}

impl Loader<'_> {
	fn get(&self, col: String) -> Fixed {
		cell(self.t, self.epoch, &col)
	}

	/// R_j and R^naive_j of inferer `j`.
	fn inferer(mut self, j: u32) -> Self {
		self.r.inferer.insert(j, self.get(format!("inference_regret_worker_{j}")));
		self.r.naive_inferer.insert(j, self.get(format!("naive_inference_regret_worker_{j}")));
		self
	}

	/// R⁻_{j′,j} of inferer `j` for every withheld inferer j′.
	fn one_out_inferer(mut self, j: u32) -> Self {
		for o in 0..NI as u32 {
			let v = self.get(format!("inference_regret_worker_{j}_oneout_{o}"));
			self.r.one_out_inferer_inferer.insert((o, j), v);
		}
		self
	}

	/// Forecaster `k`'s regrets with the (old) inferers and itself: R_k, R⁻_{j′,k}, R⁻_{k,j},
	/// R⁻_{k,k}, R⁺_{k,j}, R⁺_{k,k}. A pair entry is stored only when both actors are old
	/// (that is what reproduces the reference's values).
	fn forecaster(mut self, k: u32) -> Self {
		let ki = k as usize - NI;
		self.r.forecaster.insert(k, self.get(format!("inference_regret_worker_{k}")));
		for o in 0..NI as u32 {
			let v = self.get(format!("inference_regret_worker_{k}_oneout_{o}"));
			self.r.one_out_inferer_forecaster.insert((o, k), v);
		}
		for j in 0..NI as u32 {
			let v = self.get(format!("inference_regret_worker_{j}_oneout_{k}"));
			self.r.one_out_forecaster_inferer.insert((k, j), v);
		}
		let own = self.get(format!("inference_regret_worker_{k}_oneout_{k}"));
		self.r.one_out_forecaster_forecaster.insert((k, k), own);
		for j in 0..NI as u32 {
			let v = self.get(format!("inference_regret_worker_{j}_onein_{ki}"));
			self.r.one_in_forecaster_inferer.insert((k, j), v);
		}
		self.r
			.one_in_forecaster_self
			.insert(k, self.get(format!("inference_regret_worker_{NI}_onein_{ki}")));
		self
	}
}

fn loader<'a>(t: &'a Table, epoch: usize, initial: &str) -> Loader<'a> {
	Loader { t, epoch, r: Regrets::new(fx(initial)) }
}

fn synthesise(
	t: &Table,
	epoch: usize,
	with_forecasts: bool,
	loss_epoch: Option<usize>,
	regrets: &Regrets<u32>,
) -> NetworkInference<u32> {
	let inferences: Vec<(u32, Fixed)> =
		(0..NI).map(|j| (j as u32, cell(t, epoch, &format!("inference_{j}")))).collect();
	let forecasts: Vec<Forecast<u32>> = if with_forecasts {
		(0..NF)
			.map(|k| Forecast {
				forecaster: (NI + k) as u32,
				elements: (0..NI)
					.map(|j| (j as u32, cell(t, epoch, &format!("forecasted_loss_{k}_for_{j}"))))
					.collect(),
			})
			.collect()
	} else {
		Vec::new()
	};
	let input = SynthesisInput {
		inferences: &inferences,
		forecasts: &forecasts,
		latest_network_loss: loss_epoch.map(|e| cell(t, e, "network_loss")),
		regrets,
		params: SynthesisParams::simulator(),
	};
	network_inference(&input).expect("synthesis")
}

fn assert_close(got: Fixed, want: &str, what: &str) {
	let want = fx(want);
	let err = got.checked_sub(want).expect("difference").abs();
	let tol = want.abs().checked_mul(fx("0.000001")).expect("tolerance");
	assert!(err <= tol, "{what}: {got} vs {want}");
}

fn assert_all(got: &std::collections::BTreeMap<u32, Fixed>, want: &[&str], what: &str) {
	assert_eq!(got.len(), want.len(), "{what}");
	for ((id, v), w) in got.iter().zip(want.iter()) {
		assert_close(*v, w, &format!("{what} {id}"));
	}
}

#[test]
fn without_previous_losses_the_network_inference_is_the_median() {
	let Some(t) = table() else { return };
	let n = synthesise(&t, 302, true, None, &Regrets::new(Fixed::ZERO));
	assert_eq!(n.mode, SynthesisMode::NoNetworkLoss);
	assert_close(n.values.combined, "0.1997509073157136", "combined");
}

#[test]
fn one_old_inferer_and_no_forecasters() {
	let Some(t) = table() else { return };
	let r = loader(&t, 301, "-1.8331309069480215").inferer(0).r;
	let n = synthesise(&t, 302, false, Some(301), &r);
	assert_eq!(n.mode, SynthesisMode::Regret);
	assert_close(n.values.combined, "0.20059970801966293", "combined");
	assert_all(
		&n.values.one_out_inferer,
		&[
			"0.1404419672286048",
			"0.1288457756437288",
			"0.1431887680171583",
			"0.18794792677471128",
			"0.17208154172014362",
		],
		"one-out inferer",
	);
}

#[test]
fn old_inferers_and_one_old_forecaster() {
	let Some(t) = table() else { return };
	let mut l = loader(&t, 301, "-3.7780955644806307");
	for j in 0..NI as u32 {
		l = l.inferer(j).one_out_inferer(j);
	}
	let r = l.forecaster(NI as u32).r;
	let n = synthesise(&t, 302, true, Some(301), &r);
	assert_close(n.values.combined, "0.09643700801928372", "combined");
	for k in 0..NF {
		assert_close(
			n.values.forecaster[&((NI + k) as u32)],
			&t.get(row(302), &format!("forecast_implied_inference_{k}")).expect("I_k").to_string(),
			"I_k",
		);
	}
	assert_all(
		&n.values.one_out_inferer,
		&[
			"0.10278833087892551",
			"0.10309434130026068",
			"0.10749347667557652",
			"0.09957413455954356",
			"0.23133130005198607",
		],
		"one-out inferer",
	);
	assert_all(
		&n.values.one_out_forecaster,
		&["0.19384484001403682", "0.13368285139309616", "0.1339967078008638"],
		"one-out forecaster",
	);
	assert_all(
		&n.values.one_in_forecaster,
		&["0.086385958713291", "0.14220283026646785", "0.1418366644574056"],
		"one-in forecaster",
	);
}

#[test]
fn old_inferers_and_all_new_forecasters() {
	let Some(t) = table() else { return };
	let mut l = loader(&t, 301, "-3.0557074373274475");
	for j in 0..NI as u32 {
		l = l.inferer(j).one_out_inferer(j);
	}
	let r = l.r;
	let n = synthesise(&t, 302, true, Some(301), &r);
	assert_close(n.values.combined, "0.20065795737590336", "combined");
	assert_all(
		&n.values.one_out_inferer,
		&[
			"0.195653799650153",
			"0.1768775314107972",
			"0.1931955480873375",
			"0.20197760150788802",
			"0.21429866100721226",
		],
		"one-out inferer",
	);
	assert_all(
		&n.values.one_out_forecaster,
		&["0.13310442699412764", "0.13368285139309616", "0.1339967078008638"],
		"one-out forecaster",
	);
	assert_all(
		&n.values.one_in_forecaster,
		&["0.1428776587319311", "0.14220283026646785", "0.1418366644574056"],
		"one-in forecaster",
	);
}
