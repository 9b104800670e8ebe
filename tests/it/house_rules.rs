//! The shape of the crate, checked on every `cargo test` (issue #29):
//! top-level modules of `src/` form layers whose imports point down only
//! (so no cycle), no hand-written source file is over [`MAX_FILE_LINES`]
//! lines, and no function over [`MAX_FN_LINES`] lines unless a comment right
//! above it says why (`// Long because: …`).
//!
//! The graph is the one `../shared/tools/module_graph.py` draws: a module is
//! a file `src/NAME.rs` or a folder `src/NAME/`, and module A uses B when a
//! file of A names a `crate::B` path (in code, `use` or a doc comment alike).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may use modules of lower layers
/// only: not its own layer's, not higher ones.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "the vocabulary: ratings, attributes, tuned constants",
        &["core"],
    ),
    ("numerics: statistics, ridge regression, colour", &["math"]),
    (
        "pixels to measurements and the models that read faces",
        &["vision"],
    ),
    (
        "the player's taste: naive Bayes, crowd, blend, question order",
        &["model"],
    ),
    ("face packs: format, check, build, generate", &["pack"]),
    ("saved players", &["profile"]),
    ("the game and its measurement", &["game", "eval"]),
    ("session plumbing for the terminal", &["signals"]),
    ("the terminal interface", &["ui"]),
    ("the party server over SSH, the game per guest", &["serve"]),
    ("the command line", &["cli"]),
];

/// Longest hand-written source file, in lines.
const MAX_FILE_LINES: usize = 800;
/// Longest function without a reason written above it, in lines.
const MAX_FN_LINES: usize = 80;
/// What a comment above a longer function starts with.
const LONG_REASON: &str = "// Long because:";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.expect("a readable folder entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The top-level modules of `src/`, each with its files.
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    let src = root().join("src");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src/ is readable") {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            out.insert(name, rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main" {
            out.insert(name, vec![path]);
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every `X` of a `crate::X` path in `text`, and every first name in a
/// `use crate::{X, Y::…}` group.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(is_ident) {
            continue; // `mycrate::`, not `crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item.trim().chars().take_while(|&c| is_ident(c)).collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Module → the other modules it uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    modules
        .iter()
        .map(|(name, files)| {
            let used = files
                .iter()
                .flat_map(|f| crate_paths(&std::fs::read_to_string(f).unwrap()))
                .filter(|u| u != name && modules.contains_key(u))
                .collect();
            (name.clone(), used)
        })
        .collect()
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, names)| names.contains(&module))
}

/// The modules on a cycle through `start`, if there is one.
fn cycle_through(
    graph: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    at: &str,
    path: &mut Vec<String>,
) -> bool {
    for next in &graph[at] {
        if next == start {
            return true;
        }
        if !path.contains(next) {
            path.push(next.clone());
            if cycle_through(graph, start, next, path) {
                return true;
            }
            path.pop();
        }
    }
    false
}

#[test]
fn modules_form_layers_that_point_down_only() {
    let graph = graph();
    let mut problems = Vec::new();
    for module in graph.keys() {
        if layer_of(module).is_none() {
            problems.push(format!(
                "src/{module} is in no layer: add it to LAYERS in tests/it/house_rules.rs"
            ));
        }
    }
    for (module, used) in &graph {
        let mut path = vec![module.clone()];
        if cycle_through(&graph, module, module, &mut path) {
            problems.push(format!("cycle: {} -> {module}", path.join(" -> ")));
        }
        let Some(from) = layer_of(module) else {
            continue;
        };
        for other in used {
            match layer_of(other) {
                Some(to) if to < from => {}
                Some(to) => problems.push(format!(
                    "{module} (layer {from}: {}) uses {other} (layer {to}: {}): \
                     imports must point down",
                    LAYERS[from].0, LAYERS[to].0
                )),
                None => {}
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_graph_reads_crate_paths_and_groups() {
    let text = "use crate::core::rating::Rating;\nuse crate::{math::stats, vision};\n\
                /// see [`crate::pack::Pack`]\nlet x = notcrate::y; mycrate::z;";
    let found: Vec<String> = crate_paths(text).into_iter().collect();
    assert_eq!(found, ["core", "math", "pack", "vision"]);
    assert_eq!(layer_of("core"), Some(0));
    assert!(layer_of("ui") > layer_of("game"));
}

/// Source text with comments, strings and character literals blanked, so
/// braces in them do not count; lines are kept.
fn code_only(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) && !prev_is_ident(&chars, i) {
            // A raw string: r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while j < chars.len() && !chars[j..].starts_with(&closing) {
                if chars[j] == '\n' {
                    out.push('\n');
                }
                j += 1;
            }
            i = j + closing.len();
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if chars.get(i) == Some(&'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' && char_literal_len(&chars[i..]).is_some() {
            i += char_literal_len(&chars[i..]).unwrap_or(1);
        } else {
            out.push(c);
            i += 1;
        }
    }
    out.split('\n').map(str::to_string).collect()
}

fn prev_is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && is_ident(chars[i - 1])
}

/// The length of a character literal (`'x'`, `'\n'`, `'\u{1F600}'`) at
/// the start of `chars`; `None` for a lifetime.
fn char_literal_len(chars: &[char]) -> Option<usize> {
    match chars {
        ['\'', '\\', ..] => chars[2..].iter().position(|&c| c == '\'').map(|p| p + 3),
        ['\'', _, '\'', ..] => Some(3),
        _ => None,
    }
}

/// The name of the function a code line starts, if it does.
fn fn_name(line: &str) -> Option<String> {
    let mut words = line.split_whitespace().peekable();
    while let Some(&w) = words.peek() {
        if w == "pub"
            || w.starts_with("pub(")
            || ["const", "async", "unsafe", "extern"].contains(&w)
        {
            words.next();
        } else if w.starts_with('"') {
            words.next(); // extern "C"
        } else {
            break;
        }
    }
    if words.next()? != "fn" {
        return None;
    }
    let name: String = words.next()?.chars().take_while(|&c| is_ident(c)).collect();
    (!name.is_empty()).then_some(name)
}

/// Functions of a file longer than [`MAX_FN_LINES`] with no reason above
/// them: (line, name, lines).
fn long_functions(text: &str) -> Vec<(usize, String, usize)> {
    let code = code_only(text);
    let raw: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (start, line) in code.iter().enumerate() {
        let Some(name) = fn_name(line) else {
            continue;
        };
        let (mut depth, mut opened, mut end) = (0i64, false, None);
        'scan: for (k, l) in code.iter().enumerate().skip(start) {
            for c in l.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    ';' if !opened => break 'scan, // a declaration without a body
                    _ => {}
                }
                if opened && depth == 0 {
                    end = Some(k);
                    break 'scan;
                }
            }
        }
        let Some(end) = end else { continue };
        let lines = end - start + 1;
        if lines <= MAX_FN_LINES {
            continue;
        }
        // The comments and attributes right above the function.
        let reason = raw[..start]
            .iter()
            .rev()
            .map(|l| l.trim())
            .take_while(|l| l.starts_with("//") || l.starts_with("#["))
            .any(|l| l.starts_with(LONG_REASON));
        if !reason {
            out.push((start + 1, name, lines));
        }
    }
    out
}

/// Hand-written Rust sources the size rules apply to.
fn checked_files() -> Vec<PathBuf> {
    let root = root();
    ["src", "examples", "benches", "lab/src", "tests"]
        .iter()
        .flat_map(|d| rust_files(&root.join(d)))
        .collect()
}

#[test]
fn no_source_file_or_function_is_too_long_without_a_reason() {
    let root = root();
    let mut problems = Vec::new();
    for file in checked_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let rel = file.strip_prefix(&root).unwrap().display().to_string();
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            problems.push(format!(
                "{rel}: {lines} lines (at most {MAX_FILE_LINES}): split it by concern"
            ));
        }
        // A test reads as one scenario from start to end: files are held to
        // the size rule, test functions are not.
        if rel.starts_with("tests") {
            continue;
        }
        for (line, name, length) in long_functions(&text) {
            problems.push(format!(
                "{rel}:{line}: fn {name} is {length} lines (at most {MAX_FN_LINES}): split it, \
                 or say why right above it with `{LONG_REASON} …`"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn long_functions_are_found_and_a_reason_excuses_them() {
    let body = |n: usize| "    let _ = 1;\n".repeat(n);
    let long = format!("/// Docs.\npub fn long() {{\n{}}}\n", body(MAX_FN_LINES));
    assert_eq!(
        long_functions(&long),
        [(2, "long".to_string(), MAX_FN_LINES + 2)]
    );
    let excused = format!("// Long because: a table.\n#[inline]\n{long}");
    assert!(long_functions(&excused).is_empty());
    let short = format!("fn short() {{\n{}}}\n", body(MAX_FN_LINES - 2));
    assert!(long_functions(&short).is_empty());
    // Braces in strings, characters and comments do not count.
    let tricky = format!(
        "fn tricky() {{\n    let _ = \"}}\"; let _ = '}}'; // }}\n{}}}\nfn after() {{}}\n",
        body(MAX_FN_LINES)
    );
    assert_eq!(long_functions(&tricky)[0].2, MAX_FN_LINES + 3);
    assert_eq!(
        fn_name("    pub(crate) const fn cells() -> usize {"),
        Some("cells".into())
    );
    assert_eq!(fn_name("let f = |x| x;"), None);
}
