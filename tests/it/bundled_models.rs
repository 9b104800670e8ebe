//! The bundled models' weights, moved from Rust source into `assets/`
//! (issue #29), reproduce what the source held: their numbers bit for bit,
//! and the scores they give, on fixed inputs and on the bundled pack's
//! faces. The expected values were taken from the models as Rust constants
//! before the move.

use mytype::pack::{remeasure::remeasure, Pack};
use mytype::vision::{appeal, hair_color, skin_tone};
use rand::{Rng, SeedableRng};

/// FNV-1a of the numbers' bits (little-endian), in field order.
fn fingerprint(weights_file: &[u8]) -> u64 {
    let body = &weights_file[weights_file.iter().position(|&b| b == b'\n').unwrap() + 1..];
    let mut h: u64 = 0xcbf29ce484222325;
    for &byte in body {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

#[test]
fn the_loaded_weights_are_the_numbers_the_source_held() {
    assert_eq!(fingerprint(&appeal::MODEL.to_weights()), 0x86cd4349cabff7fe);
    assert_eq!(
        fingerprint(&skin_tone::MODEL.to_weights()),
        0x0a008a0eee88e5e9
    );
    assert_eq!(
        fingerprint(&hair_color::MODEL.to_weights()),
        0x0190571acc6d6423
    );
}

/// Appeal, skin tone and hair colour scores (f64 bits) of eight inputs
/// drawn with seed 29, as [`synthetic_inputs`] draws them.
const SYNTHETIC: [[u64; 3]; 8] = [
    [0x40496abce0b32252, 0x4037d45cadd0c503, 0x4031169ff8111c20],
    [0x4049b868f52da5ad, 0x403dba7cafa56ac6, 0x402d145e4e09e588],
    [0x40497dd7d3fe245b, 0x403ca24e86710b5a, 0x401de391a695edb8],
    [0x404d6073d98b6dc0, 0x4033468f4b4371bd, 0x401cbd18e2c0e93d],
    [0x404d225f2f945089, 0x403927f4d75c74d8, 0x402180cfc527fa65],
    [0x4049fdd7c659c835, 0x40359076a4f04030, 0x400a09a30383bdbe],
    [0x4046456315500496, 0x4044eda8268fcfd2, 0x40007ae147ae147b],
    [0x404d4256f35b4970, 0x40548849256382ca, 0x40235c6933dada1e],
];

fn synthetic_inputs(
    rng: &mut rand_chacha::ChaCha8Rng,
) -> (appeal::Inputs, skin_tone::Inputs, hair_color::Inputs) {
    let lab = |rng: &mut rand_chacha::ChaCha8Rng, l: std::ops::Range<f64>| {
        [
            rng.random_range(l),
            rng.random_range(0.0..20.0),
            rng.random_range(0.0..30.0),
        ]
    };
    let a = appeal::Inputs {
        measures: std::array::from_fn(|_| Some(rng.random_range(0.0..2.0))),
        gradients: Some(std::array::from_fn(|_| rng.random_range(0.0..0.5))),
        descriptor: Some(std::array::from_fn(|_| rng.random_range(-0.2..0.2))),
        activations: Some(Box::new(std::array::from_fn(|_| {
            rng.random_range(0.0..1.0)
        }))),
    };
    let cells = (0..skin_tone::CELLS * 3)
        .map(|_| rng.random_range(0.0..60.0))
        .collect();
    let hair = lab(rng, 10.0..60.0);
    let skin = [
        rng.random_range(30.0..80.0),
        rng.random_range(5.0..25.0),
        rng.random_range(5.0..30.0),
    ];
    let s = skin_tone::Inputs {
        cells,
        hair: Some(hair),
        skin,
        ita: rng.random_range(-20.0..60.0),
    };
    let pixels = (0..hair_color::PIXEL_INPUTS)
        .map(|_| rng.random_range(0.0..60.0))
        .collect();
    let hair = lab(rng, 10.0..60.0);
    let skin = [
        rng.random_range(30.0..80.0),
        rng.random_range(5.0..25.0),
        rng.random_range(5.0..30.0),
    ];
    let h = hair_color::Inputs { pixels, hair, skin };
    (a, s, h)
}

#[test]
fn the_loaded_models_score_fixed_inputs_as_before_bit_for_bit() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(29);
    for (k, want) in SYNTHETIC.iter().enumerate() {
        let (a, s, h) = synthetic_inputs(&mut rng);
        let got = [
            appeal::MODEL.score(&a).to_bits(),
            skin_tone::MODEL.score(&s).to_bits(),
            hair_color::MODEL.score(&h).to_bits(),
        ];
        assert_eq!(&got, want, "input {k}");
    }
}

/// Per face of the bundled pack: appeal, skin tone and hair colour as f64
/// bits (`-` where the face has none).
const BUNDLED_FACES: &str = "\
m001 0x4046914e47bc562e 0x404b4a74426521f9 -
m002 0x40485ea37904ee7e 0x40323575a8847caa 0x401f84e2b42706fa
m003 0x4048b8fab2355b45 0x404c37311cb03edb 0x40560d02523b18eb
m004 0x40490a8eb2701b28 0x4010a740769b0090 0x40284aaf10f5974f
m005 0x4046d23bdbccbbb0 0x40476cc350b56859 0x40552f9798cf57e0
m006 0x40470bfb5c3b82ba 0x40312048f5e2d456 0x401b10783728b1fd
m007 0x404b600a5cae8df0 0x403c7b495d511204 0x401545997e43eae0
m008 0x404884e519ff489c 0x403b8aaa6fbe8f40 0x404e5f30f3a8a67a
m009 0x404e58ac18acc1f0 0x4045e522872a8dcf 0x404ff65d967df2ce
m010 0x4047bd01f165afd7 0x404cc830d8860cb2 -
m011 0x404d79fe569f00d9 0x4048b867469842dc 0x40444fb9c9ee4bb3
m012 0x4047eee23a88258e 0x4036a42207cd6f54 0x402f0a1dd91b1bf1
m013 0x404527681b8054d9 0x4031e5115a64bf5a 0x4024903d25e10ab2
m014 0x4049b99d96ec5eef 0x404f7f353749d052 -
m015 0x40488b810b78d9c2 0x40422c01a9e778f5 0x4025d2272529b137
m016 0x404ae13d24e0e1ca 0x4011ce2523ad5468 0x4010ccad40429b9e
m017 0x404b3bff2e7188ad 0x404c61b7fe845517 -
m018 0x404ec37364923f60 0x403257eebc892757 0x4023ee0d51fe81a6
m019 0x404ff63dfbad1404 0x40517bef17bf77f4 0x4055b44e3f29642b
m020 0x404aa45005a0b542 0x4041d5bb8cc582b1 0x40566a27c28e288b
m021 0x40490de5f48551f3 0x401d755d1c28aa9c 0x40007ae147ae147b
m022 0x404907f07a83d9a2 0x4031b290c59125fd 0x404644d7d6d6c868
m023 0x404beedcc5456456 0x40584feb5666c915 -
m024 0x4049a41e232baea6 0x404499c30b0267e4 0x403043783f07a4ce
m025 0x404742b3c39b277e 0x405655165c7c4675 0x4052e92eb3e20908
m026 0x4045ff603613380a 0x403f025b61316e96 0x40007ae147ae147b
m027 0x404a3f51daef4c4d 0x4024915227237f03 0x40007ae147ae147b
m028 0x404639e3d427c518 0x404ac4da0cb5eabd 0x40209a65b87a6be2
m029 0x404e10d7552bd8a3 0x401d52deb53254b6 0x4014fba06496b1d9
m030 0x4049567649fa9157 0x404d404e4965a2ab -
m031 0x4047dc32d10934ef 0x4046a99d88ae1b7b 0x4028d2d2f04c57eb
m032 0x404ecb61947c4234 0x4022424c2f88329a 0x40441f9be810c538
m033 0x404c1dd1a382ed9d 0x40269f05c12409ae 0x401b3db96286f81e
m034 0x404ec1a44b1c13f4 0x4018b899dddb59ea 0x4011105a34155b6c
m035 0x4047341cc36ae479 0x405c9309b7e9cb0e 0x4057ce157f88c3db
m036 0x404c1d4f5482f783 0x4050435b1af2dc84 -
m037 0x404899cac897ebb9 0x4013c2d22b113a34 0x401dd9a1167c6558
m038 0x4049e31f60599504 0x4032a1e52bab6169 0x401fcbd43285b43e
m039 0x4048962ecb3ee023 0x4049e52dc7a85e43 0x4057c47353307741
m040 0x404eb8a183680ce8 0x403dba052fb4fa54 0x401cfa8ed1423224
m041 0x4047d1ee1e4f5710 0x404b0376a772a102 0x4054db6b7fa0e0b5
m042 0x40486b03a57a7eb3 0x4040f114fe9279e1 0x4031d5a1846b8d77
m043 0x4048a39539f9d147 0x4040b2c235e3b052 0x40305985bf3519e3
m044 0x404dcc9a1c5251f8 0x402f1cfdcf387162 0x4046d653ce6dad42
m045 0x4049799141b0ff58 0x403c810e8d5943c6 0x404c3dabeeb1b1f4
m046 0x404a004127334b59 0x403e16845da2d706 -
m047 0x404a91ff7013e1e9 0x403b71dc9a3e4010 0x401292b4e129027c
m048 0x404762fa67de3d95 0x40424fb36e738821 0x40557f1a351b482f
m049 0x4046784a891c4b09 0x404a6bb32fb2ada7 -
m050 0x404a7ad58bc1990e 0x4043ef38d9601c76 -
c001 0x404d0eb2eaaca79e 0x40426b901de1e1bb 0x401bdf57b4750f43
c002 0x404b7c75e68da62c 0x40436404b7563197 -
c003 0x4047aac474f4333f 0x4057dab3941d77d3 0x40550e817c96ec1f
c004 0x404c3e2297f9d9ef 0x402b8e2c3e0a1cfe 0x40216c5e03736716
c005 0x404a8d35df28b878 0x40447886924e3e7d 0x4053ee1e482fde8f
c006 0x40479bbfc4b04fcf 0x40370e8078df0ff3 0x402296b65a29a079
c007 0x404cc3e30a4ca2c0 0x400ec02b03aed12c 0x40214160f186abb9
c008 0x40476b1b36bc2fda 0x40312a99efe96be6 0x4029e078d241544a
c009 0x404b89c5aef8608b 0x402de6a7c5f77ec6 0x404666f1c13b3521
c010 0x40457fd0c31c908d 0x4050fb006b7efd29 0x402322763246a12f
c011 0x404d4545d9d0c8d3 0x404d5d7129e9288e 0x4054eead435bd540
c012 0x404d4c1046df2857 0x403c3df1b06ed06a 0x404106dd0b25efcd
c013 0x404b328d6a107344 0x40154d3e13d299fa 0x40007ae147ae147b
c014 0x404fb4b386f6fd81 0x40320c07e540d75b 0x4036fc5f295c66c2
c015 0x404a358aaf64ca4d 0x40476261e24e96d4 -
c016 0x404a505f7801a9ea 0x404044cb409b36bb 0x4022b95f0bf4cb35
c017 0x404bf1acab83adcf 0x40322930921489af 0x4045b922c41cd40b
c018 0x404872d8417fcdde 0x403492050d4e29ff 0x4043b7e74e7c2c87
c019 0x404b0708bafb5538 0x402a27a5ea2c84e8 0x402049067580700f
c020 0x404d0915fce225a3 0x40501f2913bcf688 -
c021 0x404abc3faa8d8b4f 0x404860b1833cdfd8 0x405708156aacb816
c022 0x4046f37ae63de0b7 0x40489c804f3e521b -
c023 0x40494b19aa532774 0x4049937da4879e60 0x404acdb098254bc3
c024 0x404728ce763871bc 0x403bd59c2eb61fb0 0x4016dec616f6b912
c025 0x404b831fff90dfb0 0x402c16be1d2ebef8 0x40007ae147ae147b
c026 0x404cffbd6123ca49 0x402396bda558112b 0x4021ce37b82b7883
c027 0x404906c8b8ceef0a 0x404429d756e70abe 0x404b2dc0e6c57899
c028 0x404b5c7730bc5f2e 0x4041bc326086b049 0x403e2eb54f610521
c029 0x404e8c72d038fe99 0x4035ac6ee4a07508 0x402209df8941e0bd
c030 0x404bef7ad65de918 0x40451e36c5aad10b 0x403de9b395fa6bd4
c031 0x4048e2147a9e408f 0x402db019a2dab03c 0x4022b86cce1797bd
c032 0x404f153fb1515e63 0x40109c901ebfa404 0x40007ae147ae147b
c033 0x404d72f8f3d44e85 0x401a1f650979cd5c 0x4017327ca70fef63
c034 0x404a59c954197ed7 0x405629fcfc8bf2ee 0x405769b3d4dca89e
c035 0x40466ac9f810ca4c 0x404acd0058c936dc 0x403ef619566004de
c036 0x4043e6935961b753 0x4040282aec52d104 -
c037 0x40488df9cdba534e 0x403d8b63fd4b5744 0x4020e49a798fdc5a
c038 0x404e2421a694fa15 0x40478d950badd103 0x4031bc2ab2289c7b
c039 0x404bf32689e9efd6 0x404234bae40b4e37 0x405319224620b3f8
c040 0x40469be36b97858a 0x404aae747e0fcce2 0x405265499bf74d69
";

#[test]
fn the_bundled_packs_faces_read_as_before() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("faces/default");
    let pack = Pack::load(&dir).unwrap();
    let bits = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{:#018x}", v.to_bits()));
    let mut seen = 0;
    for line in BUNDLED_FACES.lines() {
        let [id, appeal, skin, hair] = line.split(' ').collect::<Vec<_>>()[..] else {
            panic!("bad table line {line:?}");
        };
        let face = pack.face(id).unwrap();
        let m = remeasure(&pack, face)
            .unwrap()
            .expect("a drawn face is measurable");
        assert_eq!(bits(m.skin_tone), skin, "{id} skin tone");
        assert_eq!(bits(m.hair_color), hair, "{id} hair colour");
        // Appeal reads the face network, whose f32 matrix products take the
        // fastest kernel the CPU has: the last bits may differ between
        // machines, so it is held to a millionth of a point here.
        let want =
            (appeal != "-").then(|| f64::from_bits(u64::from_str_radix(&appeal[2..], 16).unwrap()));
        match (m.appeal, want) {
            (Some(got), Some(want)) => {
                assert!((got - want).abs() < 1e-6, "{id} appeal {got} {want}")
            }
            (got, want) => assert_eq!(got, want, "{id} appeal"),
        }
        seen += 1;
    }
    assert_eq!(seen, pack.faces().len());
}
