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

export async function openDemo() {
  return call('open_demo', {});
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

export async function panicWipe(confirmation, removeFiles) {
  return call('panic_wipe', { confirmation, removeFiles: Boolean(removeFiles) });
}

// ---- steward handoff

export async function handoffDefaults() {
  return call('handoff_defaults');
}

export async function identity() {
  return call('identity');
}

export async function setOwnName(name) {
  return call('set_own_name', { name });
}

export async function stewards() {
  return call('stewards');
}

/** `key`: the steward's card, or a bare `age1…` key. */
export async function addSteward(name, key, replace) {
  return call('add_steward', { name, key, replace: Boolean(replace) });
}

export async function verifySteward(name) {
  return call('verify_steward', { name });
}

export async function removeSteward(name) {
  return call('remove_steward', { name });
}

export async function revokeSteward(name, reason) {
  return call('revoke_steward', { name, reason: reason || null });
}

/**
 * What an export would hold. choose: {by: 'all'} | {by: 'campaign', id} |
 * {by: 'search', query} | {by: 'ids', ids}; to: {by: 'stewards', names} |
 * {by: 'passphrase'}. Resolves to a preview with a `token` for `exportFile`.
 */
export async function exportPreview(choose, includeSensitive, to) {
  return call('export_preview', { choose, includeSensitive: Boolean(includeSensitive), to });
}

/** Writes the export previewed as `token` (a passphrase export needs `passphrase`). */
export async function exportFile(token, path, passphrase) {
  return call('export', { token, path, passphrase: passphrase || null });
}

export async function importPreview(path, passphrase) {
  return call('import_preview', { path, passphrase: passphrase || null });
}

export async function importApply(token, acceptWarnings) {
  return call('import_apply', { token, acceptWarnings: Boolean(acceptWarnings) });
}

export async function conflicts() {
  return call('conflicts');
}

/** choice: {by: 'whole', side: 'mine'|'theirs'} | {by: 'fields', fields: [[name, side]…]}. */
export async function resolve(id, choice) {
  return call('resolve', { id, choice });
}

export async function auditLog() {
  return call('audit_log');
}

export async function backup(path, passphrase) {
  return call('backup', { path, passphrase: passphrase || null });
}

/** Calls `callback` when the backend locks the vault after idle time. */
export function onLocked(callback) {
  return window.__TAURI__.event.listen('vault-locked', () => callback());
}

// ---- consent, reports and the free-text guard (issue 12)

/** A person's consent: states, history, the words to read in both languages. */
export async function consent(id) {
  return call('consent', { id });
}

/** Records a consent answer ({contact, share, how, date, lang}) or a withdrawal ({withdraw: true}). */
export async function recordConsent(id, form) {
  return call('record_consent', { id, form });
}

/** People recorded before consent records existed. */
export async function consentToConfirm() {
  return call('consent_to_confirm');
}

/** The printable bilingual paper consent form (HTML for a sandboxed frame). */
export async function consentForm() {
  return call('consent_form');
}

/** Whether text typed into a form seems to record immigration status. */
export async function mentionsStatus(pairs) {
  return call('mentions_status', { pairs });
}

/** The quarter the Reports screen offers first (2026-Q4). */
export async function reportPeriod() {
  return call('report_period');
}

/** A report for a period typed as text: {title, period, html, figures}. */
export async function reportView(period) {
  return call('report_view', { period });
}

/** Saves the report as one self-contained HTML file; resolves to the path. */
export async function saveReport(period, path) {
  return call('save_report', { period, path });
}

/** Writes the printable paper consent form (self-contained HTML) to `path`. */
export async function saveConsentForm(path) {
  return call('save_consent_form', { path });
}

/** The retention rules and the hold, for Settings. */
export async function retention() {
  return call('retention');
}

/** Sets the rules ({rules: [[rule, age]], hold, reason}) after the passphrase is typed again. */
export async function setRetention(form, passphrase) {
  return call('set_retention', { form, passphrase });
}

/** The purge offered at unlock ({counts, text}), or null. */
export async function purgeDue() {
  return call('purge_due');
}

export async function purgeNow() {
  return call('purge_now');
}

export async function purgeLater() {
  return call('purge_later');
}

// ---- spreadsheets (CSV) and native file dialogs

/** What importing the CSV at `path` would do; map: [[column, field]…]. */
export async function csvPreview(path, kind, map) {
  return call('csv_preview', { path, kind, map: map || [] });
}

export async function csvImport(path, kind, map, skipInvalid) {
  return call('csv_import', { path, kind, map: map || [], skipInvalid: Boolean(skipInvalid) });
}

export async function csvExport(kind, path, includeSensitive) {
  return call('csv_export', { kind, path, includeSensitive: Boolean(includeSensitive) });
}

/**
 * The system's "open file" dialog (Tauri's dialog plugin, offline). Resolves
 * to the chosen path, or null if the person closed it. filters: [{name, extensions}].
 */
export async function chooseFile(title, filters) {
  const picked = await call('plugin:dialog|open', {
    options: { title, filters: filters || [], multiple: false, directory: false },
  });
  return typeof picked === 'string' ? picked : null;
}

/** The system's "save as" dialog; resolves to the chosen path, or null. */
export async function choosePlace(title, defaultPath, filters) {
  const picked = await call('plugin:dialog|save', {
    options: { title, defaultPath: defaultPath || undefined, filters: filters || [] },
  });
  return typeof picked === 'string' ? picked : null;
}

/** Calls `callback(paths)` when files are dropped on the window. */
export function onDrop(callback) {
  return window.__TAURI__.event.listen('tauri://drag-drop', (e) => {
    const paths = (e && e.payload && e.payload.paths) || [];
    callback(paths);
  });
}

/** A picker's offers: a few records of `kind` matching `query`. */
export async function pick(kind, query) {
  return call('pick', { kind, query });
}

/** Names for the ids a form already links to. */
export async function itemsOf(ids) {
  return call('items_of', { ids });
}

// ---- sign-in at the door

export async function doorTexts() {
  return call('door_texts');
}

/** entry: {name, phone, lang, consent_contact, consent_share}. */
export async function signIn(note, entry) {
  return call('sign_in', { note, entry });
}

export async function leaveDoor(passphrase) {
  return call('leave_door', { passphrase });
}

// ---- pledge drives: paper batches, progress, signature sheet

export async function drive(id) {
  return call('drive', { id });
}

export async function addBatch(id, count, date, by) {
  return call('add_batch', { id, count: String(count || ''), date: date || null, by: by || null });
}

export async function signatureSheet(id, path) {
  return call('signature_sheet', { id, path });
}

// ---- restore from a backup (first screen and unlock screen)

/** key: {by: 'passphrase', passphrase} | {by: 'old_vault', folder, passphrase}. */
export async function restorePreview(path, key, place) {
  return call('restore_preview', { path, key, place: place || null });
}

export async function restore(path, key, place, passphrase) {
  return call('restore', { path, key, place: place || null, passphrase });
}
