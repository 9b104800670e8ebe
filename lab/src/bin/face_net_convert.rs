//! Writes the face network mytype ships (`assets/face_net.f16`) from
//! dlib's `dlib_face_recognition_resnet_model_v1.dat` (public domain; from
//! <http://dlib.net/files/> or PyPI's `face_recognition_models`).
//!
//! `cargo run --release -p mytype-lab --bin face_net_convert -- DLIB_DAT OUT`

use std::path::Path;

use anyhow::Context;
use mytype::vision::face_net::FaceNet;
use mytype_lab::dlib_net;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        anyhow::bail!("usage: face_net_convert DLIB_DAT OUT");
    };
    let bytes = std::fs::read(input).with_context(|| format!("reading {input}"))?;
    let net = dlib_net::read(&bytes)?;
    let compact = net.to_compact();
    // Half precision must not move the weights by more than it has to.
    let back = FaceNet::from_compact(&compact)?;
    let worst = net
        .blocks
        .iter()
        .flatten()
        .zip(back.blocks.iter().flatten())
        .flat_map(|(a, b)| a.weights.iter().zip(&b.weights))
        .map(|(a, b)| ((a - b) / a.abs().max(1e-3)).abs())
        .fold(0f32, f32::max);
    std::fs::write(Path::new(output), &compact).with_context(|| format!("writing {output}"))?;
    eprintln!(
        "{} convolutions, mean colour {:?}, {} bytes, worst relative change {worst:.5}",
        1 + 2 * net.blocks.len(),
        net.mean_rgb,
        compact.len()
    );
    Ok(())
}
