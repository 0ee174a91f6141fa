//! The desk's accounts: made by a coordinator (`kith desk user`, or the desk's users
//! page), each with a password the hub makes and shows once, hashed with argon2id.
//!
//! Sign-in attempts are limited per account — after [`MAX_FAILURES`] wrong
//! passwords in a row the account takes no sign-in for [`LOCKOUT`], the right
//! password included — and per client, in [`super`]. An unknown name costs the
//! same hashing as a known one, so that the time of an answer does not tell which
//! names exist.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;
use std::sync::OnceLock;
use std::time::Duration;

use crate::store::{DeskUser, Role, Store, StoreError};

/// Wrong passwords in a row before an account is locked for [`LOCKOUT`].
pub const MAX_FAILURES: u32 = 5;
/// How long a locked account takes no sign-in.
pub const LOCKOUT: Duration = Duration::from_secs(15 * 60);
/// The longest account name.
pub const MAX_NAME: usize = 40;

/// Why an account change is refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("name: {0}")]
    Name(String),
    #[error("role: unknown value {0:?}; expected one of: coordinator, worker, member")]
    Role(String),
    #[error("there is already a desk user called {0:?}")]
    Exists(String),
    #[error("there is no desk user called {0:?}")]
    Unknown(String),
    #[error("{0:?} is the last coordinator: make another coordinator first, or the desk's accounts cannot be managed")]
    LastCoordinator(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// What a sign-in came to.
#[derive(Debug)]
pub enum SignIn {
    Ok(DeskUser),
    /// A wrong name or password: which, is not said.
    Wrong,
    /// Too many wrong passwords: no sign-in to this account before `until_ms`.
    Locked {
        until_ms: i64,
    },
}

/// argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's first choice).
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// A name for an account: 1 to 40 lowercase letters, digits, `.`, `-` or `_`.
pub fn check_name(name: &str) -> Result<String, AccountError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AccountError::Name("must not be empty".into()));
    }
    if name.chars().count() > MAX_NAME {
        return Err(AccountError::Name(format!("at most {MAX_NAME} characters")));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(*c))) {
        return Err(AccountError::Name(format!(
            "{c:?} is not allowed: use lowercase letters, digits, '.', '-' or '_'"
        )));
    }
    Ok(name.to_owned())
}

/// A new password: 20 letters and digits that cannot be mistaken for each other, in
/// four groups (about 99 bits).
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..4)
        .map(|_| (0..5).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

fn hash(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of no one's password, checked against for an unknown name.
fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash(&new_password()).expect("argon2 hashes"))
}

/// Makes an account; returns its password, which is not kept anywhere.
pub async fn add(store: &Store, name: &str, role: &str) -> Result<(DeskUser, String), AccountError> {
    let name = check_name(name)?;
    let role = Role::parse(role.trim()).ok_or_else(|| AccountError::Role(role.to_owned()))?;
    if store.desk_user(&name)?.is_some() {
        return Err(AccountError::Exists(name));
    }
    let password = new_password();
    let hash = blocking(move || hash(&password).map(|h| (h, password))).await?;
    let user = DeskUser {
        name,
        role,
        hash: hash.0,
        created_at_ms: kith_proto::time::now_ms(),
        signed_in_at_ms: None,
        failures: 0,
        locked_until_ms: 0,
    };
    store.put_desk_user(&user, Some("desk user added")).await?;
    Ok((user, hash.1))
}

/// Gives an account a new password (and unlocks it), and signs it out everywhere.
pub async fn reset(store: &Store, name: &str) -> Result<(DeskUser, String), AccountError> {
    let mut user = store.desk_user(name.trim())?.ok_or_else(|| AccountError::Unknown(name.to_owned()))?;
    let password = new_password();
    let (h, password) = blocking(move || hash(&password).map(|h| (h, password))).await?;
    user.hash = h;
    user.failures = 0;
    user.locked_until_ms = 0;
    store.put_desk_user(&user, Some("desk password reset")).await?;
    store.end_sessions_of(&user.name)?;
    store.flush().await?;
    Ok((user, password))
}

/// Removes an account, unless it is the last coordinator.
pub async fn remove(store: &Store, name: &str) -> Result<(), AccountError> {
    let name = name.trim();
    let user = store.desk_user(name)?.ok_or_else(|| AccountError::Unknown(name.to_owned()))?;
    if user.role == Role::Coordinator {
        let coordinators = store.desk_users()?.iter().filter(|u| u.role == Role::Coordinator).count();
        if coordinators == 1 {
            return Err(AccountError::LastCoordinator(user.name));
        }
    }
    store.remove_desk_user(name).await?;
    Ok(())
}

/// Checks a sign-in, counting a wrong password against the account.
pub async fn sign_in(store: &Store, name: &str, password: &str, now_ms: i64) -> Result<SignIn, AccountError> {
    let user = store.desk_user(name.trim())?;
    let Some(mut user) = user else {
        let password = password.to_owned();
        blocking(move || Ok(verify(&password, decoy()))).await?;
        return Ok(SignIn::Wrong);
    };
    if user.locked_until_ms > now_ms {
        return Ok(SignIn::Locked { until_ms: user.locked_until_ms });
    }
    let (password, h) = (password.to_owned(), user.hash.clone());
    let right = blocking(move || Ok(verify(&password, &h))).await?;
    if right {
        user.failures = 0;
        user.signed_in_at_ms = Some(now_ms);
        store.put_desk_user(&user, None).await?;
        return Ok(SignIn::Ok(user));
    }
    user.failures += 1;
    let locked = user.failures >= MAX_FAILURES;
    if locked {
        user.failures = 0;
        user.locked_until_ms = now_ms + LOCKOUT.as_millis() as i64;
    }
    store.put_desk_user(&user, None).await?;
    Ok(if locked { SignIn::Locked { until_ms: user.locked_until_ms } } else { SignIn::Wrong })
}

/// Runs CPU-heavy hashing off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AccountError> + Send + 'static,
) -> Result<T, AccountError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| AccountError::Hash(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::fixtures::identity;

    #[test]
    fn names_are_checked_and_passwords_are_long() {
        assert_eq!(check_name(" sam.k ").unwrap(), "sam.k");
        assert!(check_name("").unwrap_err().to_string().starts_with("name: "));
        assert!(check_name("Sam").unwrap_err().to_string().contains("'S'"));
        assert!(check_name(&"a".repeat(41)).is_err());
        let p = new_password();
        assert_eq!((p.len(), p.matches('-').count()), (23, 3));
        assert_ne!(p, new_password());
    }

    #[tokio::test]
    async fn a_wrong_password_past_the_limit_locks_the_account_even_against_the_right_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        let (user, password) = add(&store, "sam", "worker").await.unwrap();
        assert!(!user.hash.contains(&password) && user.hash.starts_with("$argon2id$"));
        assert!(matches!(add(&store, "sam", "worker").await, Err(AccountError::Exists(_))));
        assert!(matches!(add(&store, "alex", "boss").await, Err(AccountError::Role(_))));
        assert!(matches!(sign_in(&store, "sam", &password, 1_000).await.unwrap(), SignIn::Ok(_)));
        assert!(matches!(sign_in(&store, "nobody", &password, 1_000).await.unwrap(), SignIn::Wrong));
        for _ in 1..MAX_FAILURES {
            assert!(matches!(sign_in(&store, "sam", "wrong", 1_000).await.unwrap(), SignIn::Wrong));
        }
        let SignIn::Locked { until_ms } = sign_in(&store, "sam", "wrong", 1_000).await.unwrap() else { panic!() };
        assert!(matches!(sign_in(&store, "sam", &password, 2_000).await.unwrap(), SignIn::Locked { .. }));
        assert!(matches!(sign_in(&store, "sam", &password, until_ms + 1).await.unwrap(), SignIn::Ok(_)));
        let (_, new) = reset(&store, "sam").await.unwrap();
        assert!(matches!(sign_in(&store, "sam", &password, until_ms + 2).await.unwrap(), SignIn::Wrong));
        assert!(matches!(sign_in(&store, "sam", &new, until_ms + 3).await.unwrap(), SignIn::Ok(_)));
    }

    #[tokio::test]
    async fn the_last_coordinator_stays() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), identity()).unwrap();
        add(&store, "kim", "coordinator").await.unwrap();
        add(&store, "sam", "worker").await.unwrap();
        assert!(matches!(remove(&store, "kim").await, Err(AccountError::LastCoordinator(_))));
        remove(&store, "sam").await.unwrap();
        assert!(matches!(remove(&store, "sam").await, Err(AccountError::Unknown(_))));
    }
}
