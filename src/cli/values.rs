//! Option values clap checks while it parses, so a mistyped value exits 2
//! with the usage, as every other command-line mistake does.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use mytype::core::sanitize::one_line;
use std::ffi::OsStr;

/// `--graphics`: auto, kitty, sixel, iterm (or iterm2) and halfblocks (or
/// blocks), in any case. The value is given back as typed, trimmed; the
/// game parses it into its `GraphicsChoice`.
#[derive(Clone, Debug)]
pub struct GraphicsValue;

impl GraphicsValue {
    fn choices() -> [PossibleValue; 5] {
        [
            PossibleValue::new("auto"),
            PossibleValue::new("kitty"),
            PossibleValue::new("sixel"),
            PossibleValue::new("iterm").alias("iterm2"),
            PossibleValue::new("halfblocks").alias("blocks"),
        ]
    }
}

impl TypedValueParser for GraphicsValue {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        // Spaces around the value were always accepted: keep them so. A
        // refused value is echoed in the error: shown inert.
        let text = value.to_string_lossy();
        let shown = one_line(text.trim());
        PossibleValuesParser::new(Self::choices()).parse_ref(cmd, arg, OsStr::new(shown.as_ref()))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(Self::choices().into_iter()))
    }
}

/// A pack's name (`pack generate --name`, `pack build --name`): the rule
/// of [`mytype::pack::valid_name`].
#[derive(Clone, Debug)]
pub struct PackNameValue;

impl TypedValueParser for PackNameValue {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        match value.to_str() {
            Some(name) if mytype::pack::valid_name(name) => Ok(name.to_string()),
            _ => {
                let rule = format!(
                    "a pack name is 1 to {} bytes of printable text",
                    mytype::pack::MAX_NAME_BYTES
                );
                let message = match value.to_string_lossy() {
                    text if text.trim().is_empty() => format!("--name is empty: {rule}"),
                    text => format!("--name `{}` will not do: {rule}", one_line(&text)),
                };
                Err(
                    clap::Error::raw(clap::error::ErrorKind::ValueValidation, message)
                        .format(&mut cmd.clone()),
                )
            }
        }
    }
}

/// A whole number from `lo` to `hi`, for an option whose range clap would
/// otherwise word in Rust's syntax (`1..=100`).
pub fn whole_number(text: &str, lo: u64, hi: u64) -> Result<u64, String> {
    match text.trim().parse() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(format!("must be a whole number from {lo} to {hi}")),
    }
}

/// A command-line mistake found after parsing (two options that do not go
/// together): clap's error, with the command's usage, exit 2.
pub fn usage_error(subcommand: &str, message: String) -> ! {
    use clap::CommandFactory;
    let mut command = super::Cli::command();
    command.build();
    let command = command
        .find_subcommand_mut(subcommand)
        .cloned()
        .unwrap_or_else(super::Cli::command);
    let mut command = command.bin_name(format!("mytype {subcommand}"));
    command
        .error(clap::error::ErrorKind::ArgumentConflict, message)
        .exit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_checked_in_plain_words() {
        assert_eq!(whole_number(" 7 ", 1, 100), Ok(7));
        assert_eq!(
            whole_number("0", 1, 100),
            Err("must be a whole number from 1 to 100".to_string())
        );
        assert!(whole_number("101", 1, 100).is_err());
        assert!(whole_number("x", 1, 100).is_err());
    }
}
