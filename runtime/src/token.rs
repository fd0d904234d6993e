//! The ALLO token: units, supply and the chain's address format.

use crate::Balance;

/// Ticker reported in `system_properties`.
pub const TOKEN_SYMBOL: &str = "ALLO";
/// Decimal places of ALLO (spec README, decision 4).
pub const TOKEN_DECIMALS: u8 = 18;
/// SS58 address prefix of the chain (`system_properties.ss58Format`).
pub const SS58_PREFIX: u16 = 7000;

/// One ALLO in base units.
pub const ALLO: Balance = 1_000_000_000_000_000_000;
/// 10^-3 ALLO.
pub const MILLI_ALLO: Balance = ALLO / 1_000;
/// 10^-6 ALLO.
pub const MICRO_ALLO: Balance = ALLO / 1_000_000;
/// 10^-2 ALLO: the unit transaction fees are tuned in.
pub const CENTI_ALLO: Balance = ALLO / 100;

/// Maximum supply: 10^9 ALLO = 10^27 base units (spec README, decision 4).
pub const MAX_SUPPLY: Balance = 1_000_000_000 * ALLO;

/// The minimum balance an account must keep to exist: 1 milli-ALLO.
#[cfg(not(feature = "runtime-benchmarks"))]
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_ALLO;
/// The benchmark build's existential deposit, 10^-5 ALLO: pallet-staking's `unbond`
/// benchmark bonds a fixed 0.000953 ALLO, below 1 milli-ALLO (`InsufficientBond`). What an
/// extrinsic costs does not depend on the deposit's size; no chain runs this build.
#[cfg(feature = "runtime-benchmarks")]
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_ALLO / 100;
