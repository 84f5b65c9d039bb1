//! The key that signs `GET /notes` cursors: `NOTES_CURSOR_KEY`, or a random one.

use notes_repo::CursorKey;

/// The environment variable holding the cursor key (at least 16 bytes; 32 random ones are best).
pub const CURSOR_KEY_VAR: &str = "NOTES_CURSOR_KEY";

/// The cursor key from `NOTES_CURSOR_KEY`, or, when it is unset or empty, a random key with
/// a warning in the log: then cursors do not survive a restart (nor move between instances).
///
/// The random key comes from the operating system's CSPRNG (`getrandom`, already in the
/// dependency tree through `uuid`): a key must be unpredictable, which `std`'s hasher seeds
/// or the clock are not meant to be.
///
/// ```
/// use notes_api::cursor_key_from_env;
///
/// // Unset here: a random key.
/// let key = cursor_key_from_env()?;
/// assert_eq!(format!("{key:?}"), "CursorKey(..)");
/// # Ok::<(), notes_repo::Error>(())
/// ```
pub fn cursor_key_from_env() -> Result<CursorKey, notes_repo::Error> {
    match std::env::var(CURSOR_KEY_VAR) {
        Ok(secret) if !secret.is_empty() => CursorKey::new(secret)
            .map_err(|err| notes_repo::Error::validation(format!("{CURSOR_KEY_VAR}: {err}"))),
        _ => {
            let key = random_cursor_key()?;
            tracing::warn!(
                "{CURSOR_KEY_VAR} is not set: cursors are signed with a random key made at \
                 start-up, so they do not survive a restart (set {CURSOR_KEY_VAR} to keep them)"
            );
            Ok(key)
        }
    }
}

/// 32 bytes from the operating system's CSPRNG.
fn random_cursor_key() -> Result<CursorKey, notes_repo::Error> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|err| {
        notes_repo::Error::validation(format!("no random source for a cursor key: {err}"))
    })?;
    CursorKey::new(secret)
}
