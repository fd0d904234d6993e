//! Compares a replayed table with an expected one, column group by column group.

use crate::{layout::column_group, table::Table};
use allora_math::Fixed;
use std::collections::BTreeMap;

/// Values smaller than this in magnitude are compared absolutely (|a − b| / 10^-12).
pub const RELATIVE_FLOOR: Fixed = Fixed::from_raw(1_000_000);

/// The largest relative error of a column group and where it occurred.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupError {
	/// Largest |got − want| / max(|want|, 10^-12).
	pub max_relative_error: Fixed,
	/// Number of cells compared.
	pub cells: usize,
	/// (row, column) of the largest error.
	pub worst: (usize, String),
}

/// Relative error of `got` against `want`.
pub fn relative_error(got: Fixed, want: Fixed) -> Fixed {
	let diff = got.checked_sub(want).map(Fixed::abs).unwrap_or(Fixed::MAX);
	diff.checked_div(want.abs().max(RELATIVE_FLOOR)).unwrap_or(Fixed::MAX)
}

/// Compares every cell of `columns` filled in both tables (rows matched by position), from
/// row `first_row` (0-based) on.
pub fn compare(
	got: &Table,
	want: &Table,
	columns: &[String],
	first_row: usize,
) -> Result<BTreeMap<String, GroupError>, String> {
	if got.rows.len() != want.rows.len() {
		return Err(format!(
			"the expected table has {} rows, the replay {}",
			want.rows.len(),
			got.rows.len()
		));
	}
	let mut groups: BTreeMap<String, GroupError> = BTreeMap::new();
	for column in columns {
		if !want.index.contains_key(column) {
			continue;
		}
		for row in first_row..got.rows.len() {
			let (Some(g), Some(w)) = (got.get(row, column), want.get(row, column)) else {
				continue;
			};
			let e = relative_error(g, w);
			let entry = groups.entry(column_group(column)).or_insert(GroupError {
				max_relative_error: Fixed::ZERO,
				cells: 0,
				worst: (row, column.clone()),
			});
			entry.cells += 1;
			if e > entry.max_relative_error {
				entry.max_relative_error = e;
				entry.worst = (row, column.clone());
			}
		}
	}
	if groups.is_empty() {
		return Err("no cell is filled in both tables: nothing to compare".into());
	}
	Ok(groups)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn relative_error_uses_a_floor_near_zero() {
		let f = |s: &str| s.parse::<Fixed>().unwrap_or_default();
		assert_eq!(relative_error(f("1.1"), f("1")), f("0.1"));
		assert_eq!(relative_error(f("-2"), f("-2")), Fixed::ZERO);
		assert_eq!(relative_error(f("0.000000000000000002"), Fixed::ZERO), f("0.000002"));
	}
}
