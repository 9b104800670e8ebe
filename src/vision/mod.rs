//! From pixels to attributes: decoding photos safely (`imaging`), finding
//! the face (`detect`, `photo`) and its 68 landmarks, measuring it
//! (`measure`, on the eye-aligned view of `aligned`), and the models that
//! read what people see in it (appeal, skin tone, hair colour), run on a
//! found face by `read_face`. Hidden: the Exif block tests tag photos with
//! (`exif_fixture`), shared by the unit and the integration tests.

pub mod aligned;
pub mod appeal;
pub mod detect;
pub mod dlib_format;
#[doc(hidden)]
pub mod exif_fixture;
pub mod face_net;
pub mod hair_color;
pub mod imaging;
pub mod landmarks;
pub mod measure;
pub mod photo;
pub mod read_face;
pub mod skin_tone;
pub mod weights;
