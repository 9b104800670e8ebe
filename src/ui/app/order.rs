//! The order the game asks faces in.

/// The order faces are asked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The face whose rating is expected to improve the reveal the most.
    Adaptive,
    /// The pack's own order.
    Pack,
}

impl std::str::FromStr for Order {
    type Err = String;
    fn from_str(s: &str) -> Result<Order, String> {
        match s {
            "adaptive" => Ok(Order::Adaptive),
            "pack" => Ok(Order::Pack),
            other => Err(format!("unknown order `{other}` (use adaptive or pack)")),
        }
    }
}
