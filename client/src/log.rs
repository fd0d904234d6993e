//! Progress output: one timestamped line per event on stderr (`2026-12-04T10:00:00Z worker …`),
//! or appended to a file when the process asked for one (the demo's participants).

use std::{
	fs::File,
	io::Write,
	path::Path,
	sync::{Mutex, OnceLock},
	time::{SystemTime, UNIX_EPOCH},
};

static FILE: OnceLock<Mutex<File>> = OnceLock::new();

/// Sends every later line to `path` (created or truncated) instead of stderr.
pub fn to_file(path: &Path) -> Result<(), String> {
	let file = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
	FILE.set(Mutex::new(file)).map_err(|_| "the log file is already set".to_string())
}

/// Prints `line` tagged with `who` and the UTC time.
pub fn line(who: &str, line: &str) {
	let text = format!("{} {who:<7} {line}", utc_now());
	match FILE.get().and_then(|f| f.lock().ok()) {
		Some(mut file) => {
			let _ = writeln!(file, "{text}");
		},
		None => eprintln!("{text}"),
	}
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_now() -> String {
	let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
	let (days, rest) = (secs / 86_400, secs % 86_400);
	let (y, m, d) = civil_from_days(days as i64);
	format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Days since 1970-01-01 to a (year, month, day) of the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
	let z = z + 719_468;
	let era = z.div_euclid(146_097);
	let doe = z.rem_euclid(146_097);
	let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
	let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
	let y = yoe + era * 400 + i64::from(m <= 2);
	(y, m, d)
}

#[cfg(test)]
mod tests {
	#[test]
	fn dates_follow_the_calendar() {
		assert_eq!(super::civil_from_days(0), (1970, 1, 1));
		assert_eq!(super::civil_from_days(20_791), (2026, 12, 4));
		assert_eq!(super::civil_from_days(11_016), (2000, 2, 29));
	}
}
