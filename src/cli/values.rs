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
