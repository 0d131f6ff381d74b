//! Settings: `newsmark.toml` at a workspace root, or the editor's
//! `initializationOptions` / `didChangeConfiguration` with the same keys.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::{Code, Severity};
use crate::quantity::Tolerance;

pub const CONFIG_FILE: &str = "newsmark.toml";

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub tolerance: Tolerance,
    pub window_days: u32,
    /// `None` turns a rule off.
    pub severity: BTreeMap<Code, Option<Severity>>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            tolerance: Tolerance::default(),
            window_days: 31,
            severity: BTreeMap::new(),
            include: Vec::new(),
            exclude: Vec::new(),
        }
    }
}

/// The file format, shared by TOML and the editor's JSON settings.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub tolerance: Option<f64>,
    pub window: Option<u32>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    pub include: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
}

impl RawConfig {
    pub fn from_toml(text: &str) -> Result<RawConfig, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }
}

impl Config {
    pub fn severity_of(&self, code: Code) -> Option<Severity> {
        match self.severity.get(&code) {
            Some(level) => *level,
            None => Some(code.default_severity()),
        }
    }

    /// Applies `raw` over `self`: keys it sets win, others stay.
    pub fn merged(&self, raw: &RawConfig) -> Result<Config, String> {
        let mut config = self.clone();
        if let Some(t) = raw.tolerance {
            if !(0.0..1.0).contains(&t) {
                return Err(format!("tolerance must be at least 0 and below 1, not {t}"));
            }
            config.tolerance =
                Tolerance::parse(&format!("{t}")).ok_or_else(|| format!("tolerance {t} cannot be read"))?;
        }
        if let Some(window) = raw.window {
            config.window_days = window;
        }
        for (code, level) in &raw.severity {
            let code = Code::parse(code).ok_or_else(|| format!("unknown diagnostic code `{code}` in severity"))?;
            let level = match level.as_str() {
                "off" | "none" => None,
                other => Some(Severity::parse(other).ok_or_else(|| {
                    format!("severity of `{code}` must be error, warning, info, hint or off, not `{other}`")
                })?),
            };
            config.severity.insert(code, level);
        }
        if let Some(include) = &raw.include {
            config.include = include.clone();
        }
        if let Some(exclude) = &raw.exclude {
            config.exclude = exclude.clone();
        }
        Ok(config)
    }

    pub fn from_toml(text: &str) -> Result<Config, String> {
        Config::default().merged(&RawConfig::from_toml(text)?)
    }

    pub fn from_json(value: &serde_json::Value) -> Result<RawConfig, String> {
        RawConfig::deserialize(value).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_keys() {
        let config = Config::from_toml(
            "tolerance = 0.2\nwindow = 10\nexclude = [\"drafts/**\"]\n[severity]\nuncited-figure = \"error\"\nunannotated-figure = \"off\"\n",
        )
        .unwrap();
        assert_eq!(config.window_days, 10);
        assert_eq!(config.severity_of(Code::UncitedFigure), Some(Severity::Error));
        assert_eq!(config.severity_of(Code::UnannotatedFigure), None);
        assert_eq!(config.severity_of(Code::Misquote), Some(Severity::Warning));
        assert_eq!(config.exclude, vec!["drafts/**".to_string()]);
    }

    #[test]
    fn bad_keys_are_reported() {
        assert!(Config::from_toml("colour = 1").unwrap_err().contains("colour"));
        assert!(Config::from_toml("[severity]\nnope = \"error\"").unwrap_err().contains("nope"));
        assert!(Config::from_toml("[severity]\nmisquote = \"loud\"").unwrap_err().contains("loud"));
    }
}
