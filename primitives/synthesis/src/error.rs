//! Errors of the mechanism functions.

use allora_math::MathError;

/// Why a mechanism step has no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
	/// Arithmetic failed (overflow, division by zero, domain).
	Math(MathError),
	/// The network inference needs at least one inference (spec 4.7, mode 1).
	NoInferences,
	/// Network losses and consensus need at least one reputer bundle with stake.
	NoReputers,
	/// Inputs that must have equal lengths do not.
	LengthMismatch,
	/// A required value is missing (e.g. a reputer bundle without the combined loss).
	MissingValue,
	/// A range whose lower bound is above its upper bound.
	EmptyRange,
}

impl From<MathError> for Error {
	fn from(e: MathError) -> Self {
		Error::Math(e)
	}
}

/// Result of a mechanism step.
pub type Result<T> = core::result::Result<T, Error>;
