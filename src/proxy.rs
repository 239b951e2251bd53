//! The client's address behind a reverse proxy. The address a connection comes from is the
//! client's unless it is one of the configured trusted proxies (`--trusted-proxy`); then the
//! client is the last address in `X-Forwarded-For` that is not itself a trusted proxy. The
//! header of an untrusted peer is ignored: anyone can write one, and the sign-in throttle must
//! not count failures against an address a client chose.

use std::net::IpAddr;

/// The header a trusted proxy names the client in.
pub const FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address: `peer` itself, or, when `peer` is a trusted proxy, the nearest
/// untrusted address `forwarded_for` (the `X-Forwarded-For` values, in order) names. A header
/// that cannot be read leaves the proxy's own address, so its clients share one count.
pub fn client_addr<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = forwarded_for.into_iter().flat_map(|v| v.split(',')).map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(addr) => {
                client = addr;
                if !trusted.contains(&addr) {
                    break;
                }
            }
            Err(_) => return Some(client),
        }
    }
    Some(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|_| panic!("{s}"))
    }

    #[test]
    fn an_untrusted_peers_header_is_ignored() {
        assert_eq!(client_addr(Some(ip("203.0.113.9")), ["10.9.9.9"], &[ip("10.0.0.1")]), Some(ip("203.0.113.9")));
        assert_eq!(client_addr(Some(ip("203.0.113.9")), ["10.9.9.9"], &[]), Some(ip("203.0.113.9")));
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_spoofed_hops_before_it_are_skipped() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        // The client wrote "1.2.3.4" itself; the proxies appended what they saw.
        let header = ["1.2.3.4, 198.51.100.7", "10.0.0.2"];
        assert_eq!(client_addr(Some(ip("10.0.0.1")), header, &trusted), Some(ip("198.51.100.7")));
        assert_eq!(client_addr(Some(ip("10.0.0.1")), [], &trusted), Some(ip("10.0.0.1")));
        assert_eq!(client_addr(Some(ip("10.0.0.1")), ["garbage"], &trusted), Some(ip("10.0.0.1")));
    }
}
