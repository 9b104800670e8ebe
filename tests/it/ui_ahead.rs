//! Decode-ahead on packs of any size: the face after each rating of the
//! face on screen is worked out once the frame is drawn, a step per rating
//! (see also `ui_app::the_face_after_any_rating_was_decoded_ahead`).

use crate::ui_support::*;
use mytype::core::rating::Rating;
use mytype::ui::app::order::Order;
use mytype::ui::{Action, Screen};

/// Past the 200 open faces the lookahead was once limited to, the next
/// face is among those worked out before the key, whatever the rating.
/// (Only those are decoded ahead here, none of the ranking's.)
#[test]
fn the_face_after_any_rating_was_decoded_ahead_on_a_bigger_pack() {
    let fx = fixture_of(260, 10);
    let mut app = fx
        .app("ana")
        .with_options(Order::Adaptive, None)
        .with_decode_ahead(0, true);
    let mut checked = 0;
    for i in 0..12 {
        // What the runtime does once the frame is drawn.
        app.after_frame();
        let ahead = app.next_images();
        assert!(ahead.len() <= 5, "{ahead:?}");
        act(&mut app, &fx.store, Action::Rate(Rating::ALL[i * 3 % 5]));
        assert_eq!(app.screen, Screen::Rating);
        let now = app.current_image().expect("a face to rate");
        assert!(
            ahead.contains(&now),
            "rating {i}: the next face {now:?} was not decoded ahead: {ahead:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 12);
}

/// The work after the frame one step at a time (as the runtime does it,
/// checking for a key between steps) ends with the same faces decoded
/// ahead as all at once.
#[test]
fn the_work_after_the_frame_in_steps_ends_where_it_does_at_once() {
    let fx = fixture_of(40, 10);
    let start = || {
        fx.app("ana")
            .with_options(Order::Adaptive, None)
            .with_decode_ahead(2, true)
    };
    let (mut stepped, mut whole) = (start(), start());
    for i in 0..12 {
        let mut steps = 0;
        while stepped.after_frame_pending() {
            stepped.after_frame_step();
            steps += 1;
        }
        assert_eq!(steps, 5, "one step per rating");
        assert!(!stepped.after_frame_step(), "no work left");
        whole.after_frame();
        assert_eq!(stepped.next_images(), whole.next_images(), "rating {i}");
        let rating = Rating::ALL[i * 2 % 5];
        act(&mut stepped, &fx.store, Action::Rate(rating));
        act(&mut whole, &fx.store, Action::Rate(rating));
    }
}
