//! What the desktop app needs beyond the vault, kept here so the shell only
//! adapts: where the vaults live, the settings remembered between runs, the
//! passphrase strength hint, the panic-wipe confirmation and the idle rule.
//! The Handoff screen's flow (preview, then act on exactly that) is in
//! [`handoff`].

pub mod handoff;
pub mod organize;
pub mod report;
pub mod retention;

use crate::i18n::{text, Lang};
use crate::t;
use crate::vault::{Damage, Error};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The folders the app uses: the chapter's vault, the sample chapter's vault
/// (kept apart so fictional and real records never mix), and the settings file.
#[derive(Clone, Debug)]
pub struct Dirs {
    pub vault: PathBuf,
    pub demo: PathBuf,
    pub settings: PathBuf,
}

impl Dirs {
    /// `AQUI_VAULT` if set, else the platform's data folder (as the CLI).
    pub fn from_env() -> Option<Dirs> {
        let vault = std::env::var_os("AQUI_VAULT")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(crate::vault::default_dir)?;
        Some(Dirs::beside(&vault))
    }

    /// The demo vault and settings live next to `vault`.
    pub fn beside(vault: &Path) -> Dirs {
        let parent = vault.parent().map(Path::to_path_buf).unwrap_or_default();
        Dirs {
            vault: vault.to_path_buf(),
            demo: parent.join("sample-chapter"),
            settings: parent.join("settings.json"),
        }
    }

    /// The sample chapter's vault in `lang`: one per language, so each opens
    /// with its records in that language (`sample-chapter`, `sample-chapter-es`).
    pub fn demo_in(&self, lang: Lang) -> PathBuf {
        match lang {
            Lang::En => self.demo.clone(),
            Lang::Es => {
                let mut name = self.demo.file_name().unwrap_or_default().to_os_string();
                name.push("-es");
                self.demo.with_file_name(name)
            }
        }
    }
}

/// Settings remembered between runs. Not personal data, so kept outside the
/// vault, where the unlock screen can read the language before unlocking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Option<Lang>,
    /// Lock after this many minutes without activity (1–240).
    pub auto_lock_minutes: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            lang: None,
            auto_lock_minutes: 5,
        }
    }
}

pub const AUTO_LOCK_RANGE: std::ops::RangeInclusive<u32> = 1..=240;

impl Settings {
    /// The saved settings, or the defaults when there are none or they are
    /// unreadable (a damaged settings file must not keep anyone out).
    pub fn load(path: &Path) -> Settings {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Settings>(&b).ok())
            .map(|mut s| {
                s.auto_lock_minutes = s
                    .auto_lock_minutes
                    .clamp(*AUTO_LOCK_RANGE.start(), *AUTO_LOCK_RANGE.end());
                s
            })
            .unwrap_or_default()
    }

    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(Error::Io)?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("settings.json");
        let json = serde_json::to_vec_pretty(self).map_err(|_| Error::Damaged(Damage::Encode))?;
        crate::vault::write_atomic(dir, name, &json)
    }
}

/// How strong a new passphrase looks, with a hint in the user's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Strength {
    /// 0 = too short to use, 1 = weak, 2 = fair, 3 = strong.
    pub score: u8,
    pub hint: String,
}

/// A simple, honest rule: length and number of words matter most.
pub fn strength(lang: Lang, passphrase: &str) -> Strength {
    let chars = passphrase.chars().count();
    let words = passphrase
        .split_whitespace()
        .filter(|w| w.chars().count() >= 2)
        .count();
    let score = if chars < crate::vault::Passphrase::MIN {
        0
    } else if chars >= 20 && words >= 4 {
        3
    } else if chars >= 14 || words >= 3 {
        2
    } else {
        1
    };
    let hint = match score {
        0 => t!(
            lang,
            "strength-too-short",
            min = crate::vault::Passphrase::MIN
        ),
        1 => t!(lang, "strength-weak"),
        2 => t!(lang, "strength-fair"),
        _ => t!(lang, "strength-strong"),
    };
    Strength { score, hint }
}

/// The word a person types to confirm the panic wipe, in their language.
pub fn wipe_word(lang: Lang) -> String {
    text(lang, "wipe-word")
}

/// Whether `typed` confirms the panic wipe (in either language, any case).
pub fn wipe_confirmed(typed: &str) -> bool {
    let typed = typed.trim().to_lowercase();
    Lang::ALL
        .iter()
        .any(|l| wipe_word(*l).to_lowercase() == typed)
}

/// Tracks activity for the auto-lock.
///
/// Both clocks are kept: the monotonic one is immune to clock changes, and
/// the wall clock keeps running while the laptop is suspended (the monotonic
/// one stops on Linux and macOS). So a laptop shut and woken past the timeout
/// locks at the first check after it wakes.
#[derive(Debug)]
pub struct Idle {
    last: Instant,
    last_wall: SystemTime,
}

impl Default for Idle {
    fn default() -> Idle {
        Idle {
            last: Instant::now(),
            last_wall: SystemTime::now(),
        }
    }
}

impl Idle {
    pub fn touch(&mut self) {
        self.last = Instant::now();
        self.last_wall = SystemTime::now();
    }

    /// Whether `minutes` without activity have passed at `now` / `now_wall`.
    pub fn expired(&self, minutes: u32, now: Instant, now_wall: SystemTime) -> bool {
        let limit = Duration::from_secs(u64::from(minutes) * 60);
        let wall = now_wall.duration_since(self.last_wall).unwrap_or_default();
        now.duration_since(self.last) >= limit || wall >= limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_prefers_long_phrases() {
        assert_eq!(strength(Lang::En, "short").score, 0);
        assert_eq!(strength(Lang::En, "password1").score, 1);
        assert_eq!(strength(Lang::En, "tres palabras juntas").score, 2);
        assert_eq!(
            strength(Lang::Es, "la marcha sale del centro a las diez").score,
            3
        );
        assert!(strength(Lang::Es, "corta").hint.contains('8'));
    }

    #[test]
    fn wipe_needs_the_word_in_either_language() {
        assert!(wipe_confirmed(&wipe_word(Lang::En)));
        assert!(wipe_confirmed(&format!(
            "  {} ",
            wipe_word(Lang::Es).to_uppercase()
        )));
        assert!(!wipe_confirmed("yes"));
        assert!(!wipe_confirmed(""));
    }

    #[test]
    fn idle_expires_after_the_timeout() {
        let idle = Idle::default();
        let later = Instant::now() + Duration::from_secs(5 * 60);
        let wall = SystemTime::now();
        assert!(idle.expired(5, later, wall));
        assert!(!idle.expired(6, later, wall));
        // After a suspend only the wall clock has moved on.
        let woke = SystemTime::now() + Duration::from_secs(3600);
        assert!(idle.expired(5, Instant::now(), woke));
        assert!(!idle.expired(5, Instant::now(), SystemTime::now()));
    }

    #[test]
    fn settings_round_trip_and_survive_damage() {
        let dir = std::env::temp_dir().join(format!("aqui-settings-{}", std::process::id()));
        let path = dir.join("settings.json");
        let s = Settings {
            lang: Some(Lang::Es),
            auto_lock_minutes: 10,
        };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path), s);
        std::fs::write(&path, b"{ nope").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// What can go wrong in the app beyond the vault's own errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    #[error("the vault is locked")]
    Locked,
    #[error("the panic wipe word does not match")]
    WipeWord,
    #[error("auto-lock minutes out of range")]
    AutoLockRange,
    #[error("the preview is out of date")]
    Stale,
    #[error("the file's passphrase is too short")]
    FilePassShort,
    #[error("no file named")]
    NoPath,
    #[error("the sample chapter has a passphrase of its own")]
    DemoOwnPassphrase,
    #[error("the period cannot be read")]
    BadPeriod,
    #[error("a hold is on")]
    Held,
    #[error("the report could not be written")]
    ReportWrite(String),
    #[error(transparent)]
    Vault(#[from] Error),
    #[error(transparent)]
    Handoff(#[from] crate::handoff::Error),
    #[error(transparent)]
    Csv(#[from] crate::csv::Error),
}

impl From<crate::model::FieldError> for AppError {
    fn from(e: crate::model::FieldError) -> AppError {
        AppError::Vault(Error::Invalid(e))
    }
}

impl crate::error::Localize for AppError {
    fn kind(&self) -> &'static str {
        match self {
            AppError::Locked => "err-locked",
            AppError::WipeWord => "err-wipe-word",
            AppError::AutoLockRange => "err-auto-lock-range",
            AppError::Stale => "err-preview-stale",
            AppError::FilePassShort => "err-file-pass-short",
            AppError::NoPath => "err-no-path",
            AppError::DemoOwnPassphrase => "err-demo-own-pass",
            AppError::BadPeriod => "err-bad-period",
            AppError::Held => "err-held",
            AppError::ReportWrite(_) => "err-report-write",
            AppError::Vault(e) => e.kind(),
            AppError::Handoff(e) => e.kind(),
            AppError::Csv(e) => e.kind(),
        }
    }

    fn wrapped(&self) -> Option<&dyn crate::error::Localize> {
        match self {
            AppError::Vault(e) => Some(e),
            AppError::Handoff(e) => Some(e),
            AppError::Csv(e) => Some(e),
            _ => None,
        }
    }

    fn recovery(&self) -> String {
        match self {
            // The CLI's advice names a command; the app's, the Settings screen.
            AppError::Held => "rec-held-app".into(),
            _ => match self.wrapped() {
                Some(w) => w.recovery(),
                None => crate::error::recovery_of(self.kind()),
            },
        }
    }

    fn what(&self, lang: Lang) -> String {
        match self {
            AppError::ReportWrite(path) => t!(lang, "err-report-write", path = path.clone()),
            _ => match self.wrapped() {
                Some(w) => w.what(lang),
                None => crate::i18n::text(lang, self.kind()),
            },
        }
    }
}

/// What the app shows before and after unlocking.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub vault_exists: bool,
    pub demo_exists: bool,
    pub unlocked: bool,
    /// The open vault is the sample chapter.
    pub demo: bool,
    pub lang: Lang,
    pub auto_lock_minutes: u32,
    pub wipe_word: String,
    /// The open vault is read-only: what was found changed behind its back,
    /// and what to do, in the person's language (see `vault::Finding`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<String>,
    /// Handoff and backup files the open vault wrote that are still there,
    /// for the panic wipe to offer to remove (empty when locked).
    pub wipe_files: Vec<String>,
}

/// The desktop app's state: which vault is open (if any), the remembered
/// settings, and activity for the auto-lock. Locking drops the vault, which
/// zeroizes its key.
pub struct Session {
    dirs: Dirs,
    settings: Settings,
    vault: Option<crate::vault::Vault>,
    demo: bool,
    idle: Idle,
    kdf: crate::vault::KdfParams,
    /// An export or import previewed and not yet done (dropped on lock).
    handoff: handoff::Pending,
    /// The passphrase typed at unlock, kept only while a due purge waits for
    /// a click (see `app::retention`).
    purge_pass: Option<crate::vault::Passphrase>,
    /// Raised, from outside the session's lock, to stop a running import,
    /// export or backup at once (the vault is locking); lowered on lock.
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Session {
    pub fn new(dirs: Dirs) -> Session {
        let settings = Settings::load(&dirs.settings);
        Session {
            dirs,
            settings,
            vault: None,
            demo: false,
            idle: Idle::default(),
            kdf: Default::default(),
            handoff: handoff::Pending::default(),
            purge_pass: None,
            stop: Default::default(),
        }
    }

    /// Minutes of inactivity before the vault locks itself.
    pub fn auto_lock_minutes(&self) -> u32 {
        self.settings.auto_lock_minutes
    }

    /// The flag that stops a running handoff at once: whoever locks the
    /// vault raises it before waiting for the session (see `lock`).
    pub fn stop_handle(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.stop.clone()
    }

    /// Uses cheaper key stretching for new vaults (tests only; real vaults use the default).
    pub fn with_kdf(mut self, kdf: crate::vault::KdfParams) -> Session {
        self.kdf = kdf;
        self
    }

    /// The language: the remembered choice, else `AQUI_LANG` / the system's.
    pub fn lang(&self) -> Lang {
        self.settings.lang.unwrap_or_else(|| Lang::choose(None))
    }

    pub fn status(&self) -> Status {
        Status {
            vault_exists: crate::vault::Vault::exists(&self.dirs.vault),
            demo_exists: crate::vault::Vault::exists(&self.dirs.demo_in(self.lang())),
            unlocked: self.vault.is_some(),
            demo: self.demo,
            lang: self.lang(),
            auto_lock_minutes: self.settings.auto_lock_minutes,
            wipe_word: wipe_word(self.lang()),
            read_only: self
                .vault
                .as_ref()
                .filter(|v| v.read_only())
                .map(|v| crate::error::findings_message(v.findings(), self.lang())),
            wipe_files: self
                .vault
                .as_ref()
                .map(|v| {
                    v.written_files()
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Switches the language and remembers it for the next start.
    pub fn set_lang(&mut self, lang: Lang) -> Result<(), AppError> {
        let mut next = self.settings.clone();
        next.lang = Some(lang);
        next.save(&self.dirs.settings)?;
        self.settings = next;
        Ok(())
    }

    /// The open vault, counting the call as activity.
    pub fn vault(&mut self) -> Result<&mut crate::vault::Vault, AppError> {
        self.idle.touch();
        self.vault.as_mut().ok_or(AppError::Locked)
    }

    pub fn create(&mut self, pass: &crate::vault::Passphrase) -> Result<Status, AppError> {
        pass.check_new()?;
        if crate::vault::Vault::exists(&self.dirs.vault) {
            return Err(Error::AlreadyExists(self.dirs.vault.clone()).into());
        }
        self.lock();
        self.vault = Some(crate::vault::Vault::create(
            &self.dirs.vault,
            pass,
            self.kdf,
        )?);
        self.demo = false;
        self.idle.touch();
        Ok(self.status())
    }

    /// Opens the sample chapter in the current language: creates and fills
    /// it the first time. It needs no passphrase from anyone: its vault uses
    /// the fixed one shown on screen ([`crate::demo::passphrase`]).
    pub fn open_demo(&mut self) -> Result<Status, AppError> {
        self.lock();
        let lang = self.lang();
        let dir = self.dirs.demo_in(lang);
        let pass = crate::vault::Passphrase::new(crate::demo::passphrase(lang).to_string());
        let vault = if crate::vault::Vault::exists(&dir) {
            match crate::vault::Vault::unlock(&dir, &pass) {
                // Made by an older version, or by `aqui demo`, with a
                // passphrase of its own: it may hold what someone typed,
                // so it is never replaced.
                Err(Error::WrongPassphrase) => return Err(AppError::DemoOwnPassphrase),
                other => other?,
            }
        } else {
            let mut v = crate::vault::Vault::create(&dir, &pass, self.kdf)?;
            if let Err(e) = crate::demo::fill_in(&mut v, lang, crate::model::today()) {
                // Not left empty: the next try creates it afresh.
                let _ = v.destroy();
                return Err(e.into());
            }
            v
        };
        self.vault = Some(vault);
        self.demo = true;
        self.idle.touch();
        Ok(self.status())
    }

    pub fn unlock(
        &mut self,
        pass: &crate::vault::Passphrase,
        demo: bool,
    ) -> Result<Status, AppError> {
        self.lock();
        let dir = if demo {
            self.dirs.demo_in(self.lang())
        } else {
            self.dirs.vault.clone()
        };
        self.vault = Some(crate::vault::Vault::unlock(&dir, pass)?);
        self.demo = demo;
        self.idle.touch();
        self.note_purge_due(pass);
        Ok(self.status())
    }

    /// Drops the open vault (zeroizing its key) and releases its lock, and
    /// any previewed export or import (a decrypted file among them).
    pub fn lock(&mut self) -> Status {
        self.vault = None;
        self.handoff = handoff::Pending::default();
        self.purge_pass = None;
        // Whatever was running has stopped: the next operation may run.
        self.stop.store(false, std::sync::atomic::Ordering::Relaxed);
        self.status()
    }

    /// Locks now if a vault is open (the screen locked, the system is about
    /// to sleep); says whether it did.
    pub fn lock_if_open(&mut self) -> bool {
        let open = self.vault.is_some();
        self.lock();
        open
    }

    pub fn touch(&mut self) {
        self.idle.touch();
    }

    /// Locks when idle past the setting; says whether it did.
    pub fn lock_if_idle(&mut self, now: Instant, now_wall: SystemTime) -> bool {
        let minutes = self.settings.auto_lock_minutes;
        if self.vault.is_some() && self.idle.expired(minutes, now, now_wall) {
            self.lock();
            true
        } else {
            false
        }
    }

    /// Checks the passphrase of the open vault again (re-authentication
    /// before a security setting changes), without closing it.
    fn reauthenticate(&mut self, pass: &crate::vault::Passphrase) -> Result<(), AppError> {
        let vault = self.vault.as_ref().ok_or(AppError::Locked)?;
        vault.check_passphrase(pass)?;
        Ok(())
    }

    pub fn set_auto_lock(
        &mut self,
        minutes: u32,
        pass: &crate::vault::Passphrase,
    ) -> Result<Status, AppError> {
        if !AUTO_LOCK_RANGE.contains(&minutes) {
            return Err(AppError::AutoLockRange);
        }
        self.reauthenticate(pass)?;
        let mut next = self.settings.clone();
        next.auto_lock_minutes = minutes;
        next.save(&self.dirs.settings)?;
        self.settings = next;
        Ok(self.status())
    }

    pub fn change_passphrase(
        &mut self,
        current: &crate::vault::Passphrase,
        new: &crate::vault::Passphrase,
    ) -> Result<(), AppError> {
        new.check_new()?;
        self.reauthenticate(current)?;
        let kdf = self.kdf;
        self.vault()?.change_passphrase(new, kdf)?;
        Ok(())
    }

    /// Panic wipe: destroys the open vault, and the chapter's vault in any
    /// case (even when the sample chapter is what is open), and the sample.
    /// With `remove_files`, also the handoff and backup files the open vault
    /// wrote (the list `Status::wipe_files` showed), after the vaults: a file
    /// that cannot be removed (a drive taken out) is skipped.
    pub fn panic_wipe(
        &mut self,
        confirmation: &str,
        remove_files: bool,
    ) -> Result<Status, AppError> {
        if !wipe_confirmed(confirmation) {
            return Err(AppError::WipeWord);
        }
        self.handoff = handoff::Pending::default();
        let files = match (&self.vault, remove_files) {
            (Some(v), true) => v.written_files(),
            _ => Vec::new(),
        };
        if let Some(v) = self.vault.take() {
            v.destroy()?;
        }
        let demos = Lang::ALL.map(|l| self.dirs.demo_in(l));
        for dir in std::iter::once(&self.dirs.vault).chain(&demos) {
            if crate::vault::Vault::exists(dir) {
                crate::vault::Vault::wipe(dir)?;
            }
        }
        for file in files {
            let _ = crate::vault::shred(&file);
        }
        self.demo = false;
        Ok(self.status())
    }
}

#[cfg(test)]
mod error_tests {
    use super::AppError as E;
    use crate::error::{missing_ids, Localize};

    /// Every variant of the app's errors has what went wrong and what to do
    /// in both languages.
    #[test]
    fn every_app_error_speaks_both_languages() {
        let all = crate::every_variant!(E {
            E::Locked => E::Locked,
            E::WipeWord => E::WipeWord,
            E::AutoLockRange => E::AutoLockRange,
            E::Stale => E::Stale,
            E::FilePassShort => E::FilePassShort,
            E::NoPath => E::NoPath,
            E::DemoOwnPassphrase => E::DemoOwnPassphrase,
            E::BadPeriod => E::BadPeriod,
            E::Held => E::Held,
            E::ReportWrite(_) => E::ReportWrite("r.html".into()),
            E::Vault(_) => E::Vault(crate::vault::Error::InUse),
            E::Handoff(_) => E::Handoff(crate::handoff::Error::NotAge),
            E::Csv(_) => E::Csv(crate::csv::Error::Empty),
        });
        let all: Vec<&dyn Localize> = all.iter().map(|e| e as &dyn Localize).collect();
        assert_eq!(missing_ids(&all), Vec::<String>::new());
        assert_eq!(E::Held.recovery(), "rec-held-app");
    }
}
