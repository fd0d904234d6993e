//! The `allora_*` JSON-RPC methods: a dApp's one-call access to the `InferenceApi` runtime
//! API (network inference, topic info, open nonces) at the best block or a given one.

use std::sync::Arc;

use allora_runtime::{opaque::Block, AccountId, BlockNumber};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_inference_runtime_api::{
	InferenceApi as InferenceRuntimeApi, NetworkInferenceBundle, OpenNonces, TopicId, TopicInfo,
};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;

/// JSON-RPC error code: the runtime call itself failed.
const RUNTIME_ERROR: i32 = 1;
/// JSON-RPC error code: the runtime answered that there is no such inference.
const NO_INFERENCE: i32 = 2;

/// The `allora_*` methods.
#[rpc(client, server)]
pub trait AlloraApi {
	/// The full network-inference bundle (spec 4.5-4.8) of `topic_id` at worker nonce `nonce`
	/// (default: the latest closed one), at block `at` (default: best).
	#[method(name = "allora_networkInference")]
	fn network_inference(
		&self,
		topic_id: TopicId,
		nonce: Option<BlockNumber>,
		at: Option<H256>,
	) -> RpcResult<NetworkInferenceBundle<AccountId, BlockNumber>>;

	/// A topic with its revenue, weight, next epoch end, worker count and latest inference
	/// (text fields as strings, accounts in ss58 format 7000); `null` for an unknown topic.
	#[method(name = "allora_topicInfo")]
	fn topic_info(
		&self,
		topic_id: TopicId,
		at: Option<H256>,
	) -> RpcResult<Option<serde_json::Value>>;

	/// The topic's open worker nonces and unfulfilled reputer nonces, newest first.
	#[method(name = "allora_openNonces")]
	fn open_nonces(
		&self,
		topic_id: TopicId,
		at: Option<H256>,
	) -> RpcResult<OpenNonces<BlockNumber>>;
}

/// Serves [`AlloraApiServer`] from a client with the `InferenceApi` runtime API.
pub struct Allora<C> {
	client: Arc<C>,
}

impl<C> Allora<C> {
	/// A server over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Allora { client }
	}
}

/// The topic as JSON a person reads: its free-text fields (`metadata`, `lossMethod`) as
/// strings rather than byte arrays (account ids already print in the chain's ss58 format).
pub fn topic_info_json(info: &TopicInfo<AccountId, BlockNumber>) -> serde_json::Value {
	let mut value = serde_json::to_value(info).unwrap_or(serde_json::Value::Null);
	if let Some(config) = value.pointer_mut("/topic/config").and_then(|c| c.as_object_mut()) {
		for (field, bytes) in [
			("metadata", &info.topic.config.metadata),
			("lossMethod", &info.topic.config.loss_method),
		] {
			config.insert(
				field.into(),
				serde_json::Value::String(String::from_utf8_lossy(bytes).into_owned()),
			);
		}
	}
	value
}

fn runtime_error(e: impl std::fmt::Debug) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "runtime API call failed", Some(format!("{e:?}")))
}

impl<C> AlloraApiServer for Allora<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: InferenceRuntimeApi<Block, AccountId, BlockNumber>,
{
	fn network_inference(
		&self,
		topic_id: TopicId,
		nonce: Option<BlockNumber>,
		at: Option<H256>,
	) -> RpcResult<NetworkInferenceBundle<AccountId, BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client
			.runtime_api()
			.network_inference(at, topic_id, nonce)
			.map_err(runtime_error)?
			.map_err(|e| {
				ErrorObject::owned(NO_INFERENCE, format!("no network inference: {e:?}"), None::<()>)
			})
	}

	fn topic_info(
		&self,
		topic_id: TopicId,
		at: Option<H256>,
	) -> RpcResult<Option<serde_json::Value>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let info = self.client.runtime_api().topic_info(at, topic_id).map_err(runtime_error)?;
		Ok(info.as_ref().map(topic_info_json))
	}

	fn open_nonces(
		&self,
		topic_id: TopicId,
		at: Option<H256>,
	) -> RpcResult<OpenNonces<BlockNumber>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().open_nonces(at, topic_id).map_err(runtime_error)
	}
}
