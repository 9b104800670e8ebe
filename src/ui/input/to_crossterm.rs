//! termina's key and mouse events as crossterm's, the events the rest of the
//! game reads.

use crossterm::event as ct;

/// termina's event as crossterm's (which the game's key bindings use);
/// terminal reports become nothing.
pub fn to_crossterm(event: termina::Event) -> Option<ct::Event> {
    use termina::Event as T;
    Some(match event {
        T::Key(key) => ct::Event::Key(key_event(key)),
        T::Mouse(mouse) => ct::Event::Mouse(ct::MouseEvent {
            kind: mouse_kind(mouse.kind),
            column: mouse.column,
            row: mouse.row,
            modifiers: modifiers(mouse.modifiers),
        }),
        T::WindowResized(size) => ct::Event::Resize(size.cols, size.rows),
        T::FocusIn => ct::Event::FocusGained,
        T::FocusOut => ct::Event::FocusLost,
        T::Paste(text) => ct::Event::Paste(text),
        T::Csi(_) | T::Osc(_) | T::Dcs(_) => return None,
    })
}

fn key_event(key: termina::event::KeyEvent) -> ct::KeyEvent {
    use termina::event::{KeyEventKind as K, KeyEventState as S, Modifiers as M};
    let mut state = ct::KeyEventState::empty();
    if key.state.contains(S::KEYPAD) {
        state |= ct::KeyEventState::KEYPAD;
    }
    if key.state.contains(S::CAPS_LOCK) || key.modifiers.contains(M::CAPS_LOCK) {
        state |= ct::KeyEventState::CAPS_LOCK;
    }
    if key.state.contains(S::NUM_LOCK) || key.modifiers.contains(M::NUM_LOCK) {
        state |= ct::KeyEventState::NUM_LOCK;
    }
    ct::KeyEvent {
        code: key_code(key.code),
        modifiers: modifiers(key.modifiers),
        kind: match key.kind {
            K::Press => ct::KeyEventKind::Press,
            K::Release => ct::KeyEventKind::Release,
            K::Repeat => ct::KeyEventKind::Repeat,
        },
        state,
    }
}

fn modifiers(m: termina::event::Modifiers) -> ct::KeyModifiers {
    use termina::event::Modifiers as M;
    let pairs = [
        (M::SHIFT, ct::KeyModifiers::SHIFT),
        (M::ALT, ct::KeyModifiers::ALT),
        (M::CONTROL, ct::KeyModifiers::CONTROL),
        (M::SUPER, ct::KeyModifiers::SUPER),
        (M::HYPER, ct::KeyModifiers::HYPER),
        (M::META, ct::KeyModifiers::META),
    ];
    pairs
        .into_iter()
        .filter(|(t, _)| m.contains(*t))
        .fold(ct::KeyModifiers::NONE, |acc, (_, c)| acc | c)
}

fn key_code(code: termina::event::KeyCode) -> ct::KeyCode {
    use termina::event::KeyCode as K;
    match code {
        K::Char(c) => ct::KeyCode::Char(c),
        K::Enter => ct::KeyCode::Enter,
        K::Backspace => ct::KeyCode::Backspace,
        K::Tab => ct::KeyCode::Tab,
        K::Escape => ct::KeyCode::Esc,
        K::Left => ct::KeyCode::Left,
        K::Right => ct::KeyCode::Right,
        K::Up => ct::KeyCode::Up,
        K::Down => ct::KeyCode::Down,
        K::Home => ct::KeyCode::Home,
        K::End => ct::KeyCode::End,
        K::BackTab => ct::KeyCode::BackTab,
        K::PageUp => ct::KeyCode::PageUp,
        K::PageDown => ct::KeyCode::PageDown,
        K::Insert => ct::KeyCode::Insert,
        K::Delete => ct::KeyCode::Delete,
        K::KeypadBegin => ct::KeyCode::KeypadBegin,
        K::CapsLock => ct::KeyCode::CapsLock,
        K::ScrollLock => ct::KeyCode::ScrollLock,
        K::NumLock => ct::KeyCode::NumLock,
        K::PrintScreen => ct::KeyCode::PrintScreen,
        K::Pause => ct::KeyCode::Pause,
        K::Menu => ct::KeyCode::Menu,
        K::Null => ct::KeyCode::Null,
        K::Function(n) => ct::KeyCode::F(n),
        // Bare modifier and media keys: no binding uses them.
        K::Modifier(_) | K::Media(_) => ct::KeyCode::Null,
    }
}

fn mouse_kind(kind: termina::event::MouseEventKind) -> ct::MouseEventKind {
    use termina::event::{MouseButton as B, MouseEventKind as K};
    let button = |b: B| match b {
        B::Left => ct::MouseButton::Left,
        B::Right => ct::MouseButton::Right,
        B::Middle => ct::MouseButton::Middle,
    };
    match kind {
        K::Down(b) => ct::MouseEventKind::Down(button(b)),
        K::Up(b) => ct::MouseEventKind::Up(button(b)),
        K::Drag(b) => ct::MouseEventKind::Drag(button(b)),
        K::Moved => ct::MouseEventKind::Moved,
        K::ScrollDown => ct::MouseEventKind::ScrollDown,
        K::ScrollUp => ct::MouseEventKind::ScrollUp,
        K::ScrollLeft => ct::MouseEventKind::ScrollLeft,
        K::ScrollRight => ct::MouseEventKind::ScrollRight,
    }
}
