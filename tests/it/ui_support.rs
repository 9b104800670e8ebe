//! Shared helpers for the UI tests: a small hand-made pack (its own manifest
//! and flat-colour images, so snapshots do not depend on the pack generator).

use mytype::core::attributes::canonical_vocabulary;
use mytype::pack::{write_manifest, FaceEntry, Manifest, Pack, Role, PACK_FORMAT_VERSION};
use mytype::profile::{Profile, ProfileStore};
use mytype::ui::theme::Theme;
use mytype::ui::App;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use std::path::Path;

pub const MODELS: usize = 12;
pub const CELEBRITIES: usize = 5;

/// Writes a deterministic pack with `models` faces to rate and `celebrities` to reveal.
pub fn make_pack_of(dir: &Path, models: usize, celebrities: usize) -> Pack {
    std::fs::create_dir_all(dir.join("images")).unwrap();
    let vocabulary = canonical_vocabulary();
    let mut faces = Vec::new();
    for i in 0..models + celebrities {
        let (id, role) = if i < models {
            (format!("m{:03}", i + 1), Role::Model)
        } else {
            (format!("c{:03}", i + 1 - models), Role::Celebrity)
        };
        let attributes = vocabulary
            .iter()
            .enumerate()
            .map(|(k, def)| {
                let level = &def.levels[(i * (k + 1) + i / 3) % def.levels.len()];
                (def.name.clone(), level.clone())
            })
            .collect();
        let shade = (20 + i * 13) as u8;
        let img = image::RgbImage::from_fn(64, 64, |x, y| {
            if (8..56).contains(&x) && (8..56).contains(&y) {
                image::Rgb([shade, 90, 200])
            } else {
                image::Rgb([250, 250, 250])
            }
        });
        let rel = format!("images/{id}.png");
        img.save(dir.join(&rel)).unwrap();
        faces.push(FaceEntry {
            name: format!("Person {}", i + 1),
            id,
            image: rel,
            role,
            attributes,
            crowd: None,
            landmarks: None,
            appeal: None,
            descriptor: None,
        });
    }
    let manifest = Manifest {
        version: PACK_FORMAT_VERSION,
        name: "ui-test".into(),
        description: "UI test pack".into(),
        license: "CC0-1.0".into(),
        attribution: "tests".into(),
        attributes: vocabulary,
        faces,
    };
    write_manifest(dir, &manifest).unwrap();
    Pack::load(dir).unwrap()
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub pack: Pack,
    pub store: ProfileStore,
}

pub fn fixture() -> Fixture {
    fixture_of(MODELS, CELEBRITIES)
}

/// [`fixture`] with a pack of `models` faces to rate and `celebrities`.
pub fn fixture_of(models: usize, celebrities: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let pack = make_pack_of(&dir.path().join("pack"), models, celebrities);
    let store = ProfileStore::at(&dir.path().join("profiles"));
    Fixture { dir, pack, store }
}

impl Fixture {
    /// A new game for `name`, resuming the saved profile if there is one.
    pub fn app(&self, name: &str) -> App {
        let profile = self
            .store
            .load_optional(name)
            .unwrap()
            .unwrap_or_else(|| Profile::new(name, &self.pack));
        App::new(name, profile, self.pack.clone(), None, Theme::plain()).unwrap()
    }
}

/// Applies an action and performs its effects, like the event loop does.
pub fn act(app: &mut App, store: &ProfileStore, action: mytype::ui::Action) {
    for effect in app.apply(action) {
        app.perform(effect, store);
    }
}

/// Lets the reveal's build-up run out, as the event loop's ticks do with
/// no key pressed; panics if it does not end within its frames.
pub fn finish_buildup(app: &mut App) {
    for _ in 0..mytype::ui::app::buildup::FRAMES {
        if !app.building_up() {
            return;
        }
        assert!(app.apply(mytype::ui::Action::Tick).is_empty());
    }
    assert!(!app.building_up(), "the build-up did not end");
}

/// Renders `app` at `w`×`h` with half-block images loaded synchronously.
pub fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let picker = ratatui_image::picker::Picker::halfblocks();
    mytype::ui::load_images_now(app, Rect::new(0, 0, w, h), &picker);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| mytype::ui::render(app, f)).unwrap();
    terminal
}

/// The screen as text.
pub fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
