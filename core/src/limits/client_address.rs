//! Where a request came from, as the sign-in limit counts it. The server
//! works the address out (the peer locally, API Gateway's `sourceIp` on
//! Lambda); here it only becomes a subject, and then a digest.

use std::net::{IpAddr, Ipv6Addr};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAddress {
    Ip(IpAddr),
    /// No trustworthy address: such requests share one count, so a
    /// missing address is never a way around the limit.
    Unknown,
}

impl ClientAddress {
    /// IPv4 (also when mapped into IPv6) is counted per address; IPv6 per
    /// /64, which one subscriber usually holds whole and can pick any
    /// address from.
    pub fn new(ip: IpAddr) -> Self {
        let ip = match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
            },
            v4 => v4,
        };
        Self::Ip(ip)
    }

    /// An address as text (API Gateway's `sourceIp`); `Unknown` if it is
    /// not one.
    pub fn parse(text: &str) -> Self {
        text.trim()
            .parse::<IpAddr>()
            .map_or(Self::Unknown, Self::new)
    }

    /// What the count is kept for; only its digest reaches the store.
    pub(super) fn subject(&self) -> String {
        match self {
            Self::Ip(IpAddr::V4(v4)) => v4.to_string(),
            Self::Ip(IpAddr::V6(v6)) => format!("{v6}/64"),
            Self::Unknown => "unknown".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        let a = ClientAddress::parse("2001:db8:1:2:aaaa::1");
        let b = ClientAddress::parse("2001:db8:1:2:bbbb::2");
        let other = ClientAddress::parse("2001:db8:1:3::1");
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(a.subject(), "2001:db8:1:2::/64");
        assert_eq!(
            ClientAddress::parse("::ffff:203.0.113.7"),
            ClientAddress::parse("203.0.113.7")
        );
        assert_eq!(ClientAddress::parse("203.0.113.7").subject(), "203.0.113.7");
    }

    #[test]
    fn anything_else_is_unknown() {
        for text in ["", "localhost", "203.0.113.7, 10.0.0.1", "203.0.113.300"] {
            assert_eq!(
                ClientAddress::parse(text),
                ClientAddress::Unknown,
                "{text:?}"
            );
        }
    }
}
