//! What the HTTP layer asks of the operating system beyond std: the descriptor limit, an idle
//! limit every accepted socket inherits, the accept queue's length, and reaching a connection's
//! socket that tiny_http owns (to shut it down, or to see whether its peer has finished sending).
//!
//! Linux is where these are implemented and tested. Elsewhere each is a no-op that leaves
//! tiny_http's own behaviour: listen works, without the fault promises that rest on these
//! (README, "Known limits").

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

#[cfg(target_os = "linux")]
pub use linux::*;
#[cfg(not(target_os = "linux"))]
pub use other::*;

#[cfg(target_os = "linux")]
mod linux {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    use std::os::fd::{AsRawFd, RawFd};

    /// Bursts of connections need descriptors: the soft limit (often 1,024) is raised to the
    /// hard one.
    pub fn raise_descriptor_limit() {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: plain syscalls on a local struct.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0
                && limit.rlim_cur < limit.rlim_max
            {
                limit.rlim_cur = limit.rlim_max;
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        }
    }

    /// Connections waiting to be accepted on `listener` (Linux reports it for a listening
    /// socket as `tcpi_unacked`).
    pub fn accept_queue(listener: &TcpListener) -> u32 {
        // SAFETY: getsockopt into a zeroed struct of the size passed.
        unsafe {
            let mut info: libc::tcp_info = std::mem::zeroed();
            let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
            let rc = libc::getsockopt(
                listener.as_raw_fd(),
                libc::IPPROTO_TCP,
                libc::TCP_INFO,
                (&mut info as *mut libc::tcp_info).cast(),
                &mut len,
            );
            if rc == 0 { info.tcpi_unacked } else { 0 }
        }
    }

    /// `SO_RCVTIMEO` on the listening socket: every accepted socket inherits it (a read silent
    /// this long fails, and tiny_http ends the connection); `accept` itself then times out too,
    /// which the pokes prevent.
    pub fn set_idle_limit(listener: &TcpListener, limit: Duration) -> io::Result<()> {
        let tv = libc::timeval {
            tv_sec: limit.as_secs() as libc::time_t,
            tv_usec: limit.subsec_micros() as libc::suseconds_t,
        };
        // SAFETY: setsockopt on our own socket with a correctly sized value.
        let rc = unsafe {
            libc::setsockopt(
                listener.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&tv as *const libc::timeval).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        };
        match rc {
            0 => Ok(()),
            _ => Err(io::Error::last_os_error()),
        }
    }

    /// Ends the connection from `peer` to our `local` port, after its answer was written:
    /// tiny_http only closes a connection whose client asked, and a request with broken framing
    /// leaves the stream out of step.
    pub fn close_peer(peer: SocketAddr, local: SocketAddr) {
        if let Some(fd) = socket_of(peer, local) {
            // SAFETY: shutdown on a socket descriptor that stays owned by tiny_http, which
            // closes it when it sees the end of the stream.
            unsafe { libc::shutdown(fd, libc::SHUT_RDWR) };
        }
    }

    /// Whether `peer` has sent its FIN (nothing more will come): a body that "ended" then may
    /// have been cut off.
    pub fn peer_finished(peer: SocketAddr, local: SocketAddr) -> bool {
        let Some(fd) = socket_of(peer, local) else {
            return false;
        };
        let mut byte = 0u8;
        // SAFETY: a one-byte peek into a local.
        let n = unsafe {
            libc::recv(
                fd,
                (&mut byte as *mut u8).cast(),
                1,
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        n == 0
    }

    /// The descriptor of the connection from `peer` to our `local` port, found among the
    /// process's descriptors by its two addresses (tiny_http does not hand its sockets out).
    fn socket_of(peer: SocketAddr, local: SocketAddr) -> Option<RawFd> {
        let entries = std::fs::read_dir("/proc/self/fd").ok()?;
        entries
            .flatten()
            .filter_map(|entry| entry.file_name().to_str()?.parse::<RawFd>().ok())
            .find(|&fd| {
                socket_addr(fd, libc::getpeername) == Some(peer)
                    && socket_addr(fd, libc::getsockname).map(|a| a.port()) == Some(local.port())
            })
    }

    type NameFn = unsafe extern "C" fn(i32, *mut libc::sockaddr, *mut libc::socklen_t) -> i32;

    fn socket_addr(fd: RawFd, name: NameFn) -> Option<SocketAddr> {
        // SAFETY: the storage is large enough for any socket address and its length is passed.
        unsafe {
            let mut storage: libc::sockaddr_storage = std::mem::zeroed();
            let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            if name(
                fd,
                (&mut storage as *mut libc::sockaddr_storage).cast(),
                &mut len,
            ) != 0
            {
                return None;
            }
            match i32::from(storage.ss_family) {
                libc::AF_INET => {
                    let a =
                        &*(&storage as *const libc::sockaddr_storage).cast::<libc::sockaddr_in>();
                    let ip = Ipv4Addr::from(u32::from_be(a.sin_addr.s_addr));
                    Some(SocketAddr::new(IpAddr::V4(ip), u16::from_be(a.sin_port)))
                }
                libc::AF_INET6 => {
                    let a =
                        &*(&storage as *const libc::sockaddr_storage).cast::<libc::sockaddr_in6>();
                    let ip = Ipv6Addr::from(a.sin6_addr.s6_addr);
                    Some(SocketAddr::new(IpAddr::V6(ip), u16::from_be(a.sin6_port)))
                }
                _ => None,
            }
        }
    }
}

/// Elsewhere: tiny_http as it is (no idle limit, no stuck-loop detection, no forced close).
#[cfg(not(target_os = "linux"))]
mod other {
    use super::*;

    pub fn raise_descriptor_limit() {}

    pub fn accept_queue(_listener: &TcpListener) -> u32 {
        0
    }

    pub fn set_idle_limit(_listener: &TcpListener, _limit: Duration) -> io::Result<()> {
        Ok(())
    }

    pub fn close_peer(_peer: SocketAddr, _local: SocketAddr) {}

    pub fn peer_finished(_peer: SocketAddr, _local: SocketAddr) -> bool {
        false
    }
}
