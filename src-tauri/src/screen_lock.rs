//! Locks the vault when the screen locks or the system is about to sleep,
//! where the desktop says so over D-Bus (Linux).
//!
//! Responsible for: listening on the session bus for the screensaver's
//! `ActiveChanged(true)` (`org.freedesktop.ScreenSaver`,
//! `org.gnome.ScreenSaver`), and on the system bus for logind's
//! `org.freedesktop.login1.Session.Lock` and
//! `org.freedesktop.login1.Manager.PrepareForSleep(true)`, and calling back on
//! each. Not responsible for what locking means (`aqui::app::Session`), nor
//! for a suspend the desktop does not announce (the idle timer's wall-clock
//! check covers that).
//!
//! Only `unix:` bus addresses are used: a `tcp:` one (or any other transport)
//! is skipped, so this never opens a network connection. No bus, or a bus
//! that goes away, simply means no lock signals: nothing is shown or logged.
//!
//! Over-locking is harmless, so the signals are not filtered by sender or by
//! session: any program on the bus that says the screen locked locks the
//! vault, and so does another person's session locking on a shared computer.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::Poll;
use zbus::address::transport::{Transport, UnixSocket};
use zbus::export::futures_core::Stream;
use zbus::message::Type;
use zbus::{Address, Connection, MatchRule, Message, MessageStream};

/// A message bus, and so which signals are listened for on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bus {
    /// The desktop session's bus: the screensaver.
    Session,
    /// The system bus: logind.
    System,
}

/// The screensaver interfaces whose `ActiveChanged(bool)` is listened for.
const SCREENSAVERS: [&str; 2] = ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"];
const LOGIN_SESSION: &str = "org.freedesktop.login1.Session";
const LOGIN_MANAGER: &str = "org.freedesktop.login1.Manager";

impl Bus {
    /// The bus's address from the environment, else its usual socket. It may
    /// list several addresses separated by `;`.
    pub fn address(self) -> Option<String> {
        match self {
            Bus::Session => std::env::var("DBUS_SESSION_BUS_ADDRESS").ok().or_else(|| {
                let dir = std::env::var("XDG_RUNTIME_DIR").ok()?;
                Some(format!("unix:path={dir}/bus"))
            }),
            Bus::System => Some(
                std::env::var("DBUS_SYSTEM_BUS_ADDRESS")
                    .unwrap_or_else(|_| "unix:path=/var/run/dbus/system_bus_socket".into()),
            ),
        }
    }

    /// (interface, signal) pairs to subscribe to.
    fn signals(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Bus::Session => SCREENSAVERS.map(|i| (i, "ActiveChanged")).to_vec(),
            Bus::System => vec![(LOGIN_SESSION, "Lock"), (LOGIN_MANAGER, "PrepareForSleep")],
        }
    }
}

/// Whether `msg` says the screen locked or the system is about to sleep.
pub fn is_lock_signal(msg: &Message) -> bool {
    if msg.message_type() != Type::Signal {
        return false;
    }
    let header = msg.header();
    let (Some(iface), Some(member)) = (header.interface(), header.member()) else {
        return false;
    };
    let turned_on = || msg.body().deserialize::<bool>().unwrap_or(false);
    match (iface.as_str(), member.as_str()) {
        (i, "ActiveChanged") if SCREENSAVERS.contains(&i) => turned_on(),
        (LOGIN_MANAGER, "PrepareForSleep") => turned_on(),
        (LOGIN_SESSION, "Lock") => true,
        _ => false,
    }
}

/// Listens on the bus at `address` (a D-Bus address list; only its `unix:`
/// entries are tried) for `bus`'s lock signals and calls `on_lock` for each,
/// until the bus goes away. Returns quietly at once when there is no such bus.
/// Needs a Tokio runtime (Tauri's): call it from `tauri::async_runtime`.
pub async fn listen(address: &str, bus: Bus, on_lock: impl Fn()) {
    let Some(conn) = connect(address).await else {
        return;
    };
    let mut streams = Vec::new();
    for (interface, member) in bus.signals() {
        let rule = MatchRule::builder()
            .msg_type(Type::Signal)
            .interface(interface)
            .member(member)
            .build();
        let Ok(rule) = rule else { continue };
        if let Ok(stream) = MessageStream::for_match_rule(rule, &conn, None).await {
            streams.push(stream);
        }
    }
    while let Some(msg) = next(&mut streams).await {
        if msg.is_ok_and(|m| is_lock_signal(&m)) {
            on_lock();
        }
    }
}

/// The first bus among `address`'s `unix:` entries that accepts us.
async fn connect(address: &str) -> Option<Connection> {
    for entry in address.split(';') {
        let Ok(address) = entry.parse::<Address>() else {
            continue;
        };
        let local = match address.transport() {
            Transport::Unix(unix) => {
                matches!(unix.path(), UnixSocket::File(_) | UnixSocket::Abstract(_))
            }
            _ => false,
        };
        if !local {
            continue;
        }
        if let Ok(conn) = zbus::connection::Builder::address(address).build().await {
            return Some(conn);
        }
    }
    None
}

/// The next message from any of `streams`; `None` once one has ended (the
/// connection closed) or there are none.
async fn next(streams: &mut [MessageStream]) -> Option<zbus::Result<Message>> {
    if streams.is_empty() {
        return None;
    }
    poll_fn(|cx| {
        for stream in streams.iter_mut() {
            if let Poll::Ready(item) = Pin::new(stream).poll_next(cx) {
                return Poll::Ready(item);
            }
        }
        Poll::Pending
    })
    .await
}
