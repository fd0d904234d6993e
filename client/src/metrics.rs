//! Prometheus metrics of the client (submissions, failures, latency, last nonce) and the HTTP
//! endpoint that serves them (`GET /metrics`).

use bytes::Bytes;
use http_body_util::Full;
use hyper::{server::conn::http1, service::service_fn, Response};
use hyper_util::rt::TokioIo;
use prometheus::{
	Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};
use std::{net::SocketAddr, time::Duration};

/// The client's metrics (cheap to clone: the series are shared).
#[derive(Clone)]
pub struct Metrics {
	registry: Registry,
	submissions: IntCounterVec,
	failures: IntCounterVec,
	latency: HistogramVec,
	last_nonce: IntGaugeVec,
}

impl Metrics {
	/// A fresh set of series.
	pub fn new() -> Result<Metrics, String> {
		let e = |e: prometheus::Error| e.to_string();
		let registry = Registry::new_custom(Some("allora_client".into()), None).map_err(e)?;
		let submissions = IntCounterVec::new(
			Opts::new("submissions_total", "Payloads and loss bundles included in a block"),
			&["topic", "role"],
		)
		.map_err(e)?;
		let failures = IntCounterVec::new(
			Opts::new("failures_total", "Epochs skipped or submissions refused"),
			&["topic", "role"],
		)
		.map_err(e)?;
		let latency = HistogramVec::new(
			HistogramOpts::new(
				"submission_latency_seconds",
				"From asking the model or source to inclusion in a block",
			)
			.buckets(vec![0.5, 1.0, 2.0, 4.0, 6.0, 8.0, 12.0, 18.0, 30.0, 60.0]),
			&["role"],
		)
		.map_err(e)?;
		let last_nonce = IntGaugeVec::new(
			Opts::new("last_nonce", "The last nonce submitted for"),
			&["topic", "role"],
		)
		.map_err(e)?;
		registry.register(Box::new(submissions.clone())).map_err(e)?;
		registry.register(Box::new(failures.clone())).map_err(e)?;
		registry.register(Box::new(latency.clone())).map_err(e)?;
		registry.register(Box::new(last_nonce.clone())).map_err(e)?;
		Ok(Metrics { registry, submissions, failures, latency, last_nonce })
	}

	/// A submission for `nonce` was included after `latency`.
	pub fn submitted(&self, topic: u64, role: &str, nonce: u32, latency: Duration) {
		let topic = topic.to_string();
		self.submissions.with_label_values(&[topic.as_str(), role]).inc();
		self.latency.with_label_values(&[role]).observe(latency.as_secs_f64());
		self.last_nonce.with_label_values(&[topic.as_str(), role]).set(i64::from(nonce));
	}

	/// An epoch was skipped or a submission refused.
	pub fn failure(&self, topic: u64, role: &str) {
		self.failures.with_label_values(&[topic.to_string().as_str(), role]).inc();
	}

	/// The text exposition of every series.
	pub fn render(&self) -> String {
		let mut buffer = Vec::new();
		let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buffer);
		String::from_utf8_lossy(&buffer).into_owned()
	}

	/// Serves the metrics on `addr` until the process stops.
	pub async fn serve(self, addr: SocketAddr) -> Result<(), String> {
		let listener = tokio::net::TcpListener::bind(addr)
			.await
			.map_err(|e| format!("metrics endpoint {addr}: {e}"))?;
		loop {
			let stream = match listener.accept().await {
				Ok((stream, _)) => stream,
				Err(_) => {
					// Out of file descriptors or a reset connection: pause rather than spin.
					tokio::time::sleep(std::time::Duration::from_millis(100)).await;
					continue;
				},
			};
			let metrics = self.clone();
			tokio::spawn(async move {
				let service = service_fn(move |_request| {
					let body = metrics.render();
					async move {
						Response::builder()
							.header("content-type", "text/plain; version=0.0.4")
							.body(Full::new(Bytes::from(body)))
					}
				});
				let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
			});
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn series_count_what_happened() -> Result<(), String> {
		let m = Metrics::new()?;
		m.submitted(7, "worker", 120, Duration::from_millis(1500));
		m.submitted(7, "worker", 126, Duration::from_millis(500));
		m.failure(7, "reputer");
		let text = m.render();
		assert!(
			text.contains("allora_client_submissions_total{role=\"worker\",topic=\"7\"} 2"),
			"{text}"
		);
		assert!(
			text.contains("allora_client_failures_total{role=\"reputer\",topic=\"7\"} 1"),
			"{text}"
		);
		assert!(
			text.contains("allora_client_last_nonce{role=\"worker\",topic=\"7\"} 126"),
			"{text}"
		);
		assert!(
			text.contains("allora_client_submission_latency_seconds_count{role=\"worker\"} 2"),
			"{text}"
		);
		Ok(())
	}
}
