//! `allora-replay [--state-from-first-row] [settings] INPUT.csv -o OUTPUT.csv [--compare EXPECTED.csv [--rtol X]]`

use allora_math::Fixed;
use allora_replay::{compare, layout::Layout, replay, settings::FLAGS, Mode, Settings, Table};
use std::process::ExitCode;

const USAGE: &str = "usage: allora-replay [--state-from-first-row] [settings] INPUT.csv -o OUTPUT.csv [--compare EXPECTED.csv] [--rtol 1e-6]";

struct Args {
	input: String,
	output: Option<String>,
	compare: Option<String>,
	rtol: Fixed,
	mode: Mode,
	settings: Settings,
}

fn parse_args() -> Result<Option<Args>, String> {
	let mut args = std::env::args().skip(1);
	let mut input = None;
	let mut output = None;
	let mut compare = None;
	let mut rtol: Fixed = "0.000001".parse().map_err(|_| "rtol".to_string())?;
	let mut mode = Mode::Fresh;
	let mut settings = Settings::default();
	while let Some(a) = args.next() {
		let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
		match a.as_str() {
			"-h" | "--help" => return Ok(None),
			"--state-from-first-row" => mode = Mode::StateFromFirstRow,
			"-o" | "--output" => output = Some(value("-o")?),
			"--compare" => compare = Some(value("--compare")?),
			"--rtol" => {
				let v = value("--rtol")?;
				rtol = v.parse().map_err(|e| format!("--rtol: `{v}` is {e}"))?;
			},
			flag if flag.starts_with("--") => {
				let v = value(flag)?;
				settings.set(flag, &v)?;
			},
			path => {
				if input.replace(path.to_string()).is_some() {
					return Err(format!("more than one input file ({path})"));
				}
			},
		}
	}
	let input = input.ok_or("no INPUT.csv given")?;
	if output.is_none() && compare.is_none() {
		return Err("nothing to do: give -o OUTPUT.csv and/or --compare EXPECTED.csv".into());
	}
	Ok(Some(Args { input, output, compare, rtol, mode, settings }))
}

fn load(path: &str) -> Result<Table, String> {
	let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
	Table::parse(&text).map_err(|e| format!("{path}: {e}"))
}

fn run() -> Result<bool, String> {
	let Some(args) = parse_args()? else {
		println!("{USAGE}\n\nsettings (simulator defaults, spec 10.4):");
		for (flag, help) in FLAGS {
			println!("  {flag:<32} {help}");
		}
		return Ok(true);
	};
	let input = load(&args.input)?;
	let (out, notes) = replay(&input, args.settings, args.mode)?;
	for n in &notes {
		eprintln!("note: {n}");
	}
	if let Some(path) = &args.output {
		std::fs::write(path, out.to_csv()).map_err(|e| format!("{path}: {e}"))?;
	}
	let Some(expected) = &args.compare else { return Ok(true) };
	let want = load(expected)?;
	let columns = Layout::detect(&input)?.output_columns();
	// In --state-from-first-row mode row 1 is input, not output: compare the computed rows.
	let first_row = usize::from(args.mode == Mode::StateFromFirstRow);
	let groups = compare::compare(&out, &want, &columns, first_row)?;
	let mut ok = true;
	println!("{:<52} {:>6} {:>24}  worst cell", "column group", "cells", "max relative error");
	for (group, g) in &groups {
		let pass = g.max_relative_error <= args.rtol;
		ok &= pass;
		println!(
			"{group:<52} {:>6} {:>24}  row {} {}{}",
			g.cells,
			g.max_relative_error.to_string(),
			g.worst.0 + 1,
			g.worst.1,
			if pass { "" } else { "  FAIL" }
		);
	}
	println!("{} groups, rtol {}: {}", groups.len(), args.rtol, if ok { "ok" } else { "FAILED" });
	Ok(ok)
}

fn main() -> ExitCode {
	match run() {
		Ok(true) => ExitCode::SUCCESS,
		Ok(false) => ExitCode::from(1),
		Err(e) => {
			eprintln!("allora-replay: {e}");
			ExitCode::from(2)
		},
	}
}
