//! `mytype man`: the manual page, generated from the same clap definitions
//! as `--help` (and `mytype completions`), with the sections clap does not
//! write from `sections.rs`. Its tests also check that every command and
//! argument has its one-line help.

mod sections;

use super::completions::print;
use super::Cli;
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

/// Prints the manual page (roff) to stdout.
pub fn man() -> Result<ExitCode> {
    let mut out = Vec::new();
    render_man(&mut out).context("cannot render the manual page")?;
    print(&out)
}

/// Every subcommand, depth first, parents before children (`help` and
/// hidden ones left out).
fn subcommands(cmd: &clap::Command) -> Vec<&clap::Command> {
    let mut all = Vec::new();
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        all.push(sub);
        all.extend(subcommands(sub));
    }
    all
}

/// One page, `mytype(1)`: the bare command (which plays) and its options,
/// then a section per subcommand, nested ones included, with its synopsis
/// and options. One page rather than a page per subcommand, so that
/// `mytype man > mytype.1` is the whole manual.
fn render_man(out: &mut dyn Write) -> std::io::Result<()> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Fills in each subcommand's full name (`mytype profiles list`) and
    // the global options.
    cmd.build();
    let root = clap_mangen::Man::new(cmd.clone());
    root.render_title(out)?;
    root.render_name_section(out)?;
    sections::render_synopsis(&cmd, out)?;
    root.render_description_section(out)?;
    root.render_options_section(out)?;
    for sub in subcommands(&cmd) {
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        let page = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        sections::render_synopsis(sub, &mut section)?;
        page.render_description_section(&mut section)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            page.render_options_section(&mut section)?;
        }
        // Its sections become subsections of the subcommand's section.
        let section = String::from_utf8_lossy(&section).replace("\n.SH ", "\n.SS ");
        let section = section
            .strip_prefix(".SH ")
            .map_or(section.clone(), |rest| format!(".SS {rest}"));
        out.write_all(section.as_bytes())?;
    }
    sections::render_extra_sections(out)?;
    root.render_version_section(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command of the tree, the root first.
    fn all_commands(cmd: &clap::Command) -> Vec<&clap::Command> {
        let mut all = vec![cmd];
        for sub in cmd.get_subcommands() {
            all.extend(all_commands(sub));
        }
        all
    }

    #[test]
    fn every_command_and_argument_has_a_one_line_help() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        for c in all_commands(&cmd) {
            let name = c.get_bin_name().unwrap_or_else(|| c.get_name());
            if c.get_about()
                .is_none_or(|a| a.to_string().trim().is_empty())
            {
                missing.push(format!("`{name}` has no about text"));
            }
            for arg in c.get_arguments() {
                match arg.get_help().map(|h| h.to_string()) {
                    None => missing.push(format!("`{name}`: {} has no help", arg.get_id())),
                    Some(h) if h.trim().is_empty() || h.contains('\n') => {
                        missing.push(format!("`{name}`: {} has no one-line help", arg.get_id()))
                    }
                    Some(_) => {}
                }
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    #[test]
    fn the_manual_has_a_section_for_every_subcommand() {
        let mut page = Vec::new();
        render_man(&mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        let mut cmd = Cli::command().disable_help_subcommand(true);
        cmd.build();
        let subs = subcommands(&cmd);
        assert!(subs.len() > 15, "{} subcommands", subs.len());
        for sub in subs {
            let name = sub.get_bin_name().unwrap().to_uppercase();
            assert!(page.contains(&format!("\n.SH \"{name}\"\n")), "{name}");
        }
        assert!(page.contains("\n.TH mytype 1 "), "{page}");
    }

    #[test]
    fn the_manual_has_keys_environment_exit_codes_and_files_and_value_placeholders() {
        let mut page = Vec::new();
        render_man(&mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        for section in ["KEYS", "ENVIRONMENT", "EXIT STATUS", "FILES"] {
            assert!(page.contains(&format!("\n.SH {section}\n")), "{section}");
        }
        // Every key of the game's and the replay's help screens.
        for row in mytype::ui::keys::GAME
            .iter()
            .chain(mytype::ui::keys::REPLAY)
        {
            let label = super::sections::roff(row.label);
            assert!(page.contains(&format!("\\fB{label}\\fR\n")), "{label}");
        }
        for var in ["MYTYPE_PROFILES", "MYTYPE_PACK", "MYTYPE_LANDMARK_MODEL"] {
            assert!(page.contains(&format!("\\fB{var}\\fR")), "{var}");
        }
        for code in ["0", "1", "2", "101", "129", "130", "143"] {
            assert!(page.contains(&format!(".TP\n\\fB{code}\\fR\n")), "{code}");
        }
        // Options show what they take.
        assert!(
            page.contains("[\\fB\\-\\-profile\\fR \\fIPROFILE\\fR]"),
            "{page}"
        );
        assert!(page.contains("[\\fB\\-\\-pack\\fR \\fIDIR\\fR]"), "{page}");
        assert!(page.contains("[\\fB\\-\\-read\\-only\\fR]"), "{page}");
        assert!(page.contains("\\fBmytype card\\fR"), "{page}");
        assert!(page.contains("<\\fINAME\\fR>"), "{page}");
    }
}
