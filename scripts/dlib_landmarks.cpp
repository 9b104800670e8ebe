// Dev-only reference: runs dlib's own shape_predictor on greyscale PNGs with fixed
// boxes and prints the 68 points, so the pure-Rust port in src/vision/landmarks/dlib.rs can be
// checked against it. Not built by CI. See scripts/dlib_parity.sh.
//
// Input (stdin), one job per line:   <png path> <left> <top> <right> <bottom>
// Output (stdout), per job:
//   job <n>
//   int <x0> <y0> ... <x67> <y67>        dlib::shape_predictor::operator() (rounded points)
//   flt <x0> <y0> ...                    same cascade, points before the rounding to `point`
//   time_ms <ms per predict>             when a repeat count > 0 is given as argv[2]
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace dlib;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: dlib_landmarks MODEL [REPEATS] < jobs\n";
        return 2;
    }
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 0;

    shape_predictor sp;
    deserialize(argv[1]) >> sp;

    // A second copy of the model's parts, read with dlib's own deserialize, so the
    // cascade can be replayed with dlib's impl:: functions and printed unrounded.
    matrix<float, 0, 1> initial_shape;
    std::vector<std::vector<impl::regression_tree>> forests;
    std::vector<std::vector<unsigned long>> anchor_idx;
    std::vector<std::vector<dlib::vector<float, 2>>> deltas;
    {
        std::ifstream in(argv[1], std::ios::binary);
        int version = 0;
        deserialize(version, in);
        deserialize(initial_shape, in);
        deserialize(forests, in);
        deserialize(anchor_idx, in);
        deserialize(deltas, in);
    }

    std::string line;
    int job = 0;
    while (std::getline(std::cin, line)) {
        std::istringstream ss(line);
        std::string path;
        long l, t, r, b;
        if (!(ss >> path >> l >> t >> r >> b)) continue;
        array2d<unsigned char> img;
        load_image(img, path);
        const rectangle rect(l, t, r, b);

        full_object_detection det = sp(img, rect);
        printf("job %d\nint", job++);
        for (unsigned long i = 0; i < det.num_parts(); ++i)
            printf(" %ld %ld", det.part(i).x(), det.part(i).y());
        printf("\n");

        matrix<float, 0, 1> current_shape = initial_shape;
        std::vector<float> feature_pixel_values;
        for (unsigned long iter = 0; iter < forests.size(); ++iter) {
            impl::extract_feature_pixel_values(img, rect, current_shape, initial_shape,
                                               anchor_idx[iter], deltas[iter],
                                               feature_pixel_values);
            unsigned long leaf_idx;
            for (unsigned long i = 0; i < forests[iter].size(); ++i)
                current_shape += forests[iter][i](feature_pixel_values, leaf_idx);
        }
        const point_transform_affine tform_to_img = impl::unnormalizing_tform(rect);
        printf("flt");
        for (long i = 0; i < current_shape.size() / 2; ++i) {
            const dpoint p = tform_to_img(impl::location(current_shape, i));
            printf(" %.6f %.6f", p.x(), p.y());
        }
        printf("\n");

        if (repeats > 0) {
            // warm up, then time
            for (int k = 0; k < 20; ++k) det = sp(img, rect);
            auto t0 = std::chrono::steady_clock::now();
            for (int k = 0; k < repeats; ++k) det = sp(img, rect);
            auto t1 = std::chrono::steady_clock::now();
            const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count() / repeats;
            printf("time_ms %.4f\n", ms);
        }
    }
    return 0;
}
