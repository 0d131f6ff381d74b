//! Whether human output is coloured: `--color always|never` decides; `auto`
//! colours a terminal unless `NO_COLOR` is set (no-color.org), and colours
//! anything when `FORCE_COLOR` is set (force-color.org); `FORCE_COLOR` wins
//! when both are set, since it is the more specific request.

use super::ColorChoice;

pub fn enabled(choice: ColorChoice, to_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let forced = std::env::var_os("FORCE_COLOR").is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => forced || (to_terminal && !set("NO_COLOR")),
    }
}
