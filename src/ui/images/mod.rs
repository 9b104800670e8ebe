//! Face images off the key path: a background thread decodes (with the safe,
//! bounded decoder), keeps downscaled thumbnails, and encodes them for the
//! terminal's graphics protocol at the size a screen asks for. The UI thread
//! only ever renders ready-made [`FaceImage`]s: a graphics [`Protocol`]
//! (kitty, sixel, iTerm2) or our own half-block cells ([`HalfblockImage`]).
//!
//! Which faces to decode before they are asked for: [`ahead`]; the
//! half-block cells drawn when the terminal has no graphics: [`halfblock`].

pub mod ahead;
pub mod halfblock;

use crate::ui::terminal::term_env::{truecolor_hint, ColorDepth, TermEnv};
use crate::ui::theme::Theme;
use halfblock::{HalfblockImage, Options};
use image::DynamicImage;
use ratatui::layout::Size;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::{FilterType, Resize};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

/// Decoded images are shrunk to fit this many pixels a side before caching.
pub const THUMBNAIL_MAX: u32 = 768;
/// Decoded thumbnails kept by the loader thread.
const THUMBNAIL_CACHE: usize = 96;

/// One image at one size (in cells).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageKey {
    pub path: PathBuf,
    pub width: u16,
    pub height: u16,
}

impl ImageKey {
    pub fn new(path: PathBuf, width: u16, height: u16) -> ImageKey {
        ImageKey {
            path,
            width,
            height,
        }
    }
}

/// A face encoded for the terminal.
pub enum FaceImage {
    /// A graphics protocol (kitty, sixel, iTerm2), drawn by ratatui-image.
    Graphics(Protocol),
    /// Half-block cells, drawn by [`HalfblockImage`].
    Blocks(HalfblockImage),
}

impl FaceImage {
    /// Size in cells.
    pub fn size(&self) -> Size {
        match self {
            FaceImage::Graphics(p) => p.size(),
            FaceImage::Blocks(b) => b.size(),
        }
    }
}

/// How faces are encoded: the graphics protocol, or half-blocks at a colour depth.
#[derive(Clone)]
pub struct Encoder {
    picker: Picker,
    /// `None`: ratatui-image's half-blocks (the old path, kept for comparison).
    blocks: Option<Options>,
    /// How to get truecolor, when half-blocks fell back to 256 colours.
    hint: Option<&'static str>,
}

impl Encoder {
    /// Encodes for `picker`'s protocol; half-blocks use our own encoder at
    /// the colour depth of this process's environment
    /// ([`ColorDepth::from_env`]; no colour when `theme` has none).
    pub fn new(picker: Picker, theme: Theme) -> Encoder {
        let env = if theme.color {
            TermEnv::from_process()
        } else {
            TermEnv::default()
        };
        Encoder::detect(picker, theme, &env, None)
    }

    /// [`Encoder::new`] from a given environment and the terminal probe's
    /// answer to "do you show 24-bit colour?" (`None`: no answer).
    pub fn detect(picker: Picker, theme: Theme, env: &TermEnv, probe: Option<bool>) -> Encoder {
        let depth = if theme.color {
            ColorDepth::from_env(env, probe)
        } else {
            ColorDepth::Mono
        };
        let mut encoder = Encoder::with_depth(picker, depth);
        if depth == ColorDepth::Palette256 {
            encoder.hint = Some(truecolor_hint(env));
        }
        encoder
    }

    /// [`Encoder::new`] at a given colour depth for half-blocks.
    pub fn with_depth(picker: Picker, depth: ColorDepth) -> Encoder {
        Encoder::with_options(picker, Options::new(depth))
    }

    /// [`Encoder::new`] with given half-block options.
    pub fn with_options(picker: Picker, blocks: Options) -> Encoder {
        Encoder {
            picker,
            blocks: Some(blocks),
            hint: None,
        }
    }

    /// ratatui-image for every protocol, half-blocks included: the encoder
    /// the game used before it had its own (benchmarks compare against it).
    pub fn ratatui_image(picker: Picker) -> Encoder {
        Encoder {
            picker,
            blocks: None,
            hint: None,
        }
    }

    /// What to tell the player once: how to get truecolor, when faces
    /// are drawn with half-blocks in 256 colours.
    pub fn truecolor_hint(&self) -> Option<&'static str> {
        self.hint
            .filter(|_| self.blocks.is_some() && self.protocol_type() == ProtocolType::Halfblocks)
    }

    pub fn protocol_type(&self) -> ProtocolType {
        self.picker.protocol_type()
    }

    /// Encodes a decoded image to fit `size` cells.
    pub fn encode(&self, img: &DynamicImage, size: Size) -> Result<FaceImage, String> {
        if size.width == 0 || size.height == 0 {
            return Err("no room to draw the image".into());
        }
        if let Some(options) = self.blocks {
            if self.picker.protocol_type() == ProtocolType::Halfblocks {
                return Ok(FaceImage::Blocks(HalfblockImage::encode(
                    img, size, options,
                )));
            }
        }
        self.picker
            .new_protocol(img.clone(), size, Resize::Scale(Some(FilterType::Triangle)))
            .map(FaceImage::Graphics)
            .map_err(|e| format!("cannot encode the image: {e}"))
    }
}

/// Whether a popup closed over an image leaves its marks behind, so the
/// whole screen must be drawn again. Sixel and iTerm2 images are sent once,
/// in their top-left cell; ratatui skips their other cells when it compares
/// frames, so the popup's text stays on the picture until the image is sent
/// again (seen in xterm). Kitty's images are placeholder characters in every
/// cell and half-blocks are plain cells: both redraw by themselves.
pub fn popup_leaves_marks(protocol: ProtocolType) -> bool {
    matches!(protocol, ProtocolType::Sixel | ProtocolType::Iterm2)
}

pub enum ImageSlot {
    Loading,
    Ready(FaceImage),
    Failed(String),
}

/// The images the UI thread has or waits for.
#[derive(Default)]
pub struct Images {
    slots: HashMap<ImageKey, ImageSlot>,
}

impl Images {
    pub fn get(&self, key: &ImageKey) -> Option<&ImageSlot> {
        self.slots.get(key)
    }

    pub fn insert(&mut self, key: ImageKey, slot: ImageSlot) {
        self.slots.insert(key, slot);
    }

    /// Records the result of a load, unless the key is no longer wanted.
    pub fn finish(&mut self, key: ImageKey, result: Result<FaceImage, String>) {
        if let Some(slot) = self.slots.get_mut(&key) {
            *slot = match result {
                Ok(p) => ImageSlot::Ready(p),
                Err(e) => ImageSlot::Failed(e),
            };
        }
    }

    /// Keeps only `wanted`, marks the missing ones as loading and returns them
    /// (in `wanted` order) for the loader.
    pub fn want(&mut self, wanted: &[ImageKey]) -> Vec<ImageKey> {
        let keep: HashSet<&ImageKey> = wanted.iter().collect();
        self.slots.retain(|k, _| keep.contains(k));
        let mut missing = Vec::new();
        for key in wanted {
            if !self.slots.contains_key(key) {
                self.slots.insert(key.clone(), ImageSlot::Loading);
                missing.push(key.clone());
            }
        }
        missing
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

/// Decoded, downscaled images by path (bounded, oldest evicted first).
#[derive(Default)]
pub struct ThumbnailCache {
    map: HashMap<PathBuf, Result<Arc<DynamicImage>, String>>,
    order: VecDeque<PathBuf>,
}

type Thumbnail = Result<Arc<DynamicImage>, String>;

impl ThumbnailCache {
    pub fn get(&mut self, path: &PathBuf) -> Thumbnail {
        if let Some(hit) = self.map.get(path) {
            return hit.clone();
        }
        let loaded = Self::decode(path);
        self.insert(path, loaded.clone());
        loaded
    }

    fn peek(&self, path: &PathBuf) -> Option<Thumbnail> {
        self.map.get(path).cloned()
    }

    fn decode(path: &std::path::Path) -> Thumbnail {
        crate::vision::imaging::decode(path)
            .map(|img| {
                let img = if img.width() > THUMBNAIL_MAX || img.height() > THUMBNAIL_MAX {
                    img.resize(THUMBNAIL_MAX, THUMBNAIL_MAX, FilterType::Triangle)
                } else {
                    img
                };
                Arc::new(img)
            })
            .map_err(|e| e.to_string())
    }

    fn insert(&mut self, path: &PathBuf, loaded: Thumbnail) {
        if self.map.contains_key(path) {
            return;
        }
        if self.order.len() >= THUMBNAIL_CACHE {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
        self.order.push_back(path.clone());
        self.map.insert(path.clone(), loaded);
    }
}

/// One thumbnail cache for every loader of the process: the guests of
/// `mytype serve` see the same pack, decoded once instead of once a guest
/// (most of a guest's memory before). Not held while decoding.
fn shared_thumbnails() -> &'static Mutex<ThumbnailCache> {
    static CACHE: OnceLock<Mutex<ThumbnailCache>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Half-block faces already encoded, kept for this many cells in all
/// (12 bytes each: about 12 MiB), at most [`ENCODED_FACES`] of them.
pub const ENCODED_CELLS: usize = 1 << 20;
pub const ENCODED_FACES: usize = 512;

/// One face encoded as half-blocks: where from, how big, how.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct EncodedKey {
    image: ImageKey,
    depth: ColorDepth,
    tolerance: u32,
    bytes_per_cell: u32,
}

type Encoded = Arc<OnceLock<Result<HalfblockImage, String>>>;

/// Half-block faces by face, size and colour depth, shared by every loader
/// of the process: the guests of `mytype serve` ask for the same faces at
/// the same few sizes, and encoding was most of the server's CPU (each
/// guest encoded every face again). A face being encoded is encoded once:
/// whoever asks meanwhile waits for it. Bounded in cells, oldest evicted
/// first.
#[derive(Default)]
struct EncodedCache {
    map: HashMap<EncodedKey, Encoded>,
    order: VecDeque<EncodedKey>,
}

impl EncodedCache {
    /// The slot for `key`, new (and empty) if it was not there.
    fn slot(&mut self, key: &EncodedKey) -> Encoded {
        if let Some(slot) = self.map.get(key) {
            return slot.clone();
        }
        let slot = Encoded::default();
        self.map.insert(key.clone(), slot.clone());
        self.order.push_back(key.clone());
        self.trim();
        slot
    }

    /// Evicts the oldest faces until the ones encoded fit the bounds.
    fn trim(&mut self) {
        let cells = |slot: &Encoded| match slot.get() {
            Some(Ok(image)) => image.cells().len(),
            _ => 0,
        };
        let mut total: usize = self.map.values().map(cells).sum();
        while self.order.len() > ENCODED_FACES || total > ENCODED_CELLS {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(slot) = self.map.remove(&old) {
                total -= cells(&slot);
            }
        }
    }
}

fn shared_encoded() -> &'static Mutex<EncodedCache> {
    static CACHE: OnceLock<Mutex<EncodedCache>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// [`load`] through the process's shared caches: half-block faces from the
/// encoded ones, everything else from the decoded thumbnails.
fn load_shared(encoder: &Encoder, key: &ImageKey) -> Result<FaceImage, String> {
    let options = encoder
        .blocks
        .filter(|_| encoder.protocol_type() == ProtocolType::Halfblocks);
    let Some(options) = options else {
        return encode_shared(encoder, key);
    };
    let cache = || shared_encoded().lock().unwrap_or_else(|e| e.into_inner());
    let slot = cache().slot(&EncodedKey {
        image: key.clone(),
        depth: options.depth,
        tolerance: options.tolerance.to_bits(),
        bytes_per_cell: options.bytes_per_cell.to_bits(),
    });
    // Not under the cache's lock: others encode other faces meanwhile.
    let encoded = slot.get_or_init(|| match encode_shared(encoder, key)? {
        FaceImage::Blocks(image) => Ok(image),
        FaceImage::Graphics(_) => Err("not a half-block image".into()),
    });
    let result = encoded.clone().map(FaceImage::Blocks);
    cache().trim();
    result
}

/// Decodes through the shared thumbnails and encodes.
fn encode_shared(encoder: &Encoder, key: &ImageKey) -> Result<FaceImage, String> {
    let cache = || {
        shared_thumbnails()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    };
    let hit = cache().peek(&key.path);
    let img = match hit {
        Some(img) => img,
        None => {
            let loaded = ThumbnailCache::decode(&key.path);
            cache().insert(&key.path, loaded.clone());
            loaded
        }
    }?;
    encoder.encode(&img, Size::new(key.width, key.height))
}

/// Decodes (through the cache) and encodes one image.
pub fn load(
    encoder: &Encoder,
    cache: &mut ThumbnailCache,
    key: &ImageKey,
) -> Result<FaceImage, String> {
    let img = cache.get(&key.path)?;
    encoder.encode(&img, Size::new(key.width, key.height))
}

/// The background loader: send keys, results come back through the event channel.
pub struct Loader {
    tx: Sender<ImageKey>,
}

impl Loader {
    /// Starts the loader thread; each result is wrapped by `wrap` and sent to `out`.
    /// The thread ends when the `Loader` or the receiver of `out` is dropped.
    pub fn spawn<T, F>(encoder: Encoder, out: Sender<T>, wrap: F) -> std::io::Result<Loader>
    where
        T: Send + 'static,
        F: Fn(ImageKey, Result<FaceImage, String>) -> T + Send + 'static,
    {
        let (tx, rx): (Sender<ImageKey>, Receiver<ImageKey>) = mpsc::channel();
        std::thread::Builder::new()
            .name("mytype-images".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    // Take everything queued; newest requests matter most but
                    // order within a batch is the UI's (current face first).
                    let mut batch = vec![first];
                    batch.extend(rx.try_iter());
                    let mut seen = HashSet::new();
                    for key in batch {
                        if !seen.insert(key.clone()) {
                            continue;
                        }
                        let result = load_shared(&encoder, &key);
                        if out.send(wrap(key, result)).is_err() {
                            return;
                        }
                    }
                }
            })?;
        Ok(Loader { tx })
    }

    pub fn request(&self, key: ImageKey) {
        // A dead loader thread only means no more images; the game goes on.
        let _ = self.tx.send(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::strings;

    #[test]
    fn encoded_faces_are_shared_and_bounded() {
        let pack = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default/images");
        let face = std::fs::read_dir(&pack)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e != "ron"))
            .unwrap();
        let encoder = Encoder::with_depth(Picker::halfblocks(), ColorDepth::TrueColor);
        let key = ImageKey::new(face, 20, 10);
        let cells = |r: Result<FaceImage, String>| match r.unwrap() {
            FaceImage::Blocks(b) => b.cells().to_vec(),
            FaceImage::Graphics(_) => panic!("half-blocks expected"),
        };
        let first = cells(load_shared(&encoder, &key));
        assert!(!first.is_empty());
        let ours = || EncodedKey {
            image: key.clone(),
            depth: ColorDepth::TrueColor,
            tolerance: Options::new(ColorDepth::TrueColor).tolerance.to_bits(),
            bytes_per_cell: Options::new(ColorDepth::TrueColor).bytes_per_cell.to_bits(),
        };
        let slot = shared_encoded().lock().unwrap().slot(&ours());
        assert!(slot.get().is_some(), "the second guest finds it encoded");
        assert_eq!(cells(load_shared(&encoder, &key)), first);
        // Another colour depth is another face.
        let palette = Encoder::with_depth(Picker::halfblocks(), ColorDepth::Palette256);
        assert_ne!(cells(load_shared(&palette, &key)), first);

        let mut cache = EncodedCache::default();
        let image = HalfblockImage::encode(
            &DynamicImage::new_rgb8(8, 8),
            Size::new(4, 2),
            Options::new(ColorDepth::TrueColor),
        );
        for i in 0..ENCODED_FACES + 3 {
            let mut k = ours();
            k.image.width = i as u16;
            let _ = cache.slot(&k).set(Ok(image.clone()));
        }
        assert_eq!(cache.map.len(), ENCODED_FACES);
        let mut oldest = ours();
        oldest.image.width = 0;
        assert!(!cache.map.contains_key(&oldest), "the oldest went first");
    }

    #[test]
    fn the_truecolor_hint_comes_with_256_colour_half_blocks_only() {
        let plain = TermEnv::from_vars([("TERM", "xterm-256color".to_string())]);
        let truecolor = TermEnv::from_vars([("COLORTERM", "truecolor".to_string())]);
        let colour = Theme { color: true };
        let hint = |picker: Picker, theme: Theme, env: &TermEnv, probe: Option<bool>| {
            Encoder::detect(picker, theme, env, probe).truecolor_hint()
        };
        assert_eq!(
            hint(Picker::halfblocks(), colour, &plain, None),
            Some(strings::TRUECOLOR_HINT)
        );
        assert_eq!(hint(Picker::halfblocks(), colour, &truecolor, None), None);
        assert_eq!(hint(Picker::halfblocks(), colour, &plain, Some(true)), None);
        assert_eq!(
            hint(Picker::halfblocks(), Theme::plain(), &plain, None),
            None
        );
        // A graphics protocol draws faces in full colour: nothing to say.
        let mut kitty = Picker::halfblocks();
        kitty.set_protocol_type(ProtocolType::Kitty);
        assert_eq!(hint(kitty, colour, &plain, None), None);
    }
}
