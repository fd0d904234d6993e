//! `status`: an account's standing on a topic, read from the chain, with the reason when its
//! work was not scored ("why wasn't I scored?").

use crate::{
	chain::{allora, ss58, AccountId, Chain},
	values::format_allo,
};
use allora::runtime_types::pallet_inference::types::Role;
use std::fmt::Write;

/// The account's standing on `topic`, as lines of text.
pub async fn report(chain: &Chain, account: &AccountId, topic: u64) -> Result<String, String> {
	let at = chain.at_best().await?;
	let apis = at.runtime_apis();
	let storage = at.storage();
	let e = |e: &dyn std::fmt::Display| e.to_string();
	let mut out = String::new();
	let info = apis
		.call(allora::runtime_apis().inference_api().topic_info(topic))
		.await
		.map_err(|x| e(&x))?
		.ok_or_else(|| format!("topic {topic} does not exist"))?;
	let _ = writeln!(out, "account {}", ss58(account));
	let _ = writeln!(
		out,
		"topic {topic} {:?}: {}, {} workers, loss method {}",
		String::from_utf8_lossy(&info.topic.config.metadata.0),
		match info.next_epoch_end {
			Some(n) => format!("active (next epoch end at block {n})"),
			None => "inactive (no stake or fee revenue yet)".into(),
		},
		info.workers,
		String::from_utf8_lossy(&info.topic.config.loss_method.0),
	);

	// Worker registration, score EMAs, regrets.
	let registration = storage
		.try_fetch(allora::storage().inference().workers(), (topic, *account))
		.await
		.map_err(|x| e(&x))?
		.map(|v| v.decode())
		.transpose()
		.map_err(|x| e(&x))?;
	match &registration {
		Some(r) => {
			let _ = writeln!(
				out,
				"worker: registered (deposit {} ALLO), last active at block {}",
				format_allo(r.deposit),
				r.last_active
			);
		},
		None => {
			let _ = writeln!(
				out,
				"worker: not registered (`allora-client register --topic {topic} --as worker`)"
			);
		},
	}
	for (role, name) in [(Role::Inferer, "inferer"), (Role::Forecaster, "forecaster")] {
		let ema = storage
			.try_fetch(allora::storage().inference().score_emas(), ((topic, role), *account))
			.await
			.map_err(|x| e(&x))?
			.map(|v| v.decode())
			.transpose()
			.map_err(|x| e(&x))?;
		if let Some(ema) = ema {
			let _ = writeln!(
				out,
				"  {name} score EMA {} (updated at nonce {})",
				ema.score.0, ema.nonce
			);
		}
	}
	if let Some(regrets) = apis
		.call(allora::runtime_apis().reputation_api().regrets(topic))
		.await
		.map_err(|x| e(&x))?
	{
		for (list, name) in [(&regrets.inferer, "inferer"), (&regrets.forecaster, "forecaster")] {
			if let Some((_, r)) = list.iter().find(|(who, _)| who == account) {
				let _ = writeln!(out, "  {name} regret {}", r.0);
			}
		}
	}

	// The open nonces: is the account in their active sets?
	let open = apis
		.call(allora::runtime_apis().inference_api().open_nonces(topic))
		.await
		.map_err(|x| e(&x))?;
	for nonce in &open.worker_nonces {
		let inferences = storage
			.fetch(allora::storage().inference().inferences(), (topic, *nonce))
			.await
			.map_err(|x| e(&x))?
			.decode()
			.map_err(|x| e(&x))?;
		let forecasts = storage
			.fetch(allora::storage().inference().forecasts(), (topic, *nonce))
			.await
			.map_err(|x| e(&x))?
			.decode()
			.map_err(|x| e(&x))?;
		let inferred =
			inferences.0.iter().find(|(who, _)| who == account).map(|(_, v)| v.0.to_string());
		let forecast = forecasts.0.iter().any(|(who, _)| who == account);
		let _ = writeln!(
			out,
			"open worker nonce {nonce}: {}{}",
			match inferred {
				Some(v) => format!("in the active set with inference {v}"),
				None => format!(
					"no inference of yours in the active set ({} inferers)",
					inferences.0.len()
				),
			},
			if forecast { ", and a forecast" } else { "" }
		);
	}

	// Reputer stake.
	let stake = apis
		.call(allora::runtime_apis().stake_api().reputer_stake(topic, *account))
		.await
		.map_err(|x| e(&x))?;
	if stake.registered {
		let _ = writeln!(
			out,
			"reputer: registered, own stake {} ALLO, delegated {} ALLO{}",
			format_allo(stake.own),
			format_allo(stake.delegated),
			match stake.pending_removal {
				Some((amount, at)) =>
					format!(", {} ALLO leaving at block {at}", format_allo(amount)),
				None => String::new(),
			}
		);
	} else {
		let _ = writeln!(out, "reputer: not registered");
	}
	for status in apis
		.call(allora::runtime_apis().reputation_api().reputer_nonces(topic))
		.await
		.map_err(|x| e(&x))?
	{
		let reported = storage
			.try_fetch(
				allora::storage().reputation().loss_bundles(),
				((topic, status.nonce), *account),
			)
			.await
			.ok()
			.flatten()
			.is_some();
		let _ = writeln!(
			out,
			"reputer nonce {}: window {}..={}, {}{}",
			status.nonce,
			status.window_opens,
			status.window_closes,
			if status.reputers.contains(account) {
				format!("you are in its active set of {} reputers", status.reputers.len())
			} else {
				format!("you are not in its active set ({} reputers so far)", status.reputers.len())
			},
			if reported { ", your loss bundle is in" } else { "" }
		);
	}

	// The latest settled round: scores, rewards, and why not.
	let round = apis
		.call(allora::runtime_apis().reputation_api().latest_round(topic))
		.await
		.map_err(|x| e(&x))?;
	let rewards = apis
		.call(allora::runtime_apis().emissions_api().last_rewards(topic))
		.await
		.map_err(|x| e(&x))?;
	match round {
		None => {
			let _ = writeln!(out, "no round of this topic has been settled yet");
		},
		Some(round) => {
			let _ = writeln!(
				out,
				"latest settled round: nonce {} (settled at block {})",
				round.nonce, round.closed_at
			);
			let score = |list: &Vec<(AccountId, subxt::utils::Static<allora_math::Fixed>)>| {
				list.iter().find(|(who, _)| who == account).map(|(_, s)| s.0)
			};
			let inferer = score(&round.inferer_scores);
			let forecaster = score(&round.forecaster_scores);
			let reputer = round.reputers.iter().find(|r| &r.reputer == account);
			if let Some(s) = inferer {
				let _ = writeln!(out, "  inferer score {s}");
			}
			if let Some(s) = forecaster {
				let _ = writeln!(out, "  forecaster score {s}");
			}
			if let Some(r) = reputer {
				let _ = writeln!(
					out,
					"  reputer score {}, stake {} ALLO",
					r.score.0,
					format_allo(r.stake)
				);
			}
			if let Some(paid) = rewards.as_ref().filter(|r| r.nonce == round.nonce) {
				let mine: u128 = paid
					.inferers
					.iter()
					.chain(paid.forecasters.iter())
					.chain(paid.reputers.iter())
					.filter(|a| &a.who == account)
					.map(|a| a.paid)
					.sum();
				let _ = writeln!(out, "  rewards paid to you for it: {} ALLO", format_allo(mine));
			}
			let mut reasons = Vec::new();
			if registration.is_none() && !stake.registered {
				reasons
					.push(": you are registered neither as a worker nor as a reputer".to_string());
			}
			if registration.is_some() && inferer.is_none() && forecaster.is_none() {
				reasons.push(if round.inferer_scores.is_empty() {
					"as a worker: the round was synthesised before the topic had a network loss (median mode): it gives no one-out scores, so no worker was scored".to_string()
				} else {
					format!(
						"as a worker: no inference or forecast of yours was in nonce {}'s active sets: nothing submitted in its window, or not admitted (the set was full and your score EMA was below its lowest member's)",
						round.nonce
					)
				});
			}
			if stake.registered && reputer.is_none() {
				let params = apis
					.call(allora::runtime_apis().inference_api().params())
					.await
					.map_err(|x| e(&x))?;
				let held = stake.own.saturating_add(stake.delegated);
				reasons.push(if held < params.required_minimum_stake {
					format!(
						"as a reputer: your stake ({} ALLO, own and delegated) is below the network's minimum ({} ALLO); a bundle needs the minimum when it is submitted and when the round settles",
						format_allo(held),
						format_allo(params.required_minimum_stake)
					)
				} else {
					format!(
						"as a reputer: no loss bundle of yours counted for nonce {} (none submitted in its window, your stake was below the minimum then, or you were not in its reputers' active set)",
						round.nonce
					)
				});
			}
			for reason in reasons {
				let _ = writeln!(out, "  not scored {reason}");
			}
		},
	}
	Ok(out)
}
