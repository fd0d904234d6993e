//! The client's one configuration file (TOML): the node, the key, the metrics port, and the
//! topics this process works and reputes on. Every problem is reported as one line naming the
//! file, the key and what is wrong.

use crate::market::SeriesSource;
use serde::Deserialize;
use std::{
	collections::BTreeSet,
	fmt,
	path::{Path, PathBuf},
};

/// A configuration problem: the file, the key (dotted path) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
	/// The configuration file.
	pub file: PathBuf,
	/// The offending key, e.g. `worker[0].model.url` (empty for the whole file).
	pub key: String,
	/// What is wrong.
	pub problem: String,
}

impl fmt::Display for ConfigError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		if self.key.is_empty() {
			write!(f, "{}: {}", self.file.display(), self.problem)
		} else {
			write!(f, "{}: `{}`: {}", self.file.display(), self.key, self.problem)
		}
	}
}

impl std::error::Error for ConfigError {}

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// The node's WebSocket RPC endpoint.
	#[serde(default = "default_node")]
	pub node: String,
	/// Where the signing key (a secret URI: mnemonic, hex seed or `//Dev` path) comes from.
	pub key: KeySource,
	/// `host:port` of the Prometheus metrics endpoint (none when absent).
	pub metrics: Option<String>,
	/// The topics this process submits inferences and forecasts for.
	#[serde(default)]
	pub worker: Vec<WorkerTopic>,
	/// The topics this process reports losses for.
	#[serde(default)]
	pub reputer: Vec<ReputerTopic>,
}

fn default_node() -> String {
	"ws://127.0.0.1:9944".into()
}

/// A secret URI in an environment variable or in a file; never in the configuration itself.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KeySource {
	/// The environment variable holding the secret URI.
	pub env: Option<String>,
	/// The file holding the secret URI (its first line).
	pub file: Option<PathBuf>,
}

/// One topic a worker serves.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WorkerTopic {
	/// The topic id.
	pub topic: u64,
	/// Where inferences and forecasts come from.
	pub model: Adapter,
}

/// One topic a reputer judges.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReputerTopic {
	/// The topic id.
	pub topic: u64,
	/// Where the ground truth of a nonce comes from.
	pub truth: Adapter,
	/// Keep the reputer's own stake at least the topic's minimum (topping it up from the
	/// account's free balance before each report).
	#[serde(default)]
	pub keep_minimum_stake: bool,
}

/// How the client asks a model or a ground-truth source.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Adapter {
	/// POST a JSON request to `url` (plain `http://`), read a JSON answer.
	Http {
		/// The endpoint.
		url: String,
		/// How long to wait for the answer.
		#[serde(default = "default_timeout_ms")]
		timeout_ms: u64,
	},
	/// Run `program args…` with the JSON request on stdin; read the JSON answer on stdout.
	Command {
		/// The program.
		program: String,
		/// Its arguments.
		#[serde(default)]
		args: Vec<String>,
		/// How long to wait for it to exit.
		#[serde(default = "default_timeout_ms")]
		timeout_ms: u64,
	},
	/// A CSV file with a header `nonce,value` (ground truth only); read again for every nonce,
	/// so a feed may append to it.
	Csv {
		/// The file.
		path: PathBuf,
	},
	/// A model built into the client (see [`crate::model::Builtin`]).
	Builtin {
		/// The model's name.
		name: String,
		/// Its parameter, if it takes one (e.g. the value of `constant`).
		value: Option<String>,
		/// The market series of the series models (`random-walk`, `online-ar`, …).
		series: Option<SeriesSource>,
	},
	/// A daily market series (ground truth only): the target of the day a nonce predicts.
	Series(SeriesSource),
}

fn default_timeout_ms() -> u64 {
	5_000
}

impl Config {
	/// Reads and checks `path`.
	pub fn load(path: &Path) -> Result<Config, ConfigError> {
		let error = |key: &str, problem: String| ConfigError {
			file: path.into(),
			key: key.into(),
			problem,
		};
		let text =
			std::fs::read_to_string(path).map_err(|e| error("", format!("cannot read it: {e}")))?;
		Config::parse(path, &text)
	}

	/// Parses and checks the text of the configuration file `path`.
	pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
		let error = |key: &str, problem: String| ConfigError {
			file: path.into(),
			key: key.into(),
			problem,
		};
		let config: Config = toml::from_str(text).map_err(|e| {
			// The parser quotes the offending value: a string written as `key` may be a secret.
			let mut key = e.span().map(|span| key_at(text, span.start)).unwrap_or_default();
			let inline_secret = text.lines().any(|line| {
				line.trim_start()
					.strip_prefix("key")
					.and_then(|rest| rest.trim_start().strip_prefix('='))
					.is_some_and(|value| value.trim_start().starts_with(['"', '\'']))
			});
			let problem = if inline_secret {
				key = "key".into();
				"expected `{ env = \"VARIABLE\" }` or `{ file = \"PATH\" }` (the value is not \
				 shown: it may be a secret)"
					.to_string()
			} else {
				e.message().to_string()
			};
			error(&key, problem)
		})?;
		config.check().map_err(|(key, problem)| error(&key, problem))?;
		Ok(config)
	}

	fn check(&self) -> Result<(), (String, String)> {
		if !(self.node.starts_with("ws://") || self.node.starts_with("wss://")) {
			return Err(("node".into(), format!("{:?} is not a ws:// or wss:// URL", self.node)));
		}
		match (&self.key.env, &self.key.file) {
			(Some(_), Some(_)) => {
				return Err(("key".into(), "set `env` or `file`, not both".into()))
			},
			(None, None) => {
				return Err(("key".into(), "set `env` (a variable name) or `file`".into()))
			},
			_ => {},
		}
		if let Some(addr) = &self.metrics {
			addr.parse::<std::net::SocketAddr>().map_err(|_| {
				("metrics".to_string(), format!("{addr:?} is not a host:port address"))
			})?;
		}
		let mut seen = BTreeSet::new();
		for (i, w) in self.worker.iter().enumerate() {
			if !seen.insert(w.topic) {
				return Err((
					format!("worker[{i}].topic"),
					format!("topic {} is listed twice", w.topic),
				));
			}
			check_adapter(&w.model, &format!("worker[{i}].model"), false)?;
		}
		let mut seen = BTreeSet::new();
		for (i, r) in self.reputer.iter().enumerate() {
			if !seen.insert(r.topic) {
				return Err((
					format!("reputer[{i}].topic"),
					format!("topic {} is listed twice", r.topic),
				));
			}
			check_adapter(&r.truth, &format!("reputer[{i}].truth"), true)?;
		}
		Ok(())
	}
}

fn check_adapter(adapter: &Adapter, key: &str, truth: bool) -> Result<(), (String, String)> {
	match adapter {
		Adapter::Http { url, timeout_ms } => {
			if !url.starts_with("http://") {
				return Err((format!("{key}.url"), format!("{url:?} is not an http:// URL")));
			}
			if *timeout_ms == 0 {
				return Err((format!("{key}.timeout_ms"), "must be positive".into()));
			}
		},
		Adapter::Command { program, timeout_ms, .. } => {
			if program.is_empty() {
				return Err((format!("{key}.program"), "is empty".into()));
			}
			if *timeout_ms == 0 {
				return Err((format!("{key}.timeout_ms"), "must be positive".into()));
			}
		},
		Adapter::Csv { .. } if !truth => {
			return Err((
				format!("{key}.kind"),
				"`csv` is a ground-truth source, not a model".into(),
			))
		},
		Adapter::Csv { .. } => {},
		Adapter::Builtin { name, value, series } if !truth => {
			crate::model::Builtin::new(name, value.as_deref(), series.as_ref()).map_err(|e| {
				let field =
					if e.contains("series") || series.is_some() { "series" } else { "name" };
				(format!("{key}.{field}"), e)
			})?;
		},
		Adapter::Builtin { .. } => {
			return Err((
				format!("{key}.kind"),
				"`builtin` is a model, not a ground-truth source".into(),
			))
		},
		Adapter::Series(_) if !truth => {
			return Err((
				format!("{key}.kind"),
				"`series` is a ground-truth source, not a model (use a `builtin` series model)"
					.into(),
			))
		},
		Adapter::Series(source) => {
			crate::market::SeriesTopic::open(source).map_err(|e| (key.to_string(), e))?;
		},
	}
	Ok(())
}

/// The dotted key whose value starts at byte `offset` of a TOML text (best effort: the
/// nearest `key =` before it and the table it is in).
fn key_at(text: &str, offset: usize) -> String {
	let before = text.get(..offset).unwrap_or(text);
	let mut table = String::new();
	let mut key = String::new();
	for line in before.lines() {
		let line = line.trim();
		if let Some(name) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
			table = name.trim().to_string();
			key.clear();
		} else if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
			table = name.trim().to_string();
			key.clear();
		} else if let Some((k, _)) = line.split_once('=') {
			key = k.trim().to_string();
		}
	}
	match (table.is_empty(), key.is_empty()) {
		(true, _) => key,
		(false, true) => table,
		(false, false) => format!("{table}.{key}"),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn parse(text: &str) -> Result<Config, ConfigError> {
		Config::parse(Path::new("client.toml"), text)
	}

	#[test]
	fn a_full_configuration_reads_back() -> Result<(), ConfigError> {
		let config = parse(
			r#"
node = "ws://127.0.0.1:9944"
key = { env = "ALLORA_SECRET" }
metrics = "127.0.0.1:9616"

[[worker]]
topic = 1
model = { kind = "http", url = "http://127.0.0.1:8000/infer", timeout_ms = 2000 }

[[worker]]
topic = 2
model = { kind = "builtin", name = "constant", value = "100" }

[[reputer]]
topic = 1
truth = { kind = "csv", path = "truth.csv" }
keep_minimum_stake = true
"#,
		)?;
		assert_eq!(config.worker.len(), 2);
		assert_eq!(
			config.worker[0].model,
			Adapter::Http { url: "http://127.0.0.1:8000/infer".into(), timeout_ms: 2000 }
		);
		assert_eq!(config.reputer[0].truth, Adapter::Csv { path: "truth.csv".into() });
		assert!(config.reputer[0].keep_minimum_stake);
		assert_eq!(config.key.env.as_deref(), Some("ALLORA_SECRET"));
		Ok(())
	}

	#[test]
	fn a_bad_configuration_names_the_file_the_key_and_the_problem() {
		let wrong_type = parse("key = { env = \"S\" }\n[[worker]]\ntopic = \"one\"\nmodel = { kind = \"builtin\", name = \"constant\", value = \"1\" }\n");
		let e = wrong_type.err().map(|e| e.to_string()).unwrap_or_default();
		assert!(e.starts_with("client.toml: `worker.topic`: "), "{e}");
		assert!(e.contains("invalid type"), "{e}");

		let unknown_model = parse("key = { env = \"S\" }\n[[worker]]\ntopic = 1\nmodel = { kind = \"builtin\", name = \"oracle\" }\n");
		let e = unknown_model.err().map(|e| e.to_string()).unwrap_or_default();
		assert!(
			e.starts_with("client.toml: `worker[0].model.name`: unknown built-in model \"oracle\""),
			"{e}"
		);

		let no_key = parse("[[worker]]\ntopic = 1\nmodel = { kind = \"builtin\", name = \"constant\", value = \"1\" }\n");
		let e = no_key.err().map(|e| e.to_string()).unwrap_or_default();
		assert!(e.contains("missing field `key`"), "{e}");

		let twice = parse("key = { env = \"S\" }\n[[reputer]]\ntopic = 3\ntruth = { kind = \"csv\", path = \"a\" }\n[[reputer]]\ntopic = 3\ntruth = { kind = \"csv\", path = \"b\" }\n");
		assert_eq!(
			twice.err().map(|e| e.to_string()).unwrap_or_default(),
			"client.toml: `reputer[1].topic`: topic 3 is listed twice"
		);

		let https = parse("key = { file = \"k\" }\n[[worker]]\ntopic = 1\nmodel = { kind = \"http\", url = \"https://x\" }\n");
		assert_eq!(
			https.err().map(|e| e.to_string()).unwrap_or_default(),
			"client.toml: `worker[0].model.url`: \"https://x\" is not an http:// URL"
		);

		let csv_model = parse("key = { env = \"S\" }\n[[worker]]\ntopic = 1\nmodel = { kind = \"csv\", path = \"a\" }\n");
		assert!(csv_model.err().map(|e| e.to_string()).unwrap_or_default().contains("not a model"));

		let secret = parse(
			"key = \"bottom drive obey lake curtain smoke basket hold race lonely fit walk\"\n",
		);
		let e = secret.err().map(|e| e.to_string()).unwrap_or_default();
		assert!(e.starts_with("client.toml: `key`: expected `{ env"), "{e}");
		assert!(!e.contains("bottom drive"), "a secret written as the key is never echoed: {e}");

		let typo = parse("key = { env = \"S\" }\nnode_url = \"ws://x\"\n");
		let e = typo.err().map(|e| e.to_string()).unwrap_or_default();
		assert!(e.contains("unknown field `node_url`"), "{e}");
	}
}
