//! The simulator's column layout (spec 10.2): actor counts from the column names, and the
//! names of every input and output column.

use crate::table::Table;

/// Numbers of inferers, forecasters and reputers of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
	/// NI: columns `inference_0..NI`.
	pub inferers: usize,
	/// NF: forecasters of `forecasted_loss_<k>_for_<j>`.
	pub forecasters: usize,
	/// NR: columns `reputer_stake_0..NR`.
	pub reputers: usize,
}

/// The quantities a reputer reports a loss for, as named in `reputer_<m>_loss_<x>`.
pub fn loss_keys(l: &Layout) -> Vec<String> {
	let mut v = vec!["network_inference".to_string(), "naive_network_inference".to_string()];
	v.extend((0..l.inferers).map(|j| format!("inference_{j}")));
	v.extend((0..l.forecasters).map(|k| format!("forecast_implied_inference_{k}")));
	for k in 0..l.forecasters {
		v.extend((0..l.inferers).map(|j| format!("forecast_implied_inference_{k}_oneout_{j}")));
	}
	v.extend((0..l.inferers + l.forecasters).map(|o| format!("network_inference_oneout_{o}")));
	v.extend((0..l.forecasters).map(|k| format!("naive_network_inference_onein_{k}")));
	v
}

/// Parses `prefix<number>suffix` names.
fn indexed(name: &str, prefix: &str, suffix: &str) -> Option<usize> {
	name.strip_prefix(prefix)?.strip_suffix(suffix)?.parse().ok()
}

/// Indices 0..n must all be present.
fn contiguous(mut found: Vec<usize>, what: &str) -> Result<usize, String> {
	found.sort_unstable();
	found.dedup();
	for (i, f) in found.iter().enumerate() {
		if *f != i {
			return Err(format!("column `{what}{i}` is missing"));
		}
	}
	Ok(found.len())
}

impl Layout {
	/// Reads the counts from the column names and checks that every input column exists.
	pub fn detect(table: &Table) -> Result<Layout, String> {
		let cols = &table.columns;
		let inferers = contiguous(
			cols.iter().filter_map(|c| indexed(c, "inference_", "")).collect(),
			"inference_",
		)?;
		let reputers = contiguous(
			cols.iter().filter_map(|c| indexed(c, "reputer_stake_", "")).collect(),
			"reputer_stake_",
		)?;
		let mut forecasters = 0usize;
		for c in cols {
			if let Some(rest) = c.strip_prefix("forecasted_loss_") {
				let mut parts = rest.split("_for_");
				let (k, j) = match (
					parts.next().and_then(|k| k.parse::<usize>().ok()),
					parts.next().and_then(|j| j.parse::<usize>().ok()),
				) {
					(Some(k), Some(j)) => (k, j),
					_ => return Err(format!("column `{c}` is not `forecasted_loss_<k>_for_<j>`")),
				};
				if j >= inferers {
					return Err(format!(
						"column `{c}` names inferer {j}, but there are {inferers} inferers"
					));
				}
				forecasters = forecasters.max(k + 1);
			}
		}
		if inferers == 0 {
			return Err("no `inference_<j>` columns".into());
		}
		let layout = Layout { inferers, forecasters, reputers };
		for k in 0..forecasters {
			for j in 0..inferers {
				layout.require(table, &format!("forecasted_loss_{k}_for_{j}"))?;
			}
		}
		for m in 0..reputers {
			for key in loss_keys(&layout) {
				layout.require(table, &format!("reputer_{m}_loss_{key}"))?;
			}
		}
		layout.require(table, "topic_rewards")?;
		Ok(layout)
	}

	fn require(&self, table: &Table, column: &str) -> Result<(), String> {
		if table.index.contains_key(column) {
			Ok(())
		} else {
			Err(format!("column `{column}` is missing (inconsistent with {} inferers, {} forecasters, {} reputers)", self.inferers, self.forecasters, self.reputers))
		}
	}

	/// Actor id of inferer j (worker numbering).
	pub fn inferer_id(&self, j: usize) -> u32 {
		j as u32
	}

	/// Actor id of forecaster k: NI + k (worker numbering of the simulator).
	pub fn forecaster_id(&self, k: usize) -> u32 {
		(self.inferers + k) as u32
	}

	/// Forecaster index of an actor id.
	pub fn forecaster_index(&self, id: u32) -> usize {
		(id as usize).saturating_sub(self.inferers)
	}

	/// Every output column the replay fills, in the simulator's group order.
	pub fn output_columns(&self) -> Vec<String> {
		let (ni, nf, nr) = (self.inferers, self.forecasters, self.reputers);
		let nw = ni + nf;
		let mut v = Vec::new();
		v.extend((0..nf).map(|k| format!("forecast_implied_inference_{k}")));
		for k in 0..nf {
			v.extend((0..ni).map(|j| format!("forecast_implied_inference_{k}_oneout_{j}")));
		}
		v.push("network_inference".into());
		v.extend((0..5).map(|i| format!("network_inference_errorbar_{i}")));
		v.push("network_naive_inference".into());
		v.extend((0..nw).map(|l| format!("network_inference_oneout_{l}")));
		v.extend((0..nf).map(|k| format!("network_naive_inference_onein_{k}")));
		v.push("network_loss".into());
		v.extend((0..ni).map(|j| format!("inference_loss_{j}")));
		v.extend((0..nf).map(|k| format!("forecast_implied_inference_loss_{k}")));
		for k in 0..nf {
			v.extend((0..ni).map(|j| format!("forecast_implied_inference_loss_{k}_oneout_{j}")));
		}
		v.push("network_naive_loss".into());
		v.extend((0..nw).map(|l| format!("network_loss_oneout_{l}")));
		v.extend((0..nf).map(|k| format!("network_naive_loss_onein_{k}")));
		for k in 0..nf {
			v.extend((0..ni).map(|j| format!("forecasted_regret_{k}_inferer_{j}")));
		}
		v.extend((0..nw).map(|w| format!("inference_regret_worker_{w}")));
		v.extend((0..ni).map(|j| format!("naive_inference_regret_worker_{j}")));
		for w in 0..nw {
			v.extend((0..nw).map(|o| format!("inference_regret_worker_{w}_oneout_{o}")));
		}
		for w in 0..=ni {
			v.extend((0..nf).map(|k| format!("inference_regret_worker_{w}_onein_{k}")));
		}
		v.extend((0..ni).map(|j| format!("inferer_score_{j}")));
		v.extend((0..nf).map(|k| format!("forecaster_score_{k}")));
		v.extend((0..ni).map(|j| format!("inferer_reward_fraction_{j}")));
		v.extend((0..nf).map(|k| format!("forecaster_reward_fraction_{k}")));
		v.extend((0..nr).map(|m| format!("reputer_listening_coefficient_{m}")));
		v.extend((0..nr).map(|m| format!("reputer_adjusted_stake_{m}")));
		v.extend((0..nr).map(|m| format!("reputer_score_{m}")));
		v.extend((0..nr).map(|m| format!("reputer_reward_fraction_{m}")));
		v.extend((0..ni).map(|j| format!("inferer_reward_fraction_smooth_{j}")));
		v.extend((0..nf).map(|k| format!("forecaster_reward_fraction_smooth_{k}")));
		v.extend((0..nr).map(|m| format!("reputer_reward_fraction_smooth_{m}")));
		for c in [
			"inferers_entropy",
			"forecasters_entropy",
			"reputers_entropy",
			"forecaster_task_score",
			"forecaster_score_ratio",
			"forecasters_utility",
			"inferers_reward_fraction",
			"forecasters_reward_fraction",
			"reputers_reward_fraction",
		] {
			v.push(c.into());
		}
		v.extend((0..ni).map(|j| format!("inferer_reward_{j}")));
		v.extend((0..nf).map(|k| format!("forecaster_reward_{k}")));
		v.extend((0..nr).map(|m| format!("reputer_reward_{m}")));
		v
	}
}

/// The column group of a column: its name with every number replaced by `*`.
pub fn column_group(name: &str) -> String {
	let mut out = String::with_capacity(name.len());
	let mut in_number = false;
	for ch in name.chars() {
		if ch.is_ascii_digit() {
			if !in_number {
				out.push('*');
			}
			in_number = true;
		} else {
			out.push(ch);
			in_number = false;
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn groups_replace_numbers() {
		assert_eq!(
			column_group("inference_regret_worker_12_oneout_3"),
			"inference_regret_worker_*_oneout_*"
		);
		assert_eq!(column_group("network_loss"), "network_loss");
	}

	#[test]
	fn detect_reports_missing_and_inconsistent_columns() {
		let t = Table::parse("epoch,inference_0,inference_2,topic_rewards\n1,1,2,3\n")
			.unwrap_or_else(|e| panic!("{e}"));
		assert_eq!(Layout::detect(&t), Err("column `inference_1` is missing".into()));
		let t = Table::parse("epoch,inference_0,forecasted_loss_0_for_3,topic_rewards\n1,1,2,3\n")
			.unwrap_or_else(|e| panic!("{e}"));
		assert_eq!(
			Layout::detect(&t),
			Err("column `forecasted_loss_0_for_3` names inferer 3, but there are 1 inferers".into())
		);
		let t = Table::parse("epoch,inference_0,reputer_stake_0,topic_rewards\n1,1,2,3\n")
			.unwrap_or_else(|e| panic!("{e}"));
		assert!(Layout::detect(&t)
			.err()
			.unwrap_or_default()
			.contains("reputer_0_loss_network_inference"));
	}
}
