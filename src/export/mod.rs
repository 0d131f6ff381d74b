//! `newsmark export`: the fact-check model in formats other tools read.

pub mod claimreview;
