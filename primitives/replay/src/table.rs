//! The CSV table: a header and rows of optional decimal cells (an empty cell = not submitted).

use allora_math::Fixed;
use std::collections::BTreeMap;

/// A parsed CSV: column names and, per row, an optional value per column.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
	/// Column names, in file order; the first is `epoch`.
	pub columns: Vec<String>,
	/// Column name → position.
	pub index: BTreeMap<String, usize>,
	/// Cells per row (`None` = empty).
	pub rows: Vec<Vec<Option<Fixed>>>,
}

impl Table {
	/// Parses CSV text; every error names the row (1-based data row, as in the file minus the
	/// header) and the column.
	pub fn parse(text: &str) -> Result<Table, String> {
		let mut lines = text.lines().filter(|l| !l.trim().is_empty());
		let header = lines.next().ok_or("empty input: no header line")?;
		let columns: Vec<String> = header.split(',').map(|c| c.trim().to_string()).collect();
		if columns.first().map(String::as_str) != Some("epoch") {
			return Err("the first column must be `epoch`".into());
		}
		let mut index = BTreeMap::new();
		for (i, c) in columns.iter().enumerate() {
			if c.is_empty() {
				return Err(format!("column {} has an empty name", i + 1));
			}
			if index.insert(c.clone(), i).is_some() {
				return Err(format!("column `{c}` appears twice"));
			}
		}
		let mut rows = Vec::new();
		for (n, line) in lines.enumerate() {
			let cells: Vec<&str> = line.split(',').collect();
			if cells.len() != columns.len() {
				return Err(format!(
					"row {}: {} cells, the header has {} columns",
					n + 1,
					cells.len(),
					columns.len()
				));
			}
			let mut row = Vec::with_capacity(cells.len());
			for (cell, name) in cells.iter().zip(columns.iter()) {
				let cell = cell.trim();
				if cell.is_empty() {
					row.push(None);
				} else {
					let v = cell
						.parse::<Fixed>()
						.map_err(|e| format!("row {}, column `{name}`: `{cell}` is {e}", n + 1))?;
					row.push(Some(v));
				}
			}
			rows.push(row);
		}
		if rows.is_empty() {
			return Err("no data rows".into());
		}
		Ok(Table { columns, index, rows })
	}

	/// The cell of `column` in `row` (0-based), if the column exists and the cell is filled.
	pub fn get(&self, row: usize, column: &str) -> Option<Fixed> {
		let i = *self.index.get(column)?;
		self.rows.get(row)?.get(i).copied().flatten()
	}

	/// Sets a cell of an existing column.
	pub fn set(&mut self, row: usize, column: &str, value: Option<Fixed>) {
		if let (Some(i), Some(r)) = (self.index.get(column).copied(), self.rows.get_mut(row)) {
			if let Some(cell) = r.get_mut(i) {
				*cell = value;
			}
		}
	}

	/// CSV text with exact decimals.
	pub fn to_csv(&self) -> String {
		let mut out = self.columns.join(",");
		out.push('\n');
		for row in &self.rows {
			let cells: Vec<String> =
				row.iter().map(|c| c.map(|v| v.to_string()).unwrap_or_default()).collect();
			out.push_str(&cells.join(","));
			out.push('\n');
		}
		out
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_and_reports_bad_cells_with_row_and_column() {
		let t = Table::parse("epoch,a,b\n1,0.5,\n2,-1,3\n").unwrap_or_else(|e| panic!("{e}"));
		assert_eq!(t.get(0, "a"), Some(Fixed::from_raw(500_000_000_000_000_000)));
		assert_eq!(t.get(0, "b"), None);
		assert_eq!(t.get(1, "b"), Some(Fixed::from_int(3)));
		assert_eq!(
			Table::parse("epoch,a\n1,x\n"),
			Err("row 1, column `a`: `x` is not a decimal number".into())
		);
		assert_eq!(
			Table::parse("epoch,a\n1,2,3\n"),
			Err("row 1: 3 cells, the header has 2 columns".into())
		);
		assert!(Table::parse("a,epoch\n").is_err());
		assert!(Table::parse("epoch,a,a\n1,2,3\n").is_err());
	}
}
