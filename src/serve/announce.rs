//! The join command the host reads out: `ssh -p 2222 NAME@192.168.1.20`,
//! one per address of this machine guests can reach.

use std::net::{IpAddr, SocketAddr};

/// `ssh` commands for `address`: for a wildcard address every non-loopback
/// address of this machine (IPv4 first, link-local IPv6 left out), or
/// 127.0.0.1 when there is none; otherwise that address.
pub fn join_commands(address: SocketAddr) -> Vec<String> {
    let hosts: Vec<IpAddr> = if address.ip().is_unspecified() {
        let v6 = address.ip().is_ipv6();
        let mut found: Vec<IpAddr> = if_addrs::get_if_addrs()
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.ip())
            .filter(|ip| reachable(ip) && (v6 || ip.is_ipv4()))
            .collect();
        found.sort_by_key(|ip| (ip.is_ipv6(), *ip));
        found.dedup();
        if found.is_empty() {
            found.push(IpAddr::from([127, 0, 0, 1]));
        }
        found
    } else {
        vec![address.ip()]
    };
    hosts
        .into_iter()
        .map(|ip| join_command(address.port(), ip))
        .collect()
}

fn reachable(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => !v4.is_loopback() && !v4.is_unspecified(),
        // fe80::/10 needs an interface name guests would not know.
        IpAddr::V6(v6) => {
            !v6.is_loopback() && !v6.is_unspecified() && (v6.segments()[0] & 0xffc0) != 0xfe80
        }
    }
}

/// `ssh -p PORT NAME@IP` (the `-p` left out for port 22).
pub fn join_command(port: u16, ip: IpAddr) -> String {
    ssh_command(port, ip, "NAME")
}

/// The command that joins again as `name` at `at`, the server's address
/// the guest connected to: `ssh -p 2222 ana@192.168.1.20` (an IPv4 address
/// an IPv6 socket saw as `::ffff:a.b.c.d` written as IPv4).
pub fn rejoin_command(name: &str, at: SocketAddr) -> String {
    ssh_command(at.port(), at.ip().to_canonical(), name)
}

/// [`rejoin_command`] where the address is known, else with `HOST` in its
/// place (only when the server could not tell its own address).
pub fn rejoin(name: &str, joined_at: Option<SocketAddr>) -> String {
    match joined_at {
        Some(at) => rejoin_command(name, at),
        None => format!("ssh {name}@HOST"),
    }
}

fn ssh_command(port: u16, ip: IpAddr, user: &str) -> String {
    if port == 22 {
        format!("ssh {user}@{ip}")
    } else {
        format!("ssh -p {port} {user}@{ip}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_specific_address_is_used_as_is() {
        let a: SocketAddr = "127.0.0.1:2222".parse().unwrap();
        assert_eq!(join_commands(a), ["ssh -p 2222 NAME@127.0.0.1"]);
        assert_eq!(
            join_command(22, "10.0.0.2".parse().unwrap()),
            "ssh NAME@10.0.0.2"
        );
    }

    #[test]
    fn a_guest_is_told_to_join_again_with_their_name_where_they_joined() {
        let at: SocketAddr = "192.168.1.20:2222".parse().unwrap();
        assert_eq!(rejoin_command("ana", at), "ssh -p 2222 ana@192.168.1.20");
        let at: SocketAddr = "10.0.0.2:22".parse().unwrap();
        assert_eq!(rejoin_command("bo", at), "ssh bo@10.0.0.2");
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:2222".parse().unwrap();
        assert_eq!(rejoin_command("ana", mapped), "ssh -p 2222 ana@127.0.0.1");
    }

    #[test]
    fn a_wildcard_lists_reachable_addresses() {
        let all = join_commands("0.0.0.0:2222".parse().unwrap());
        assert!(!all.is_empty());
        for cmd in &all {
            assert!(cmd.starts_with("ssh -p 2222 NAME@"), "{cmd}");
            let only_loopback = cmd.ends_with("@127.0.0.1");
            assert!(!only_loopback || all.len() == 1, "{all:?}");
        }
    }
}
