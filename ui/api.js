// The one module that talks to the desktop shell.
//
// Every backend command has exactly one function here; the rest of the UI
// imports these and never calls `invoke` itself, so the whole IPC surface of
// the interface can be read in one screen. Arguments are passed as the
// camelCase objects Tauri expects. A failed command rejects with the
// backend's `{kind, message, field?}` object, `message` already in the
// person's language; callers show it, they do not translate it.

const core = () => window.__TAURI__.core;

function call(command, args) {
  return core().invoke(command, args || {});
}

export async function appStatus() {
  return call('app_status');
}

export async function setLang(lang) {
  return call('set_lang', { lang });
}

export async function messages() {
  return call('messages');
}

export async function passphraseStrength(passphrase) {
  return call('passphrase_strength', { passphrase });
}

export async function createVault(passphrase) {
  return call('create_vault', { passphrase });
}

export async function openDemo(passphrase) {
  return call('open_demo', { passphrase });
}

export async function unlock(passphrase, demo) {
  return call('unlock', { passphrase, demo: Boolean(demo) });
}

export async function lock() {
  return call('lock');
}

export async function touch() {
  return call('touch');
}

export async function home() {
  return call('home');
}

export async function list(kind) {
  return call('list', { kind });
}

export async function search(query) {
  return call('search', { query });
}

export async function details(id) {
  return call('details', { id });
}

export async function formSpec(kind) {
  return call('form_spec', { kind });
}

export async function save(id, kind, pairs) {
  return call('save', { id: id || null, kind, pairs });
}

export async function deleteRecord(id) {
  return call('delete_record', { id });
}

export async function setAutoLock(minutes, passphrase) {
  return call('set_auto_lock', { minutes, passphrase });
}

export async function changePassphrase(current, next) {
  return call('change_passphrase', { current, new: next });
}

export async function panicWipe(confirmation) {
  return call('panic_wipe', { confirmation });
}

/** Calls `callback` when the backend locks the vault after idle time. */
export function onLocked(callback) {
  return window.__TAURI__.event.listen('vault-locked', () => callback());
}
