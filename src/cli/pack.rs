//! `mytype pack check|show|build|generate`.

use super::common::{one_line, pack_dir, print_json, visible};
use super::values::PackNameValue;
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use mytype::core::attributes::Levels;
use mytype::core::words::{count, shell_word};
use mytype::pack::{check_pack, generate, Pack};
use mytype::PackOrigin;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum PackCommand {
    /// Report every problem in a pack; exits non-zero on any error
    Check {
        /// Pack folder (the one holding pack.ron) [default: the pack `mytype`
        /// plays: $MYTYPE_PACK, else ./faces/default, else the bundled pack]
        dir: Option<PathBuf>,
    },
    /// Print a pack's attributes and faces
    Show {
        /// Pack folder (the one holding pack.ron) [default: the pack `mytype`
        /// plays: $MYTYPE_PACK, else ./faces/default, else the bundled pack]
        dir: Option<PathBuf>,
        /// Print the whole pack as JSON
        #[arg(long)]
        json: bool,
    },
    /// Build a pack from a folder of photos (faces, landmarks, attributes)
    Build(BuildArgs),
    /// Draw an illustrated pack with mytype's own generator
    Generate {
        /// Pack folder to write
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Random seed: the same seed draws the same faces
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many faces to rate (role `model`) [default: 50]
        #[arg(long, value_name = "N")]
        models: Option<usize>,
        /// How many faces to reveal (role `celebrity`) [default: 40]
        #[arg(long, value_name = "N")]
        celebrities: Option<usize>,
        /// Pack name (profiles can only be played on a pack of their name)
        #[arg(long, default_value = generate::BUNDLED_NAME, value_parser = PackNameValue)]
        name: String,
    },
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Folder of photos
    images: PathBuf,
    /// Pack folder to write
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// CSV with a `face` column (the file name or its stem) and any of name,
    /// sex, age, ethnicity, crowd or attribute names
    #[arg(long, value_name = "CSV")]
    info: Option<PathBuf>,
    /// Role of every face
    #[arg(long, default_value = "both", value_parser = ["model", "celebrity", "both"])]
    role: String,
    /// dlib 68-point landmark model [default: $MYTYPE_LANDMARK_MODEL, else /usr/share/dlib/shape_predictor_68_face_landmarks.dat]
    #[arg(long, value_name = "PATH")]
    landmark_model: Option<PathBuf>,
    /// Pack name [default: the output folder's name]
    #[arg(long, value_parser = PackNameValue)]
    name: Option<String>,
    /// Fail when any image could not be used
    #[arg(long)]
    strict: bool,
}

/// The `pack show --json` document. Fields are in the order the JSON has
/// always had them (alphabetical); attributes are keyed by name.
#[derive(Serialize)]
struct PackJson<'a> {
    attributes: BTreeMap<&'a str, AttributeJson<'a>>,
    attribution: &'a str,
    description: &'a str,
    faces: Vec<FaceJson<'a>>,
    hash: &'a str,
    license: &'a str,
    name: &'a str,
    version: u32,
}

#[derive(Serialize)]
struct AttributeJson<'a> {
    description: &'a str,
    levels: &'a [String],
}

#[derive(Serialize)]
struct FaceJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    appeal: Option<f64>,
    attributes: &'a Levels,
    #[serde(skip_serializing_if = "Option::is_none")]
    crowd: Option<f64>,
    id: &'a str,
    image: &'a str,
    /// As `[x, y]` pairs, widened to f64 (as the JSON always printed them).
    #[serde(skip_serializing_if = "Option::is_none")]
    landmarks: Option<Vec<[f64; 2]>>,
    name: &'a str,
    role: &'static str,
}

impl<'a> PackJson<'a> {
    fn new(pack: &'a Pack) -> Self {
        let m = pack.manifest();
        PackJson {
            attributes: m
                .attributes
                .iter()
                .map(|a| {
                    let json = AttributeJson {
                        description: &a.description,
                        levels: &a.levels,
                    };
                    (a.name.as_str(), json)
                })
                .collect(),
            attribution: &m.attribution,
            description: &m.description,
            faces: pack
                .faces()
                .iter()
                .map(|f| FaceJson {
                    appeal: f.appeal,
                    attributes: &f.attributes,
                    crowd: f.crowd,
                    id: &f.id,
                    image: &f.image,
                    landmarks: f.landmarks.as_ref().map(|points| {
                        points
                            .iter()
                            .map(|&(x, y)| [f64::from(x), f64::from(y)])
                            .collect()
                    }),
                    name: &f.name,
                    role: f.role.as_str(),
                })
                .collect(),
            hash: pack.hash(),
            license: &m.license,
            name: &m.name,
            version: m.version,
        }
    }
}

pub fn run(cmd: PackCommand) -> Result<ExitCode> {
    match cmd {
        PackCommand::Check { dir } => check(dir.as_deref()),
        PackCommand::Show { dir, json } => show(dir.as_deref(), json),
        PackCommand::Build(args) => build(args),
        PackCommand::Generate {
            out,
            seed,
            models,
            celebrities,
            name,
        } => {
            refuse_unplayable_counts(models, celebrities)?;
            let models = models.unwrap_or(DEFAULT_MODELS);
            let celebrities = celebrities.unwrap_or(DEFAULT_CELEBRITIES);
            if !generate::may_generate_into(&out) {
                bail!(
                    "{} is not empty and holds no pack drawn by `mytype pack generate`: \
                     choose another --out, or remove it first with `rm -r -- {}`",
                    shown_path(&out),
                    shell_word(out.as_os_str())
                );
            }
            let opts = generate::GenerateOptions {
                seed,
                models,
                celebrities,
            };
            let manifest = generate::generate_named_pack(&out, &opts, &name)?;
            eprintln!(
                "wrote {} to {}",
                count(manifest.faces.len(), "face", "faces"),
                shown_path(&out)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `pack generate`'s counts when not given (those of the bundled pack).
const DEFAULT_MODELS: usize = 50;
const DEFAULT_CELEBRITIES: usize = 40;

/// `pack generate` draws no pack that `pack check` would refuse (too few
/// faces to rate): its own rules, quoting only the flags the player typed
/// (`None`: not given, so the default).
fn refuse_unplayable_counts(models: Option<usize>, celebrities: Option<usize>) -> Result<()> {
    use mytype::pack::check::{count_problems, Severity};
    let errors: Vec<String> = count_problems(
        models.unwrap_or(DEFAULT_MODELS),
        celebrities.unwrap_or(DEFAULT_CELEBRITIES),
    )
    .into_iter()
    .filter(|(severity, _)| *severity == Severity::Error)
    .map(|(_, message)| message)
    .collect();
    if errors.is_empty() {
        return Ok(());
    }
    let typed: Vec<String> = [("--models", models), ("--celebrities", celebrities)]
        .into_iter()
        .filter_map(|(flag, n)| n.map(|n| format!("{flag} {n}")))
        .collect();
    let asked = if typed.is_empty() {
        "the default counts".to_string()
    } else {
        typed.join(" ")
    };
    bail!(
        "{asked} would make a pack that fails `pack check`: {}: pass --models {} or more",
        errors.join("; "),
        mytype::pack::MIN_MODEL_FACES
    );
}

/// A path as a message may show it.
fn shown_path(path: &Path) -> String {
    one_line(&path.display().to_string()).into_owned()
}

/// What a pack command without DIR looked at, for its first line: the
/// pack `mytype` plays, where it comes from (never the bundled pack's copy
/// in the data folder, which nobody chose), its name and faces.
fn played_pack_line(
    dir: &Path,
    origin: PackOrigin,
    name: Option<&str>,
    to_rate: usize,
    to_reveal: usize,
) -> String {
    let what = match origin {
        PackOrigin::Env => format!("the pack in {}, from {}", shown_path(dir), mytype::PACK_ENV),
        PackOrigin::HereFolder => format!("the pack in {} here", shown_path(dir)),
        PackOrigin::Sources => format!("the bundled pack, in the sources at {}", shown_path(dir)),
        PackOrigin::Bundled => "the bundled pack".to_string(),
    };
    let name = name
        .map(|n| format!("{}, ", one_line(n)))
        .unwrap_or_default();
    format!(
        "The pack mytype plays without --pack: {what} ({name}{} to rate, {to_reveal} to reveal)",
        count(to_rate, "face", "faces")
    )
}

/// How the summary names the pack: its folder, or for the bundled pack's
/// copy in the data folder, "the bundled pack".
fn pack_label(dir: &Path, origin: Option<PackOrigin>) -> String {
    match origin {
        Some(PackOrigin::Bundled) => "the bundled pack".into(),
        _ => shown_path(dir),
    }
}

fn check(dir: Option<&Path>) -> Result<ExitCode> {
    let (dir, origin) = pack_dir(dir)?;
    let report = check_pack(&dir);
    if let Some(origin) = origin {
        let name = Pack::load(&dir).ok();
        say!(
            "{}",
            played_pack_line(
                &dir,
                origin,
                name.as_ref().map(Pack::name),
                report.model_faces,
                report.candidate_faces
            )
        );
    }
    for d in &report.diagnostics {
        eprintln!("{}", visible(&d.to_string(), true));
    }
    let errors = report.errors();
    say!(
        "{}: {} ({} to rate, {} to reveal), {}, {}",
        pack_label(&dir, origin),
        count(report.faces, "face", "faces"),
        report.model_faces,
        report.candidate_faces,
        count(errors, "error", "errors"),
        count(report.warnings(), "warning", "warnings")
    );
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn show(dir: Option<&Path>, json: bool) -> Result<ExitCode> {
    let (dir, origin) = pack_dir(dir)?;
    let pack = Pack::load(&dir)
        .with_context(|| format!("cannot load the face pack in {}", dir.display()))?;
    if json {
        print_json(&PackJson::new(&pack))?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(origin) = origin {
        say!(
            "{}",
            played_pack_line(
                &dir,
                origin,
                Some(pack.name()),
                pack.model_faces().count(),
                pack.candidate_faces().count()
            )
        );
    }
    let m = pack.manifest();
    say!("{} — {}", one_line(&m.name), visible(&m.description, true));
    say!(
        "licence: {}; {}",
        one_line(&m.license),
        one_line(&m.attribution)
    );
    for a in &m.attributes {
        say!(
            "  {:<12} {}",
            one_line(&a.name),
            one_line(&a.levels.join(" < "))
        );
    }
    for f in pack.faces() {
        say!(
            "  {:<8} {:<9} {}",
            one_line(&f.id),
            f.role.as_str(),
            one_line(&f.name)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The pack is named after its folder unless --name says otherwise: a name
/// that would not pass `pack check` is asked for before any work.
fn ask_for_a_name_the_folder_cannot_give(args: &BuildArgs) {
    let folder = args.out.file_name().map(|n| n.to_string_lossy());
    if let (None, Some(folder)) = (&args.name, folder) {
        if folder.chars().any(char::is_control) {
            super::values::usage_error(
                "pack build",
                format!(
                    "the output folder's name `{}` cannot name a pack (it holds control \
                     characters): give one with --name",
                    one_line(&folder)
                ),
            );
        }
    }
}

fn build(args: BuildArgs) -> Result<ExitCode> {
    use mytype::pack::build::{build_pack, BuildOptions};
    use mytype::pack::Role;
    let role = match args.role.as_str() {
        "model" => Role::Model,
        "celebrity" => Role::Celebrity,
        _ => Role::Both,
    };
    ask_for_a_name_the_folder_cannot_give(&args);
    let opts = BuildOptions {
        images: args.images.clone(),
        out: args.out.clone(),
        info: args.info.clone(),
        role,
        name: args.name.clone(),
        strict: args.strict,
    };
    let analyser = mytype::vision::photo::PhotoAnalyser::load(args.landmark_model.as_deref())?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let report = build_pack(&opts, Some(&analyser), &|n, total, file| {
        bar.set_length(total as u64);
        bar.set_position(n as u64);
        bar.set_message(one_line(file).into_owned());
    })?;
    bar.finish_and_clear();
    for issue in &report.issues {
        eprintln!(
            "{}: {}: {}",
            if issue.kept { "warning" } else { "error" },
            one_line(&issue.file),
            visible(&issue.message, true)
        );
    }
    let rejected = report.issues.iter().filter(|i| !i.kept).count();
    if report.faces == 0 {
        bail!(
            "no usable image in {}: nothing was written",
            shown_path(&args.images)
        );
    }
    if args.strict && rejected > 0 {
        bail!(
            "{} could not be used (--strict): nothing was written",
            count(rejected, "image", "images")
        );
    }
    if !report.problems.is_empty() {
        let why: Vec<String> = report
            .problems
            .iter()
            .map(|d| visible(&d.message, true).into_owned())
            .collect();
        bail!(
            "nothing was written to {}: the pack would fail `pack check`: {} \
             ({} used, {} skipped)",
            shown_path(&args.out),
            why.join("; "),
            count(report.faces, "image", "images"),
            rejected
        );
    }
    eprintln!(
        "wrote {} to {} ({} skipped)",
        count(report.faces, "face", "faces"),
        shown_path(&args.out),
        count(rejected, "image", "images")
    );
    Ok(ExitCode::SUCCESS)
}
