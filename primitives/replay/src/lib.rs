//! # allora-replay
//!
//! Replays a research-simulator CSV (spec 10.2 column layout, any numbers of inferers,
//! forecasters and reputers) through exactly the library the runtime uses
//! (`allora-synthesis`), and compares the result with expected values. The binary
//! `allora-replay` is a thin command line over [`replay`] and [`compare::compare`].

pub mod compare;
pub mod engine;
pub mod layout;
pub mod settings;
pub mod table;

pub use engine::Mode;
pub use settings::Settings;
pub use table::Table;

/// Replays `input` and returns the table with every output column filled, plus notes.
pub fn replay(
	input: &Table,
	settings: Settings,
	mode: Mode,
) -> Result<(Table, Vec<String>), String> {
	engine::Replay::new(input, settings, mode)?.run()
}
