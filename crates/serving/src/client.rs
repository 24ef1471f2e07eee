//! The client's address: the TCP peer, or the address a trusted proxy forwarded.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

/// The address of whoever sent a request, as rate limits and stream caps count it: the TCP
/// peer's address, or, when the peer is a [`TrustedProxies`] member, the nearest address in
/// `X-Forwarded-For` that is not a trusted proxy itself.
///
/// As an extractor it never fails: it reads what [`resolve_client`] stored, else the peer
/// address [`crate::serve`] attached, else `0.0.0.0` (a router called without a server, as in
/// unit tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(client) = parts.extensions.get::<ClientAddr>() {
            return Ok(*client);
        }
        Ok(ClientAddr(peer_ip(&parts.extensions)))
    }
}

fn peer_ip(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(peer)| peer.ip().to_canonical())
}

/// The peers whose `X-Forwarded-For` header is believed: a list of addresses and CIDR ranges.
/// Read from text as a comma-separated list, e.g. `127.0.0.0/8,::1,10.0.0.0/8`; an empty text
/// trusts no one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustedProxies(Vec<IpNet>);

/// Why a trusted-proxy list could not be read; names the entry at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is neither an IP address nor a CIDR range such as 10.0.0.0/8")]
pub struct TrustedProxiesError(String);

impl TrustedProxies {
    /// Loopback only (`127.0.0.0/8` and `::1`): the default, where the web UI and the ticket
    /// service run on one host (`campusdesk up`) or a proxy runs beside them.
    pub fn loopback() -> Self {
        let v4 = IpNet::V4(ipnet::Ipv4Net::new_assert(std::net::Ipv4Addr::LOCALHOST, 8).trunc());
        let v6 = IpNet::from(IpAddr::from(std::net::Ipv6Addr::LOCALHOST));
        TrustedProxies(vec![v4, v6])
    }

    /// Trusts no one: `X-Forwarded-For` is always ignored.
    pub fn none() -> Self {
        TrustedProxies(Vec::new())
    }

    /// Whether `ip` is a trusted proxy.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind a request from `peer` with these `headers`: `peer` itself unless it is
    /// trusted; else the rightmost `X-Forwarded-For` address that is not trusted (all lines of
    /// the header, read as one list), or the leftmost when every one is trusted. An unreadable
    /// entry ends the walk: the address to its right is used, since nothing left of it can be
    /// believed.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for entry in forwarded.iter().rev() {
            match parse_forwarded(entry) {
                Some(ip) => {
                    client = ip;
                    if !self.contains(ip) {
                        break;
                    }
                }
                None => break,
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an IP address, possibly with a port (`1.2.3.4:5678`,
/// `[::1]:80`).
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    entry.parse::<SocketAddr>().ok().map(|addr| addr.ip().to_canonical())
}

impl FromStr for TrustedProxies {
    type Err = TrustedProxiesError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut ranges = Vec::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let range = match entry.parse::<IpNet>() {
                Ok(net) => net.trunc(),
                Err(_) => entry
                    .parse::<IpAddr>()
                    .map(IpNet::from)
                    .map_err(|_| TrustedProxiesError(entry.to_owned()))?,
            };
            ranges.push(range);
        }
        Ok(TrustedProxies(ranges))
    }
}

impl std::fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list: Vec<String> = self.0.iter().map(IpNet::to_string).collect();
        f.write_str(&list.join(","))
    }
}

/// Middleware (`axum::middleware::from_fn_with_state(Arc<TrustedProxies>, resolve_client)`):
/// works out the request's [`ClientAddr`] once, from the peer address [`crate::serve`]
/// attached and `X-Forwarded-For`, and stores it in the request's extensions for the handlers
/// and limits after it.
pub async fn resolve_client(
    State(trusted): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = peer_ip(request.extensions());
    let client = trusted.client(peer, request.headers());
    request.extensions_mut().insert(ClientAddr(client));
    next.run(request).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = TrustedProxies::loopback();
        assert_eq!(trusted.client(ip("10.1.2.3"), &forwarded("203.0.113.9")), ip("10.1.2.3"));
    }

    #[test]
    fn a_trusted_peer_names_the_nearest_untrusted_forwarded_address() {
        let trusted: TrustedProxies = "127.0.0.0/8, 172.16.0.0/12".parse().unwrap();
        let headers = forwarded("198.51.100.7, 203.0.113.9, 172.18.0.5");
        assert_eq!(trusted.client(ip("127.0.0.1"), &headers), ip("203.0.113.9"));
        assert_eq!(trusted.client(ip("127.0.0.1"), &HeaderMap::new()), ip("127.0.0.1"));
        assert_eq!(
            trusted.client(ip("::ffff:127.0.0.1"), &forwarded("[2001:db8::1]:443")),
            ip("2001:db8::1")
        );
        // Every hop trusted: the leftmost is the client (a campus address in a private range).
        let private: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        assert_eq!(private.client(ip("10.0.0.2"), &forwarded("10.9.9.9, 10.0.0.3")), ip("10.9.9.9"));
        // Nothing left of an unreadable entry is believed.
        assert_eq!(trusted.client(ip("127.0.0.1"), &forwarded("1.1.1.1, junk, 127.0.0.2")), ip("127.0.0.2"));
    }

    #[test]
    fn lists_are_read_and_written_as_text() {
        let trusted: TrustedProxies = "127.0.0.1, ::1, 10.1.2.3/8".parse().unwrap();
        assert_eq!(trusted.to_string(), "127.0.0.1/32,::1/128,10.0.0.0/8");
        assert!(trusted.contains(ip("10.200.0.1")));
        assert_eq!("".parse::<TrustedProxies>().unwrap(), TrustedProxies::none());
        let err = "10.0.0.0/8, proxy.local".parse::<TrustedProxies>().unwrap_err();
        assert!(err.to_string().contains("\"proxy.local\""), "{err}");
        assert_eq!(TrustedProxies::loopback().to_string(), "127.0.0.0/8,::1/128");
    }
}
