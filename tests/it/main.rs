//! The integration tests, one crate (one link) for all of them. Each module
//! is one area; the `*_support` modules are the helpers they share.

mod cli_support;
mod e2e_support;
mod files_support;
mod ui_support;

mod bundled_models;
mod card_tty;
mod cli;
mod cli_hostile;
mod cli_json;
mod cli_messages;
mod cli_rate_terminal;
mod cli_texts;
mod cli_unplayable;
mod e2e_colour;
mod e2e_graphics;
mod e2e_quit;
mod e2e_readme;
mod e2e_signals;
mod e2e_ssh;
mod e2e_tmux;
mod generate;
mod hints;
mod hostile_neighbour;
mod house_rules;
mod kill_loop;
mod landmarks;
mod memory_caps;
mod model;
mod pack_build;
mod pack_check;
mod pack_default;
mod pack_playable;
mod picks;
mod properties;
mod serve_e2e;
mod serve_end;
mod shared_box;
mod ui_ahead;
mod ui_app;
mod ui_quit;
mod ui_replay;
mod ui_runtime;
mod ui_snapshots;
