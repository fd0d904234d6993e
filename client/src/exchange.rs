//! One JSON request, one JSON answer: over HTTP (`POST`, plain `http://`) or through a process
//! (request on stdin, answer on stdout). Both are bounded in time and in size; a failure is a
//! one-line reason that the caller logs before skipping the epoch.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use serde_json::Value;
use std::{process::Stdio, time::Duration};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The largest answer accepted (1 MiB).
pub const MAX_ANSWER_BYTES: usize = 1 << 20;

/// POSTs `request` to `url` and parses the JSON answer; non-2xx statuses, timeouts and
/// answers that are not JSON are errors.
pub async fn http(url: &str, request: &Value, timeout: Duration) -> Result<Value, String> {
	let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
	let body =
		serde_json::to_vec(request).map_err(|e| format!("cannot encode the request: {e}"))?;
	let req = hyper::Request::post(url)
		.header(hyper::header::CONTENT_TYPE, "application/json")
		.body(Full::new(Bytes::from(body)))
		.map_err(|e| format!("bad URL {url:?}: {e}"))?;
	let exchange = async {
		let response =
			client.request(req).await.map_err(|e| format!("{url}: {}", error_chain(&e)))?;
		let status = response.status();
		let collected = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
			.collect()
			.await
			.map_err(|e| format!("{url}: reading the answer: {e}"))?
			.to_bytes();
		if !status.is_success() {
			let text = String::from_utf8_lossy(&collected);
			return Err(format!(
				"{url} answered {status}: {}",
				text.trim().chars().take(200).collect::<String>()
			));
		}
		Ok(collected)
	};
	let bytes = tokio::time::timeout(timeout, exchange)
		.await
		.map_err(|_| format!("{url}: no answer within {} ms", timeout.as_millis()))??;
	serde_json::from_slice(&bytes).map_err(|e| format!("{url}: the answer is not JSON: {e}"))
}

/// Runs `program args…`, writes `request` to its stdin and parses its stdout as JSON; a
/// non-zero exit, a timeout (the process is killed) and output that is not JSON are errors.
pub async fn command(
	program: &str,
	args: &[String],
	request: &Value,
	timeout: Duration,
) -> Result<Value, String> {
	let mut child = tokio::process::Command::new(program)
		.args(args)
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.kill_on_drop(true)
		.spawn()
		.map_err(|e| format!("cannot start {program:?}: {e}"))?;
	let body =
		serde_json::to_vec(request).map_err(|e| format!("cannot encode the request: {e}"))?;
	let mut stdin = child.stdin.take().ok_or("no stdin")?;
	let mut stdout = child.stdout.take().ok_or("no stdout")?;
	let mut stderr = child.stderr.take().ok_or("no stderr")?;
	let run = async {
		stdin.write_all(&body).await.map_err(|e| format!("{program}: writing the request: {e}"))?;
		drop(stdin);
		let mut out = Vec::new();
		let mut err = Vec::new();
		let mut limited_out = (&mut stdout).take(MAX_ANSWER_BYTES as u64 + 1);
		let mut limited_err = (&mut stderr).take(64 * 1024);
		let (read_out, _) =
			tokio::join!(limited_out.read_to_end(&mut out), limited_err.read_to_end(&mut err));
		read_out.map_err(|e| format!("{program}: reading its answer: {e}"))?;
		let status = child.wait().await.map_err(|e| format!("{program}: {e}"))?;
		if !status.success() {
			let err = String::from_utf8_lossy(&err);
			return Err(format!(
				"{program} exited with {status}: {}",
				err.trim().lines().last().unwrap_or("")
			));
		}
		if out.len() > MAX_ANSWER_BYTES {
			return Err(format!("{program}: the answer is longer than {MAX_ANSWER_BYTES} bytes"));
		}
		Ok(out)
	};
	let out = tokio::time::timeout(timeout, run).await.map_err(|_| {
		format!("{program}: no answer within {} ms (killed)", timeout.as_millis())
	})??;
	serde_json::from_slice(&out).map_err(|e| format!("{program}: the answer is not JSON: {e}"))
}

fn error_chain(e: &dyn std::error::Error) -> String {
	let mut text = e.to_string();
	let mut source = e.source();
	while let Some(s) = source {
		text.push_str(": ");
		text.push_str(&s.to_string());
		source = s.source();
	}
	text
}
