//! The connection to an Allora node: the typed interface generated from the committed runtime
//! metadata (`metadata/allora.scale`), a reconnecting RPC client, ss58 addresses in the chain's
//! format (7000), and signed submissions whose failures name the pallet's error.

use std::{str::FromStr, sync::Arc, time::Duration};
#[cfg(test)]
use subxt::rpcs::rpc_params;
use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	error::{DispatchError, TransactionEventsError},
	extrinsics::ExtrinsicEvents,
	rpcs::{
		client::{reconnecting_rpc_client::ExponentialBackoff, ReconnectingRpcClient},
		LegacyRpcMethods, RpcClient,
	},
	transactions::{Payload, TransactionStatus},
	OnlineClient, SubstrateConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};
use tokio::sync::Mutex;

/// The runtime's calls, storage, events, errors and runtime APIs, typed from its metadata.
#[subxt::subxt(
	runtime_metadata_path = "metadata/allora.scale",
	derive_for_all_types = "Clone, PartialEq",
	derive_for_type(path = "pallet_topics::types::ParamsUpdate", derive = "Default"),
	substitute_type(
		path = "allora_math::fixed::Fixed",
		with = "::subxt::utils::Static<::allora_math::Fixed>"
	)
)]
pub mod allora {}

/// The chain's configuration as subxt sees it (the standard Substrate one).
pub type Config = SubstrateConfig;
/// An account id.
pub type AccountId = subxt::utils::AccountId32;
/// The chain's ss58 address format.
pub const SS58_PREFIX: u16 = 7000;

/// `account` as an ss58 address in the chain's format (7000).
pub fn ss58(account: &AccountId) -> String {
	use blake2::{Blake2b512, Digest};
	let id = SS58_PREFIX & 0x3FFF;
	let mut v = if id < 64 {
		vec![id as u8]
	} else {
		vec![(((id & 0xFC) as u8) >> 2) | 0x40, ((id >> 8) as u8) | (((id & 0x03) as u8) << 6)]
	};
	v.extend_from_slice(&account.0);
	let hash = Blake2b512::new().chain_update(b"SS58PRE").chain_update(&v).finalize();
	v.extend_from_slice(hash.get(..2).unwrap_or_default());
	bs58::encode(v).into_string()
}

/// A key read from a secret URI (mnemonic, `0x` seed or `//Dev` path, with derivations).
pub fn keypair(secret: &str) -> Result<Keypair, String> {
	let uri = SecretUri::from_str(secret.trim())
		.map_err(|_| "the secret is not a valid secret URI".to_string())?;
	Keypair::from_uri(&uri).map_err(|_| "the secret URI does not derive an sr25519 key".to_string())
}

/// Why a transaction did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxError {
	/// The runtime refused it: `pallet.Error` (e.g. `inference.InferenceOutOfRange`).
	Module(String),
	/// The transaction pool refused it (e.g. the account cannot pay the fee): final, as text.
	Invalid(String),
	/// Any other failure (dropped, no status, connection), as text: may be tried again.
	Other(String),
}

impl std::fmt::Display for TxError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			TxError::Module(e) => write!(f, "refused by the chain: {e}"),
			TxError::Invalid(e) | TxError::Other(e) => write!(f, "{e}"),
		}
	}
}

impl TxError {
	fn other(e: impl std::fmt::Display) -> TxError {
		TxError::Other(e.to_string())
	}
}

impl From<TransactionEventsError> for TxError {
	fn from(e: TransactionEventsError) -> Self {
		match &e {
			TransactionEventsError::ExtrinsicFailed(DispatchError::Module(m)) => {
				match m.details() {
					Ok(details) => {
						let name = format!(
							"{}.{}",
							lower_first(details.pallet.name()),
							details.variant.name
						);
						// The error's fields, when it has any (e.g. which topic field was invalid).
						match m.as_root_error::<allora::Error>().map(|root| format!("{root:?}")) {
							Ok(full) if full.contains('{') || full.contains("((") => {
								TxError::Module(format!(
									"{name} {}",
									full.split_once('{')
										.map(|(_, rest)| format!(
											"{{{}",
											rest.trim_end_matches(')')
										))
										.unwrap_or_default()
								))
							},
							_ => TxError::Module(name),
						}
					},
					// A dispatch error the metadata cannot name: still a refusal (fee charged).
					Err(_) => TxError::Module(e.to_string()),
				}
			},
			TransactionEventsError::ExtrinsicFailed(other) => TxError::Module(other.to_string()),
			_ => TxError::other(e),
		}
	}
}

fn lower_first(s: &str) -> String {
	let mut chars = s.chars();
	match chars.next() {
		Some(c) => c.to_lowercase().chain(chars).collect(),
		None => String::new(),
	}
}

/// A connected node.
#[derive(Clone)]
pub struct Chain {
	/// The typed client.
	pub api: OnlineClient<Config>,
	/// The raw RPC client (custom `allora_*` methods).
	pub rpc: RpcClient,
	legacy: LegacyRpcMethods<subxt::config::RpcConfigFor<Config>>,
}

impl Chain {
	/// Connects to `url`, retrying with backoff for up to `patience`; the connection then
	/// reconnects by itself when the node restarts.
	pub async fn connect(url: &str, patience: Duration) -> Result<Chain, String> {
		let started = std::time::Instant::now();
		let mut delay = Duration::from_millis(250);
		loop {
			match Chain::try_connect(url).await {
				Ok(chain) => return Ok(chain),
				Err(e) if started.elapsed() + delay > patience => {
					return Err(format!("cannot connect to {url}: {e}"))
				},
				Err(_) => {
					tokio::time::sleep(delay).await;
					delay = (delay * 2).min(Duration::from_secs(5));
				},
			}
		}
	}

	async fn try_connect(url: &str) -> Result<Chain, String> {
		let inner = ReconnectingRpcClient::builder()
			.retry_policy(ExponentialBackoff::from_millis(100).max_delay(Duration::from_secs(5)))
			.build(url.to_string())
			.await
			.map_err(|e| e.to_string())?;
		let rpc = RpcClient::new(inner);
		let api = OnlineClient::<Config>::from_rpc_client(rpc.clone())
			.await
			.map_err(|e| e.to_string())?;
		let legacy = LegacyRpcMethods::new(rpc.clone());
		Ok(Chain { api, rpc, legacy })
	}

	/// The latest best block number.
	pub async fn best_number(&self) -> Result<u32, String> {
		let header = self.legacy.chain_get_header(None).await.map_err(|e| e.to_string())?;
		let header = header.ok_or("the node has no best block")?;
		u32::try_from(header.number).map_err(|e| e.to_string())
	}

	/// The client at the best block (not only the finalized one): workers and reputers act on
	/// what the next block will be built on.
	pub async fn at_best(&self) -> Result<subxt::client::OnlineClientAtBlock<Config>, String> {
		let hash = self.legacy.chain_get_block_hash(None).await.map_err(|e| e.to_string())?;
		let hash = hash.ok_or("the node has no best block")?;
		self.api.at_block(hash).await.map_err(|e| e.to_string())
	}

	/// A custom JSON-RPC method's answer.
	pub async fn request(
		&self,
		method: &str,
		params: subxt::rpcs::client::RpcParams,
	) -> Result<serde_json::Value, String> {
		self.rpc.request(method, params).await.map_err(|e| e.to_string())
	}

	/// A subscription to new best blocks, retried every 2 s (logged as `who`) until it succeeds.
	pub async fn best_blocks(&self, who: &str) -> subxt::client::Blocks<Config> {
		loop {
			match self.api.stream_best_blocks().await {
				Ok(stream) => return stream,
				Err(e) => {
					crate::log::line(who, &format!("cannot subscribe to blocks ({e}); retrying"));
					tokio::time::sleep(Duration::from_secs(2)).await;
				},
			}
		}
	}

	/// The account's next nonce, counting its transactions waiting in the pool.
	pub async fn next_nonce(&self, account: &AccountId) -> Result<u64, String> {
		self.legacy.system_account_next_index(account).await.map_err(|e| e.to_string())
	}
}

/// How long a submitted transaction may take to reach a best block before the client stops
/// waiting for it (and, before any new attempt, checks whether it landed).
pub const INCLUSION_PATIENCE: Duration = Duration::from_secs(120);

/// Transactions are valid for this many blocks from their anchor block: 96 s of 6 s blocks,
/// less than `INCLUSION_PATIENCE`, so an attempt given up on can no longer be included and a
/// retry never lands beside it.
pub const MORTALITY_BLOCKS: u64 = 16;

/// An account that signs: one submission at a time is handed its nonce, so several topics
/// served by one process never reuse or skip one.
#[derive(Clone)]
pub struct Account {
	keypair: Keypair,
	/// Its account id.
	pub id: AccountId,
	turn: Arc<Mutex<()>>,
}

impl Account {
	/// The account of `keypair`.
	pub fn new(keypair: Keypair) -> Account {
		let id = keypair.public_key().to_account_id();
		Account { keypair, id, turn: Arc::new(Mutex::new(())) }
	}

	/// Signs and submits `call`, waits until it is in a best block and returns its events, or
	/// the pallet error that refused it.
	pub async fn submit<P: Payload>(
		&self,
		chain: &Chain,
		call: &P,
	) -> Result<ExtrinsicEvents<Config>, TxError> {
		// The turn is held until the pool has answered for the transaction (its first status):
		// the next submission's pool-aware nonce then counts it.
		// Every step is bounded, so that one hung call cannot hold the account's turn.
		let (mut progress, first) = {
			let _turn = self.turn.lock().await;
			let hung = |what: &str| TxError::Other(format!("{what}: no answer within 30 s"));
			let nonce = tokio::time::timeout(Duration::from_secs(30), chain.next_nonce(&self.id))
				.await
				.map_err(|_| hung("reading the account nonce"))?
				.map_err(TxError::Other)?;
			let params = DefaultExtrinsicParamsBuilder::<Config>::new()
				.nonce(nonce)
				.mortal(MORTALITY_BLOCKS)
				.build();
			let mut tx = chain.api.tx().await.map_err(TxError::other)?;
			let mut progress = tokio::time::timeout(
				Duration::from_secs(30),
				tx.sign_and_submit_then_watch(call, &self.keypair, params),
			)
			.await
			.map_err(|_| hung("submitting"))?
			.map_err(|e| {
				// The pool's refusal (RPC error 1010, e.g. the fee cannot be paid) is final.
				let text = e.to_string();
				if text.contains("Invalid Transaction") {
					TxError::Invalid(format!("invalid transaction: {text}"))
				} else {
					TxError::Other(text)
				}
			})?;
			let first = tokio::time::timeout(Duration::from_secs(30), progress.next())
				.await
				.map_err(|_| hung("the pool"))?;
			(progress, first)
		};
		// The pool drops a transaction that stays invalid; a node that stops reporting its
		// status (a stalled connection) is given up on after `INCLUSION_PATIENCE`.
		let deadline = tokio::time::Instant::now() + INCLUSION_PATIENCE;
		let mut next = first;
		while let Some(status) = next.take() {
			match status.map_err(TxError::other)? {
				TransactionStatus::InBestBlock(b) | TransactionStatus::InFinalizedBlock(b) => {
					return tokio::time::timeout_at(deadline, b.wait_for_success())
						.await
						.map_err(|_| TxError::Other("its events could not be read in time".into()))?
						.map_err(TxError::from)
				},
				TransactionStatus::Invalid { message } => {
					return Err(TxError::Invalid(format!("invalid transaction: {message}")))
				},
				TransactionStatus::Dropped { message } => {
					return Err(TxError::Other(format!("dropped: {message}")))
				},
				TransactionStatus::Error { message } => return Err(TxError::Other(message)),
				_ => {},
			}
			next = tokio::time::timeout_at(deadline, progress.next()).await.map_err(|_| {
				TxError::Other(format!(
					"not in a block within {} s of its submission",
					INCLUSION_PATIENCE.as_secs()
				))
			})?;
		}
		Err(TxError::Other("the node stopped reporting the transaction's status".into()))
	}
}

/// `rpc_params!` re-exported for the commands.
pub use subxt::rpcs::rpc_params as params;

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn addresses_print_in_the_chains_format() -> Result<(), String> {
		let alice = keypair("//Alice")?.public_key().to_account_id();
		// Alice in the generic format (42) and in Allora's (7000) are the same account.
		let generic: AccountId =
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".parse().map_err(|_| "parse")?;
		assert_eq!(alice, generic);
		let ours = ss58(&alice);
		// As Polkadot.js prints it with `ss58Format: 7000`.
		assert_eq!(ours, "evXpSqdKZezcbEXm59PKyX8cTFXNGjYXCSUzBw7waftNFiRzb");
		let back: AccountId = ours.parse().map_err(|_| "ss58 7000 parses back")?;
		assert_eq!(back, alice);
		let _ = rpc_params![];
		Ok(())
	}

	#[test]
	fn a_bad_secret_is_refused_without_echoing_it() {
		let e = keypair("not a secret uri at all //").err().unwrap_or_default();
		assert!(!e.contains("not a secret uri"), "{e}");
	}
}
