//! # allora-client
//!
//! The off-chain program of the people who produce the network's intelligence: a worker's
//! loop (nonce opens → ask the model → submit), a reputer's loop (window opens → ground truth
//! → losses of every network value → submit), the commands that set an account up, and
//! `status`, which explains an account's standing. See `client/README.md`.

pub mod chain;
pub mod commands;
pub mod config;
pub mod demo;
pub mod demo_report;
pub mod exchange;
pub mod log;
pub mod market;
pub mod metrics;
pub mod model;
pub mod reputer;
pub mod series_models;
pub mod status;
pub mod truth;
pub mod values;
pub mod worker;
