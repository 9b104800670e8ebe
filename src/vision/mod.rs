//! From pixels to attributes: decoding photos safely, finding the face and
//! its 68 landmarks, measuring it, and the models that read what people
//! see in it (appeal, skin tone, hair colour).

pub mod analyse;
pub mod appeal;
pub mod detect;
pub mod dlib_format;
pub mod face_net;
pub mod hair_color;
pub mod imaging;
pub mod landmarks;
pub mod measure;
pub mod photo;
pub mod skin_tone;
pub mod weights;
