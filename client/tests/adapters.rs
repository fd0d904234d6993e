//! The model and ground-truth adapters against fake servers and programs: good answers are
//! read exactly; timeouts, errors, bad JSON and wrong types are refused with their reason.

use allora_client::{
	config::Adapter,
	model::{predict, Bounds, ModelRequest},
	truth::ground_truth,
};
use allora_math::Fixed;
use std::time::Duration;
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpListener,
};

fn fx(s: &str) -> Fixed {
	s.parse().unwrap_or_default()
}

fn bounds() -> Bounds {
	Bounds { inference: (fx("0"), fx("1000")), loss: (fx("-30"), fx("30")) }
}

fn request() -> ModelRequest {
	ModelRequest {
		topic: 7,
		nonce: 120,
		metadata: "MSFT close".into(),
		inferers: vec![],
		history: vec![],
	}
}

/// A one-connection-at-a-time HTTP server answering every request with `status` and `body`
/// after `delay`; returns its URL.
async fn fake_server(status: u16, body: &'static str, delay: Duration) -> std::io::Result<String> {
	let listener = TcpListener::bind("127.0.0.1:0").await?;
	let url = format!("http://{}/predict", listener.local_addr()?);
	tokio::spawn(async move {
		while let Ok((mut stream, _)) = listener.accept().await {
			tokio::spawn(async move {
				let mut buffer = vec![0u8; 65_536];
				let _ = stream.read(&mut buffer).await;
				tokio::time::sleep(delay).await;
				let response = format!(
					"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
					body.len()
				);
				let _ = stream.write_all(response.as_bytes()).await;
			});
		}
	});
	Ok(url)
}

fn http(url: String, timeout_ms: u64) -> Adapter {
	Adapter::Http { url, timeout_ms }
}

fn sh(script: &str, timeout_ms: u64) -> Adapter {
	Adapter::Command { program: "sh".into(), args: vec!["-c".into(), script.into()], timeout_ms }
}

#[tokio::test]
async fn a_model_server_answer_is_read_exactly() -> std::io::Result<()> {
	let url = fake_server(200, r#"{"inference": "101.25"}"#, Duration::ZERO).await?;
	let p = predict(&http(url, 2_000), &request(), &bounds()).await;
	assert_eq!(p.map(|p| p.inference), Ok(Some(fx("101.25"))));
	Ok(())
}

#[tokio::test]
async fn failing_model_servers_skip_the_epoch_with_a_reason() -> std::io::Result<()> {
	let slow = fake_server(200, r#"{"inference": 1}"#, Duration::from_secs(3)).await?;
	let e = predict(&http(slow, 300), &request(), &bounds()).await.err().unwrap_or_default();
	assert!(e.ends_with("no answer within 300 ms"), "{e}");

	let broken = fake_server(500, "model crashed", Duration::ZERO).await?;
	let e = predict(&http(broken, 2_000), &request(), &bounds()).await.err().unwrap_or_default();
	assert!(e.contains("answered 500"), "{e}");
	assert!(e.ends_with("model crashed"), "{e}");

	let not_json = fake_server(200, "<html>hello</html>", Duration::ZERO).await?;
	let e = predict(&http(not_json, 2_000), &request(), &bounds()).await.err().unwrap_or_default();
	assert!(e.contains("the answer is not JSON"), "{e}");

	let wrong_type = fake_server(200, r#"{"inference": [1, 2]}"#, Duration::ZERO).await?;
	let e =
		predict(&http(wrong_type, 2_000), &request(), &bounds()).await.err().unwrap_or_default();
	assert_eq!(e, "`inference`: [1,2] is not a number");

	let absurd = fake_server(200, r#"{"inference": 1e12}"#, Duration::ZERO).await?;
	let e = predict(&http(absurd, 2_000), &request(), &bounds()).await.err().unwrap_or_default();
	assert!(e.contains("outside the topic's range"), "{e}");

	let nobody = "http://127.0.0.1:9/predict".to_string();
	let e = predict(&http(nobody, 2_000), &request(), &bounds()).await.err().unwrap_or_default();
	assert!(e.starts_with("http://127.0.0.1:9/predict: "), "{e}");
	Ok(())
}

#[tokio::test]
async fn a_model_program_reads_the_request_and_answers_on_stdout() -> std::io::Result<()> {
	// The program sees the request: it answers with the nonce it was asked about.
	let echo = sh(
		r#"read r; n=$(echo "$r" | sed 's/.*"nonce":\([0-9]*\).*/\1/'); echo "{\"inference\": \"$n.5\"}""#,
		5_000,
	);
	let p = predict(&echo, &request(), &bounds()).await;
	assert_eq!(p.map(|p| p.inference), Ok(Some(fx("120.5"))));

	let e =
		predict(&sh("cat > /dev/null; echo oops >&2; exit 3", 5_000), &request(), &bounds()).await;
	let e = e.err().unwrap_or_default();
	assert!(e.starts_with("sh exited with exit status: 3: oops"), "{e}");

	let e = predict(&sh("cat > /dev/null; sleep 5", 300), &request(), &bounds())
		.await
		.err()
		.unwrap_or_default();
	assert_eq!(e, "sh: no answer within 300 ms (killed)");

	let e = predict(
		&sh("cat > /dev/null; echo '{\"inference\": \"ten\"}'", 5_000),
		&request(),
		&bounds(),
	)
	.await;
	assert_eq!(e.err().unwrap_or_default(), "`inference`: \"ten\" is not a decimal number");
	Ok(())
}

#[tokio::test]
async fn ground_truth_sources_say_what_they_know() -> std::io::Result<()> {
	let known = fake_server(200, r#"{"value": "99.75"}"#, Duration::ZERO).await?;
	assert_eq!(ground_truth(&http(known, 2_000), 7, 120).await, Ok(Some(fx("99.75"))));
	let unknown = fake_server(200, r#"{"value": null}"#, Duration::ZERO).await?;
	assert_eq!(ground_truth(&http(unknown, 2_000), 7, 120).await, Ok(None));
	let e = ground_truth(&sh("cat > /dev/null; echo '{\"price\": 1}'", 5_000), 7, 120).await;
	assert_eq!(e, Err("the answer has no `value`".into()));
	Ok(())
}

#[tokio::test]
async fn the_example_python_model_answers_through_the_http_adapter() -> std::io::Result<()> {
	let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
	let script = std::path::PathBuf::from(
		std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
	)
	.join("examples/model_server.py");
	let mut server = tokio::process::Command::new("python3")
		.arg(&script)
		.args(["--port", &port.to_string(), "--default", "100"])
		.stdout(std::process::Stdio::null())
		.kill_on_drop(true)
		.spawn()?;
	let url = format!("http://127.0.0.1:{port}/predict");
	let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	let history = |nonce: u32, combined: &str, alices: &str| allora_client::model::HistoryEntry {
		nonce,
		combined: fx(combined),
		naive: fx(combined),
		inferers: [(alice.to_string(), fx(alices))].into_iter().collect(),
	};
	let mut req = request();
	req.inferers = vec![alice.into()];
	req.history = vec![history(10, "100", "101"), history(20, "102", "101")];
	// Wait (bounded: 30 s, Python starts slowly on a busy 2-core machine) for the server to
	// listen; a server that exited fails at once.
	let deadline = std::time::Instant::now() + Duration::from_secs(30);
	let mut answer = predict(&http(url.clone(), 2_000), &req, &bounds()).await;
	while answer.is_err() && std::time::Instant::now() < deadline {
		if let Some(status) = server.try_wait()? {
			return Err(std::io::Error::other(format!("the model server exited: {status}")));
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
		answer = predict(&http(url.clone(), 2_000), &req, &bounds()).await;
	}
	let p = answer.map_err(std::io::Error::other)?;
	// Smoothing at rate 0.5: 100 then 0.5·102 + 0.5·100 = 101; Alice's mean squared distance to
	// the combined value is (1 + 1)/2 = 1, log10(1 + 1e-12) ≈ 0.
	assert_eq!(p.inference, Some(fx("101.0")));
	assert_eq!(p.forecasts.len(), 1);
	assert!(p.forecasts[0].1.abs() < fx("0.000000001"), "{}", p.forecasts[0].1);
	server.kill().await?;
	Ok(())
}
