## Aquí Estamos — English interface text.
## Every id here must also exist in ../es/aqui.ftl, with the same variables.

-app = Aquí Estamos

## Errors: what went wrong (err-*), then what to do (rec-*).

err-no-vault = There is no vault at { $dir } yet.
rec-no-vault = Create one with “aqui init”, or try the sample chapter with “aqui demo”. To use another folder, add --vault FOLDER.
err-vault-exists = There is already a vault at { $dir }.
rec-vault-exists = Nothing was changed. To start another vault, choose another folder with --vault FOLDER.
err-wrong-passphrase = That passphrase does not open this vault.
rec-wrong-passphrase = Check the spelling and the keyboard language, then try again. Nothing in the vault was changed.
err-vault-in-use = The vault is open in another window or program.
rec-vault-in-use = Close { -app } (or the other “aqui” command) and try again.
err-vault-damaged = The vault's files are damaged and cannot be read ({ $reason }).
rec-vault-damaged = Do not delete anything. Make a copy of the vault folder, then restore it from a backup or ask another steward for a handoff.
err-vault-too-new = This vault was made by a newer version of { -app } (format { $format }).
rec-vault-too-new = Update { -app } on this laptop, then open the vault again.
err-not-found = There is no record { $id } in this vault.
rec-not-found = Find the right id with “aqui search” or “aqui list”.
err-disk-full = The disk is full, so nothing was saved.
rec-disk-full = Free some space on this laptop and try again. What was saved before is safe.
err-io = The vault could not be read or written ({ $reason }).
rec-io = Check that the vault folder exists and that you may write to it, then try again.
err-invalid-field = { $field }: this value cannot be saved.
err-internal = Something went wrong inside { -app }.
rec-internal = Nothing was saved by this command. Please tell the people who maintain { -app }.

## Why the vault's files are damaged: the reason inside err-vault-damaged.

damage-header = the vault’s lock file (key.json) is damaged
damage-unknown-format = the key file names an unknown format, { $format }
damage-key-params = the settings in the key file are out of range
damage-data-key = the vault’s lock file is damaged
damage-store = the database files cannot be read
damage-encode = the data could not be prepared for saving
damage-record = a record could not be read, so nothing was changed

## What went wrong with a file: the reason inside err-io.

io-permission = permission denied
io-not-found = a file or folder is missing
io-read-only = the disk is read-only
io-os = system error { $code }
io-other = an unexpected error

## Problems with one field (shown after err-invalid-field).

problem-required = This is required.
problem-too-long = This is too long: at most { $max } characters.
problem-control-chars = This has hidden characters, often from pasting. Type it by hand.
problem-bad-date = This is not a whole date: give the day, the month and the year (on the command line as YEAR-MONTH-DAY, for example 2026-04-15).
problem-bad-number = Write a whole number from { $min } to { $max }.
problem-bad-phone = Write a phone number with digits, spaces and + - ( ) only.
problem-bad-email = Write an email address like name@example.org.
problem-bad-signal = Write a Signal phone number or username, like +1 555 0100 or name.42.
problem-bad-choice = Choose one of: { $allowed }.
problem-bad-bool = Write yes or no.
problem-bad-id = This is not a record id. Ids look like per_3f9a0c1e7b2d4a8e9f10.
problem-missing = There is no such record in this vault.
problem-wrong-kind = This must be { $expected }.
problem-unknown-field = There is no such field for this kind of record.
problem-too-many = There are too many: at most { $max }.

## The command line.

rec-usage = Run “aqui help” to see what you can do.
err-no-command = Say what to do, for example “aqui list person”.
err-unknown-command = “{ $command }” is not a command of aqui.
err-missing-arg = Missing: { $what }.
err-unknown-kind = “{ $kind }” is not a kind of record. Use org, person, demand, campaign, pledge or note.
err-bad-id = “{ $id }” is not a record id.
err-unexpected-arg = “{ $arg }” was not expected here.
err-bad-lang = “{ $lang }” is not a language { -app } speaks. Use en or es.
err-missing-value = The option --{ $option } needs a value.
arg-kind = the kind of record (org, person, demand, campaign, pledge, note)
arg-id = the record id
arg-query = what to search for

err-pass-file = The passphrase file { $path } could not be read.
rec-pass-file = Check AQUI_PASSPHRASE_FILE: it must name a text file whose first line is the passphrase.
err-no-passphrase = No passphrase was given, and there is no terminal to ask for one.
rec-no-passphrase = Run the command in a terminal, or set AQUI_PASSPHRASE_FILE to a file holding the passphrase.
err-pass-empty = The passphrase is empty.
rec-pass-empty = Type the passphrase, then press Enter.
err-pass-mismatch = The two passphrases are not the same.
rec-pass-mismatch = Nothing was changed. Try again and type the same passphrase twice.
err-wipe-needs-yes = The panic wipe destroys this vault forever, so it needs --yes.
rec-wipe-needs-yes = If you are sure, run “aqui wipe --yes”.
err-demo-not-empty = This vault already has records; the sample chapter only goes into an empty vault.
rec-demo-not-empty = Try it in another folder: aqui demo --vault FOLDER.
err-no-default-dir = This computer has no folder for app data.
rec-no-default-dir = Choose where the vault lives with --vault FOLDER or AQUI_VAULT.

prompt-passphrase = Passphrase:
prompt-new-passphrase = New passphrase (a few words you will remember):
prompt-repeat-passphrase = Type it again:
warn-short-passphrase = Tip: a longer passphrase (four or five words) is much harder to guess. A forgotten passphrase cannot be recovered.
warn-damaged = Warning: { $count ->
    [one] one record is damaged and could not be read
   *[other] { $count } records are damaged and could not be read
  } ({ $ids }). The rest of the vault is shown.

vault-created = Vault created at { $dir }. Keep the passphrase safe: if it is forgotten, nobody can recover the vault.
demo-filled = The sample chapter ({ $count ->
    [one] one record
   *[other] { $count } records
  }, all fictional) is in the vault at { $dir }.
saved = Saved { $id }.
deleted = Deleted { $id }.
passphrase-changed = The passphrase was changed. Use the new one from now on.
wiped = The vault at { $dir } was destroyed. Its data can no longer be decrypted.

help-main =
    { -app }: your chapter's coalition work, encrypted on this laptop.

    Usage: aqui [--vault FOLDER] [--lang en|es] [--json] COMMAND

      init                      create a new vault
      demo                      create a vault with a fictional sample chapter
      add KIND --FIELD VALUE…   add a record (org, person, demand, campaign, pledge, note)
      list KIND                 list the records of one kind
      show ID                   show every field of a record
      edit ID --FIELD VALUE…    change fields (--remove-tag T removes from a list)
      delete ID                 delete a record
      search WORDS              search names, aliases, organizations, tags, titles and notes
      passwd                    change the passphrase
      wipe --yes                panic wipe: destroy this vault for good
      help [COMMAND]            this help, or one command's (also aqui COMMAND --help)
      consent ID [--contact yes|no] [--share yes|no] [--how H] [--date D] [--lang en|es] [--recorder PERSON_ID]
                                record a person's consent (H: in-person, paper, phone, signal, form, other)
      consent-form [--out FILE.html] [--lang en|es]
                                the printable paper consent form (both languages, or the one chosen)
      report (--period 2026-Q4 | --period 2026 | --from D --to D) [--out FILE.html]
                                a bulletin or annual report that names no one
      retention [set RULE AGE|off]  retention rules (note-body, note-attendees, inactive-person, log; AGE 90d, 6m, 2y)
      purge [--dry-run]         remove what the retention rules say is due (counts first)
      hold on|off [--reason T]  pause every purge

    Handing data to other stewards (files encrypted with age, signed by this vault):
      identity [--card] [--name N]        your steward key and fingerprint (--card: the card to share)
      steward add --name N --card CARD    add a steward (or --key age1… for someone using plain age;
                                          --replace: new keys for a name already there)
      steward list | verify NAME [--fingerprint F] | remove NAME | revoke NAME [--reason TEXT]
      export --to STEWARD… (--all | --campaign ID | --id ID… | --search WORDS)
             --out FILE [--include-sensitive]       (or --passphrase instead of --to)
      import FILE [--dry-run] [--accept-warnings]
                                          preview, then merge (--dry-run: preview only)
      conflicts                           records edited here and elsewhere at the same time
      resolve ID --take mine|theirs|FIELD=mine|theirs…
      backup --out FILE [--passphrase] [--to STEWARD…]
                                          the whole vault in one encrypted file
      restore FILE --vault NEW_FOLDER [--from VAULT]
      log [--steward NAME]                every export, import, backup, restore and CSV (or only to or from NAME)

    Fields:
      org       --name N --kind K --immigrant-led --region R --relationship R --language L --contact ID --private
      person    --name N --alias A --phone P --email E --signal S --org ID[:role] --lang en|es
                --tag T --sensitive --no-share --consent-contact yes|no --last-contact DATE --next-follow-up DATE
      demand    --title T --target T --jurisdiction J --status S --partner ID --lead ID --campaign ID
      campaign  --name N --description D --partner ID
      pledge    --title T --goal N --deadline DATE --signer ID --paper-count N --campaign ID
      note      --title T --body B --date DATE --kind K --attendee ID --org ID --campaign ID
                --follow-up "TASK|DATE|PERSON_ID" --done N --headcount N

    Dates are written YEAR-MONTH-DAY (2026-04-15).
    A follow-up task may contain |, if all four parts are given: "TASK|DATE|PERSON_ID|done" (any may be empty).
    The passphrase is read from AQUI_PASSPHRASE_FILE, else AQUI_PASSPHRASE, else asked for.
    A file's own passphrase (export --passphrase, import, restore) is read from AQUI_EXPORT_PASSPHRASE_FILE, else asked for.
    The vault folder is --vault, else AQUI_VAULT, else this computer's app data folder.
    Help for one command: aqui help COMMAND (or aqui COMMAND --help).

## Words used in output.

yes = yes
no = no
deleted-ref = (deleted: { $id })
immigrant-led = immigrant-led
sensitive-mark = sensitive
partners-count = { $count ->
    [one] one partner
   *[other] { $count } partners
  }
pledge-progress = { $progress } of { $goal } · deadline { $deadline }
list-empty = No { $kind } records yet.
search-empty = Nothing found.
days-left = { $days ->
    [0] the deadline is today
    [one] one day left
   *[other] { $days } days left
  }
due-on = due { $date }
date-format = { $month } { $day }, { $year }

month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

lang-en = English
lang-es = Spanish

## Kinds of record.

kind-org = organization
kind-person = person
kind-demand = demand
kind-campaign = campaign
kind-pledge = pledge drive
kind-note = note

org-kind-community = immigrant-led or community group
org-kind-worker-center = worker center
org-kind-union = union
org-kind-faith = faith group
org-kind-student = student group
org-kind-legal-aid = legal aid
org-kind-elected-office = elected office
org-kind-agency = agency
org-kind-other = other

relationship-partner = partner
relationship-prospect = possible partner
relationship-target = target
relationship-other = other

status-drafting = drafting
status-active = active
status-won = won
status-lost = lost
status-shelved = shelved

note-kind-meeting = meeting
note-kind-action = action
note-kind-call = call
note-kind-training = training
note-kind-other = other

## Field labels.

field-name = Name
field-kind = Kind
field-org-kind = Kind of organization
field-note-kind = Kind of note
field-immigrant-led = Immigrant-led
field-region = Region
field-relationship = Relationship
field-language = Languages
field-remove-language = Language to remove
field-contact = Our contact
field-alias = Alias
field-phone = Phone
field-email = Email
field-signal = Signal
field-lang = Preferred language
field-org = Organizations
field-remove-org = Organization to remove
field-role = Role
field-tag = Tags
field-remove-tag = Tag to remove
field-sensitive = Sensitive
field-share = Consent to share
field-consent-share = Consent to share with other stewards
field-no-share = Do not share
field-consent-contact = Consent to contact
field-last-contact = Last contact
field-next-follow-up = Next follow-up
field-title = Title
field-target = Decision-maker
field-jurisdiction = Jurisdiction
field-status = Status
field-history = Status history
field-partner = Partners
field-remove-partner = Partner to remove
field-lead = Lead organization
field-campaign = Campaign
field-description = Description
field-goal = Goal
field-progress = Signatures so far
field-deadline = Deadline
field-signer = Signers
field-remove-signer = Signer to remove
field-paper-count = Paper signatures
field-body = Text
field-date = Date
field-attendee = Attendees
field-remove-attendee = Attendee to remove
field-follow-up = Follow-ups
field-done = Follow-up done
field-due = Due
field-who = Who
field-demands = Demands
field-pledges = Pledge drives
field-notes = Notes

## The desktop app: passphrase strength and the panic wipe.

strength-too-short = Too short: use at least { $min } characters. A few words you will remember work best.
strength-weak = Weak: add a few more words.
strength-fair = Fair. One or two more words would make it strong.
strength-strong = Strong.
wipe-word = DESTROY
err-locked = The vault is locked.
rec-locked = Unlock it with your passphrase to continue.
err-wipe-word = The word you typed does not match, so nothing was destroyed.
rec-wipe-word = Type the word exactly as shown to confirm the panic wipe.
err-pass-short = That passphrase is too short to protect this vault.
rec-pass-short = Use at least 8 characters; a few words you will remember work best.
err-auto-lock-range = The auto-lock time must be between 1 and 240 minutes.
rec-auto-lock-range = Choose a number of minutes in that range and save again.

## Desktop app screens

# The desktop app's own text (ui/). Each screen's words are here; field
# labels, kinds and choices come from the sections above.

ui-app-name = { -app }
ui-skip = Skip to the main content
ui-lang-group = Language
ui-lang-en = English
ui-lang-es = Español
ui-error-unknown = Something went wrong and nothing was changed. Try again; if it keeps happening, lock the app and open it again.

# Start: no vault yet.

ui-start-heading = Welcome to { -app }
ui-start-intro = Keep your chapter's coalition work (partner organizations, people, demands, pledge drives and meeting notes) encrypted on this laptop, ready even without internet.
ui-create-heading = Create your vault
ui-create-explain = The vault is where everything is kept, locked with a passphrase. Choose a few words you will remember, like a short sentence.
ui-passphrase = Passphrase
ui-passphrase-repeat = Type the passphrase again
ui-forgot-warning = If the passphrase is forgotten, nobody can open the vault again — not you, not another organizer, not the people who make { -app }. There is no reset. Write it down and keep it somewhere safe.
ui-create-button = Create the vault
ui-creating = Creating the vault… this takes a few seconds.
ui-vault-created = Your vault is ready. Everything you add stays encrypted on this laptop.
ui-demo-heading = Try the sample chapter (fictional)
ui-demo-explain = A made-up chapter to look around in, in a separate vault that never mixes with real records. It asks for no passphrase of yours: everything in it is fictional, so its passphrase is always “sample chapter”.
ui-demo-button = Open the sample chapter
ui-creating-demo = Making the sample chapter… this takes a few seconds.
ui-demo-opened = This is the sample chapter. Everyone and everything in it is fictional.

# Unlock: the vault exists and is locked.

ui-unlock-heading = Unlock your vault
ui-unlock-explain = Type your passphrase to open your chapter's records.
ui-unlock-button = Unlock
ui-unlock-demo-button = Open the sample chapter instead
ui-opening = Opening the vault… this takes a few seconds.
ui-locked = The vault is locked. Nothing can be read without the passphrase.
ui-locked-idle = The vault locked itself because nobody used it for a while. Type your passphrase to continue.

# Header and navigation.

ui-demo-badge = Sample chapter — fictional
ui-search-label = Search
ui-search-placeholder = Names, aliases, organizations, tags, notes…
ui-search-button = Search
ui-meeting-mode = Meeting mode
ui-meeting-mode-explain = Hides phone numbers, Signal, emails and people marked sensitive, for a shared screen or a projector.
ui-meeting-on-badge = Meeting mode is on
ui-meeting-on = Meeting mode is on: phone numbers, Signal, emails and sensitive people are hidden.
ui-meeting-off = Meeting mode is off: contact details are shown again.
ui-lock = Lock
ui-lock-explain = Lock the vault now. You will need the passphrase to open it again.
ui-nav-label = Sections
ui-nav-home = Home
ui-nav-org = Organizations
ui-nav-person = People
ui-nav-demand = Demands
ui-nav-campaign = Campaigns
ui-nav-pledge = Pledge drives
ui-nav-note = Notes
ui-nav-settings = Settings
ui-mask = •••
ui-masked = (hidden in meeting mode)

# Home.

ui-home-heading = Coming up
ui-followups-heading = Follow-ups due in the next two weeks
ui-followups-empty = No follow-ups are due in the next two weeks.
ui-overdue = Overdue
ui-drives-heading = Pledge drives under way
ui-drives-empty = No pledge drive is running right now.

# Lists and search.

ui-add-org = Add an organization
ui-add-person = Add a person
ui-add-demand = Add a demand
ui-add-campaign = Add a campaign
ui-add-pledge = Add a pledge drive
ui-add-note = Add a note
ui-empty-org = No organizations yet. Add the groups you work with.
ui-empty-person = No people yet. A first name or an alias is enough.
ui-empty-demand = No demands yet.
ui-empty-campaign = No campaigns yet.
ui-empty-pledge = No pledge drives yet.
ui-empty-note = No notes yet.
ui-results-heading = Search results
ui-results-for = You searched for:

# One record.

ui-back = ← Back
ui-edit = Edit
ui-delete = Delete
ui-delete-question = Delete this record for good? This cannot be undone.
ui-delete-confirm = Yes, delete it
ui-delete-cancel = No, keep it
ui-deleted = The record was deleted.

# Adding and editing.

ui-edit-heading = Edit:
ui-required = (required)
ui-required-note = Fields marked (required) must be filled in. Everything else can wait.
ui-none-option = — none —
ui-links-empty = There is nothing to choose here yet.
ui-texts-hint = Separate several with commas.
ui-task = Task
ui-done = Done
ui-add-follow-up = Add a follow-up
ui-remove-follow-up = Remove this follow-up
ui-save = Save
ui-cancel = Cancel
ui-saved = Saved.

# Settings.

ui-settings-heading = Settings
ui-auto-lock-heading = Automatic lock
ui-auto-lock-explain = The vault locks itself after this many minutes without use, so a laptop left open does not stay open. To change it, type your passphrase.
ui-auto-lock-minutes = Minutes without use (1 to 240)
ui-auto-lock-save = Save the automatic lock
ui-auto-lock-saved = The automatic lock was changed.
ui-auto-lock-range = Write a whole number of minutes from 1 to 240.
ui-change-pass-heading = Change the passphrase
ui-change-pass-explain = Your records stay as they are; only the passphrase that opens them changes.
ui-current-pass = Current passphrase
ui-new-pass = New passphrase
ui-new-pass-repeat = Type the new passphrase again
ui-change-pass-button = Change the passphrase
ui-wipe-heading = Panic wipe
ui-wipe-explain = The panic wipe destroys this vault's key, so nobody can ever read its records again — not even with the passphrase. Records not handed to another steward are lost for good.
ui-wipe-when = Use it only in an emergency, for example if this laptop is about to be taken. You will have 10 seconds to cancel.
ui-wipe-type = To confirm, type this word:
ui-wipe-start = Start the panic wipe
ui-wipe-started = The panic wipe has started. Press Cancel (or Escape) to stop it.
ui-wipe-countdown = The vault will be destroyed in { $count ->
    [one] one second.
   *[other] { $count } seconds.
  }
ui-wipe-cancel = Cancel — keep the vault
ui-wipe-cancelled = The panic wipe was cancelled. Nothing was destroyed.
ui-wipe-wrong-word = Type the word exactly as it is shown to start the panic wipe.
ui-wiped = The vault was destroyed. Nobody can read its records any more.

## More messages of the core.

err-app-start = { -app } could not start.
err-detail = Technical detail for the people who maintain { -app } (in English): { $detail }
deadline-passed = the deadline has passed
problem-bad-char = This cannot contain “{ $char }”.
problem-in-use = Another record already has this id.
ui-deleted-record = deleted record

## Steward handoff: export, import, conflicts, audit log, backup.

err-bad-key = That isn’t a steward key.
rec-bad-key = Ask the steward for their card and paste all of it, with nothing before or after.
err-bad-card = That is not a steward card from { -app }.
rec-bad-card = Ask the steward for their card again (“aqui identity --card”, or Handoff → My steward card in the app) and copy all of it.
err-bad-steward-name = A steward’s name must be 1 to 100 characters, on one line, and must not look like a key.
rec-bad-steward-name = Use the name you know them by, for example “Ana (Riverbend)”.
err-no-steward = There is no steward named “{ $name }” in this vault.
rec-no-steward = See your stewards with “aqui steward list”, or add one with “aqui steward add”.
err-fingerprint-mismatch = The fingerprint you typed does not match this steward's keys.
rec-fingerprint-mismatch = Do not send them anything yet. Ask for their card again, in person, and compare the fingerprint once more.
err-no-recipients = No steward was chosen to receive the file.
rec-no-recipients = Choose at least one steward, or encrypt the file with a passphrase.
err-no-file = The file { $path } cannot be opened.
rec-no-file = Nothing was changed. Check the file's name and folder, and that the USB stick or drive is still connected.
err-not-age = This file isn’t a handoff from { -app }.
rec-not-age = Nothing was changed. Ask the steward who sent it to export it again.
err-not-for-you = This file was not encrypted for this vault.
rec-not-for-you = Nothing was changed. Give the sender your steward card, and ask them to export again to you.
err-needs-passphrase = This file is locked with a passphrase.
rec-needs-passphrase = Nothing was changed yet. Type the file's passphrase (the one the sender told you, not your vault's).
err-export-wrong-passphrase = That passphrase does not open this file.
rec-export-wrong-passphrase = Nothing was changed. Check the passphrase with the person who made the file.
err-too-much-work = This file asks for more memory to open than { -app } allows.
rec-too-much-work = Nothing was changed. Ask the sender to export again from { -app }.
err-truncated = The file is incomplete: it was cut off while copying or downloading.
rec-truncated = Nothing was changed. Copy the file again from where it came from.
err-altered = The file is damaged, incomplete or was altered after it was made, so it cannot be trusted.
rec-altered = Nothing was changed. Copy it again from where it came from; if that does not help, ask the sender for a new copy and check how it reached you.
err-bundle-too-new = This file was made by a newer version of { -app } (format { $version }).
rec-bundle-too-new = Nothing was changed. Update { -app } on this laptop, then import the file again.
err-bad-bundle = The file's contents are not valid (line { $line }): { $problem }
rec-bad-bundle = Nothing was changed. Ask the sender to export again from { -app }.
problem-bundle-syntax = the text is not readable
problem-bundle-no-header = the description of the file is missing or wrong
problem-bundle-line-too-long = one entry is far too long
problem-bundle-count-mismatch = the number of records does not match what the file says
problem-bundle-after-end = something was added after the end
problem-bundle-bad-clock = a record's version information is wrong
problem-bundle-wrong-kind = a record is not the kind its id says
problem-bundle-invalid = { $detail }
err-duplicate-id = The file holds the record { $id } twice.
rec-duplicate-id = Nothing was changed. Ask the sender to export again from { -app }.
err-too-large = The file says it holds far more records than any vault could.
rec-too-large = Nothing was changed. This file was not made by { -app }; do not use it.
err-bad-signature = We can’t confirm who made this file: it may have been changed, or it was not made by a steward.
rec-bad-signature = Nothing was changed. Do not import it. Ask the sender, in person or by a call, whether they sent it.
err-not-backup = This file is a handoff, not a backup of a whole vault.
rec-not-backup = Nothing was changed. Import it into a vault with “aqui import FILE” (or Handoff → Import in the app).
err-is-backup = This file is a backup of a whole vault, not a handoff.
rec-is-backup = Nothing was changed. Restore it into a new folder with “aqui restore FILE --vault NEW_FOLDER”.
err-no-conflict = The record { $id } has no conflict to resolve.
rec-no-conflict = See the conflicts with “aqui conflicts”.
err-bad-take = “{ $field }” cannot be chosen here.
rec-bad-take = Use --take mine, --take theirs, or FIELD=mine / FIELD=theirs with a field that differs (see “aqui conflicts”). A deleted record can only be taken whole.
err-write = The file { $path } could not be written: { $detail }
rec-write = Nothing was exported. Check that the folder exists, that you may write there, and that the drive has space.

arg-out = the file to write (--out FILE)
arg-file = the file to read
arg-selection = what to export (--all, --campaign ID, --id ID… or --search WORDS)
arg-recipient = who receives the file (--to STEWARD_OR_AGE1_KEY, or --passphrase)
arg-name = the steward's name (--name N)
arg-steward-key = the steward's card (--card CARD) or key (--key age1…)
arg-take = what to keep (--take mine, --take theirs, or --take FIELD=mine…)
arg-steward-command = add, list, verify or remove

prompt-export-passphrase = Passphrase for the file:
prompt-export-repeat = Type it again:
prompt-file-passphrase = The file's passphrase:

count-kind = { $kind ->
    [org] { $count ->
        [one] one organization
       *[other] { $count } organizations
      }
    [person] { $count ->
        [one] one person
       *[other] { $count } people
      }
    [demand] { $count ->
        [one] one demand
       *[other] { $count } demands
      }
    [campaign] { $count ->
        [one] one campaign
       *[other] { $count } campaigns
      }
    [pledge] { $count ->
        [one] one pledge drive
       *[other] { $count } pledge drives
      }
   *[note] { $count ->
        [one] one note
       *[other] { $count } notes
      }
  }
count-deletions = { $count ->
    [one] one deletion
   *[other] { $count } deletions
  }

identity-key = Your steward key: { $key }
identity-fingerprint = Fingerprint: { $fingerprint }
identity-name = Name on your card: { $name }
identity-hint = Give other stewards your card (aqui identity --card). Read the fingerprint aloud with them: if theirs shows the same digits, they can mark you verified.
identity-named = The name on your card is now “{ $name }”.

steward-added = { $name } is in your stewards. Fingerprint: { $fingerprint }
steward-added-hint = Compare this fingerprint with { $name } in person or on a call. If it matches, run “aqui steward verify { $name }”.
steward-verified = { $name } is verified.
steward-removed = { $name } was removed from your stewards.
stewards-empty = No stewards yet. Add one with “aqui steward add --name NAME --card CARD”.
steward-state-verified = verified
steward-state-unverified = not verified
steward-state-key-only = key only: can open your files; files from them can’t be checked

trust-own = from this vault
trust-verified = from { $name }, a verified steward
trust-known = from { $name }, a known steward who is not verified yet
trust-unknown = from an unknown sender (fingerprint { $fingerprint })
trust-unknown-named = from an unknown sender who calls themselves “{ $name }” (fingerprint { $fingerprint })

export-preview = This file will hold:
export-excluded = Left out: { $sensitive } sensitive { $sensitive ->
    [one] person
   *[other] people
  } and { $noconsent } { $noconsent ->
    [one] person
   *[other] people
  } without consent to share. Add --include-sensitive to include them.
export-sensitive-included = Sensitive people and people without consent to share are included.
export-to = Who can open it: { $who }
export-to-passphrase = Who can open it: anyone with the passphrase.
export-written = Saved { $file }. { $to ->
    [passphrase] Anyone with its passphrase can open it.
   *[stewards] Only the stewards you chose can open it.
  }
export-empty = Nothing to export.
backup-written = Backed up the whole vault to { $file }.
restored = Restored { $count ->
    [one] one record
   *[other] { $count } records
  } into a new vault at { $dir }.

import-from = File { $trust }, made { $date }.
import-kind-line = { $kind }: { $new } new, { $updated } updated, { $deleted } deleted, { $unchanged } unchanged, { $conflict } in conflict
import-total = In all: { $new } new, { $updated } updated, { $deleted } deleted, { $unchanged } unchanged, { $conflict } in conflict.
import-dry-run = Nothing was changed (--dry-run). Run the same command without --dry-run to import.
import-applied = Imported. { $conflict ->
    [0] There are no conflicts.
    [one] One record was edited here and there at the same time: see “aqui conflicts”.
   *[other] { $conflict } records were edited here and there at the same time: see “aqui conflicts”.
  }
import-unknown-warning = Careful: this vault does not know the sender. Import only if you know who sent it and why.

conflicts-empty = No conflicts.
conflict-head = { $id } ({ $kind }) “{ $title }”, from { $from }
conflict-field = { $field }: my version “{ $mine }”, their version “{ $theirs }”
conflict-deleted-mine = deleted here
conflict-deleted-theirs = deleted by { $from }
conflict-hint = Keep one side with “aqui resolve ID --take mine” or “--take theirs”, or choose field by field: --take FIELD=mine FIELD=theirs.
resolved = The conflict on { $id } is resolved.

log-empty = No exports, imports or backups yet.
log-action-export = Export
log-action-import = Import
log-action-backup = Backup
log-action-restore = Restore
log-line = { $time } { $action }: { $counts }
log-to = to { $who }
log-from = from { $who }
log-passphrase = with a passphrase
log-sensitive-included = sensitive people included
log-excluded = { $count } { $count ->
    [one] person
   *[other] people
  } left out

## Desktop app: the Handoff screen (steward handoff).

err-preview-stale = Something changed since the summary was shown, so nothing was done.
rec-preview-stale = Look at the summary again, check it, then continue.
err-file-pass-short = That passphrase is too short to protect the file.
rec-file-pass-short = Use at least 8 characters; a few words work best. Tell it to the receiver in person or on a call, never together with the file.
err-no-path = The file's name is missing.
rec-no-path = Write the whole name of the file, with its folder.

ui-export-left-out = { $count ->
    [one] One person stays out
   *[other] { $count } people stay out
  } of this file: { $sensitive } marked sensitive and { $noconsent } without consent to share. To include them, check “Include people marked sensitive or without consent to share” and look at the summary again.
ui-import-left-out = The sender left out { $count ->
    [one] one person
   *[other] { $count } people
  } (marked sensitive or without consent to share).
ui-import-applied = Imported. { $conflict ->
    [0] There are no conflicts.
    [one] One record was edited here and by the sender at the same time: choose what to keep under Conflicts.
   *[other] { $conflict } records were edited here and by the sender at the same time: choose what to keep under Conflicts.
  }

ui-nav-handoff = Handoff
ui-handoff-heading = Steward handoff
ui-handoff-intro = The only way records leave this laptop: a file encrypted to the stewards who should read it. You see what a file will hold before it is written, and what it will change before it is imported.
ui-handoff-contents = On this screen
ui-conflicts-waiting = { $count ->
    [one] one conflict to resolve
   *[other] { $count } conflicts to resolve
  }
ui-home-conflicts-heading = Conflicts to resolve
ui-home-conflicts-explain = Some records were edited here and by another steward at the same time. Both versions are kept until you choose.
ui-conflicts-count-label = Records in conflict:
ui-home-conflicts-go = Resolve them now

ui-card-heading = My steward card
ui-card-explain = Other stewards need your card to send you files, and to know that files really come from you. Give it in person: let them scan the QR code or copy the card's text, then read your fingerprint aloud together.
ui-own-name = Name on your card
ui-own-name-hint = How other stewards know you, for example “Ana (Riverbend)”. It travels in your card and in every file you send.
ui-own-name-save = Save the name
ui-own-name-saved = The name on your card was saved.
ui-fingerprint = Fingerprint
ui-my-fingerprint-explain = Read these digits aloud with the other steward: their screen must show the same ones next to your name.
ui-qr-label = QR code of your steward card
ui-card-text = Your card (nothing in it is secret)
ui-card-copy = Copy the card
ui-card-copied = The card was copied. Paste it where the other steward can get it.
ui-card-selected = The card is selected: press Ctrl+C to copy it.
ui-age-key = Your steward key (for the command line)

ui-stewards-heading = Stewards
ui-stewards-explain = The stewards you can send files to, and whose files this vault recognizes. Mark one verified only after comparing their fingerprint with them, in person or on a call.
ui-stewards-empty = No stewards yet. Add one with their card.
ui-steward-add-heading = Add a steward
ui-steward-name = Their name
ui-steward-name-hint = Leave it empty to use the name on their card.
ui-steward-card = Their steward card (paste all of it)
ui-steward-add = Add the steward
ui-steward-added = Added. Now compare the fingerprint with them, in person or on a call, and mark them verified if it matches.
ui-steward-compare = Ask them to read their fingerprint aloud. It must be exactly:
ui-steward-verify = The digits match: mark verified
ui-steward-verified = Marked verified.
ui-steward-remove = Remove
ui-steward-remove-question = Remove this steward? Files already sent stay as they are.
ui-steward-remove-confirm = Yes, remove
ui-steward-remove-cancel = No, keep
ui-steward-removed = The steward was removed.

ui-export-heading = Export
ui-export-explain = Make a file for other stewards. Only those you choose can open it.
ui-export-what = What goes in the file
ui-export-all = Everything
ui-export-campaign = One campaign, with everything it links to
ui-export-campaign-choose = Campaign
ui-export-no-campaigns = There are no campaigns yet.
ui-export-search = The last search:
ui-export-search-none = The last search (search first, with the box at the top)
ui-export-record = This record:
ui-export-sensitive = Include people marked sensitive or without consent to share
ui-export-sensitive-warning = Only if the receiver truly needs them and those people agreed.
ui-export-to = Who can open it
ui-export-to-stewards = The stewards I choose
ui-export-to-passphrase = Anyone with a passphrase
ui-export-no-stewards = There are no stewards yet: add one, or choose a passphrase.
ui-export-pass = Passphrase for the file
ui-pass-repeat = Type it again
ui-export-pass-hint = Tell it to the receiver in person or on a call, never together with the file.
ui-export-preview = See what the file will hold
ui-export-path = Save the file as
ui-export-path-hint = The whole name of the file, with its folder (for example on a USB stick).
ui-export-go = Create the encrypted file
ui-exporting = Encrypting and saving the file…

ui-import-heading = Import
ui-import-explain = Open a file another steward sent you. First you see what it would change; nothing is saved until you confirm.
ui-import-path = The file to import
ui-import-pass = The file's passphrase
ui-import-pass-hint = The one the sender told you, not your vault's.
ui-import-preview = See what it would change
ui-import-opening = Opening and checking the file…
ui-import-table = What importing does, by kind
ui-import-col-kind = Kind
ui-import-col-new = New
ui-import-col-updated = Updated
ui-import-col-deleted = Deleted
ui-import-col-unchanged = Unchanged
ui-import-col-conflict = In conflict
ui-import-sensitive = This file includes people marked sensitive or without consent to share.
ui-import-apply = Import these changes
ui-import-cancel = Do not import
ui-import-cancelled = Nothing was imported.

ui-conflicts-heading = Conflicts
ui-conflicts-explain = These records were edited here and by another steward at the same time. Both versions are kept: choose, field by field, which one stays.
ui-conflict-from = Sent by
ui-conflict-received = received
ui-conflict-mine = Mine (this vault)
ui-conflict-theirs = Their version
ui-conflict-empty-value = (empty)
ui-conflict-deleted-theirs = deleted by the sender
ui-resolve-go = Keep these choices
ui-resolve-mine = Keep my version of everything
ui-resolve-theirs = Use their version of everything
ui-resolved = The conflict is resolved.

ui-log-heading = Handoff history
ui-log-explain = Every export, import and backup of this vault: when, how many of each kind, to or from whom. It never records what was in them.

ui-backup-heading = Backup
ui-backup-explain = One encrypted file with the whole vault: records, stewards, log and conflicts. Keep it away from this laptop, so that losing the laptop does not lose the work.
ui-backup-how = How to lock it
ui-backup-own = With this vault's own key: it opens only with this vault (good against damage, not against losing the laptop)
ui-backup-passphrase = With a passphrase: it opens anywhere with the passphrase (good against losing the laptop)
ui-backup-pass = Passphrase for the backup
ui-backup-path = Save the backup as
ui-backup-go = Create the backup
ui-backing-up = Saving the backup…
ui-backup-restore-hint = To restore it into a new vault, use the command line: aqui restore FILE --vault NEW_FOLDER.

ui-export-this = Export this record

## handoff safety (issue 9)
handoff-others = and { $count ->
    [one] one more person
   *[other] { $count } more people
  }
err-revoked = { $name } is a revoked steward: nothing goes to them, and their files are refused.
rec-revoked = Nothing was changed. If they have a new laptop and keys, add them again with “aqui steward add --name NAME --card CARD --replace” after comparing fingerprints in person.
err-steward-exists = There is already a steward called “{ $name }”, with other keys (fingerprint { $old }; the new one is { $new }).
rec-steward-exists = Compare the new fingerprint with them in person. If they really changed keys, run the same command with --replace.
err-import-warnings = Nothing was imported. This file carries warnings:
rec-import-warnings = Nothing was changed. Check with the sender, in person or by phone, who made it and for whom. To import it anyway, run the same command with --accept-warnings.
err-stopped = The vault locked while the file was being handled. Nothing was changed.
rec-stopped = Unlock and start again.
err-export-unreadable = A record could not be read while the file was being written, so nothing was exported and no file was saved.
rec-export-unreadable = Lock the vault, unlock it and try again. If it happens again, the vault may be damaged: do not delete anything, make a copy of the vault folder, and ask another steward for a handoff or restore from a backup.
warning-unknown-sender = The sender is not in your stewards: anyone can make a file like this.
warning-key-only = It says it comes from a steward you know only by their key, but there is no way to confirm that it does: it is not shown as theirs.
warning-not-for-us = It was made for other people and then passed on to you (forwarded).
warning-old-format = It comes from an older version of the app and does not say who it was made for.
warning-bad-sender-name = The sender's name had hidden or control characters, so it is not shown.
held-heading = Needs your decision: { $count ->
    [one] one change was not applied
   *[other] { $count } changes were not applied
  }. What you have stays until you choose (see “aqui conflicts”).
conflict-held = Held, not applied: { $reasons }. What you have stays until you choose.
held-line = { $kind } “{ $title }”: { $reasons }{ $fields }
held-fields = ; it would change { $fields }
held-unmarks = would remove the sensitive mark
held-widens-consent = would widen consent
held-restores = would bring back a deleted record
held-unverified = a change from a sender who is not a verified steward
held-forged-clock = claims edits this laptop never made
import-warning-line = Warning: { $warning }
import-accept-hint = Import anyway with --accept-warnings, once you have checked with the sender.
export-mentions = Careful: { $count ->
    [one] a note
   *[other] { $count } notes
  } in this file { $count ->
    [one] mentions
   *[other] mention
  } a left-out person by name: { $titles }. Their name travels in the text; edit the note, or leave it out of the export.
steward-state-revoked = revoked { $date }{ $reason }
steward-revoked = Revoked { $name }. Nothing will be exported to them, and their files will be refused.
steward-replaced = Replaced the keys of { $name }: old fingerprint { $old }, new { $new }.
log-steward-none = Nothing was ever sent to or received from { $name }.
field-others = Others, not named
ui-import-held = Needs your decision
ui-import-held-explain = These changes were not applied. What you have stays until you choose, field by field, under Conflicts.
ui-import-col-held = Needs your decision
ui-import-warnings = Before importing, check with the sender:
ui-import-accept = I checked with the sender, in person or by phone: import it anyway
ui-export-mentions = Some notes that will travel mention a left-out person by name:
ui-steward-revoke = Revoke
ui-steward-revoke-reason = Why (optional)
ui-steward-revoke-confirm = Revoke this steward? Nothing will be exported to them, and their files will be refused.

## What rests on disk: keys, integrity, wipe (issue 10)

err-vault-read-only = This vault is open read-only, so nothing was changed.
rec-vault-read-only = Something in the vault's files was changed outside { -app } (see the warning when it opened). You can still read everything. Make a copy of the vault folder, then restore a backup you trust into a new vault, or ask another steward for a handoff.
err-vault-tampered = Something in this vault's files was changed outside { -app }, so it is open read-only:
rec-vault-tampered = You can read everything that is there, but not change it. Do not delete anything. Make a copy of the vault folder, then restore a backup you trust into a new vault, or ask another steward for a handoff.
finding-seal-missing = the vault's seal (the list of what it holds) is missing or altered
finding-records-removed = { $count ->
    [one] one record was removed
   *[other] { $count } records were removed
}
finding-records-added = { $count ->
    [one] one record was added
   *[other] { $count } records were added
}
finding-records-replaced = one or more records were replaced by an older copy, or altered
finding-aux-changed = the list of stewards, the handoff history, the conflicts or this vault's steward keys were changed
finding-log-broken = entries of the handoff history are missing, out of order or replaced
ui-wipe-honest = On solid-state drives (SSD) and on some file systems, overwriting a file does not reach the old copies of its blocks: someone with the right tools may still recover pieces. What protects the vault is that its key is destroyed: without it, what remains cannot be decrypted. Turn on full-disk encryption on this laptop as well.
ui-wipe-files = Handoff and backup files this app wrote and that are still there. Nobody can read them without the right key or passphrase, but they show that handoffs happened. Remove them too?
ui-wipe-files-none = This app knows of no handoff or backup file it wrote that is still there. Files written with another copy of the app, or moved since, are not known: delete those yourself.
ui-wipe-files-also = Also remove these files
## Language and first start

err-demo-own-pass = The sample chapter on this computer was made with a passphrase of its own, so it does not open by itself.
rec-demo-own-pass = On the unlock screen, type that passphrase and choose “Open the sample chapter instead”.
ui-demo-leave = Leave the sample chapter
ui-demo-leave-explain = Closes the sample chapter and goes back to where you opened it.
ui-demo-left = You left the sample chapter. Nothing in it was real.
overdue-since = since { $date }
time-am = AM
time-pm = PM
ui-date-day = Day
ui-date-month = Month
ui-date-year = Year
ui-skip-nav = Skip to the menu
err-option-twice = --{ $option } was given twice, so it is not clear which one you mean.
rec-option-twice = Give --{ $option } once. Nothing was changed.
err-restore-needs-from = This backup is locked with the key of the vault it was made from, so that vault is needed to open it.
rec-restore-needs-from = There is no vault at { $dir }. Add --from FOLDER with the folder of the vault the backup came from (or a copy of it). Nothing was changed.
help-more = All commands: aqui help
help-init =
    aqui init
      Creates a new, empty vault, locked with a passphrase you choose (at least 8 characters; a few words are best).
      The folder is --vault FOLDER, else AQUI_VAULT, else this computer's app data folder.
help-demo =
    aqui demo [--vault FOLDER]
      Creates a vault with a fictional sample chapter, in the language of --lang, to try things in.
      It only goes into an empty vault, never among real records.
help-add =
    aqui add KIND --FIELD VALUE…
      Adds a record. KIND is org, person, demand, campaign, pledge or note.
      Fields:
        org       --name N --kind K --immigrant-led --region R --relationship R --language L --contact ID --private
        person    --name N --alias A --phone P --email E --signal S --org ID[:role] --lang en|es
                  --tag T --sensitive --no-share --consent-contact yes|no --last-contact DATE --next-follow-up DATE
        demand    --title T --target T --jurisdiction J --status S --partner ID --lead ID --campaign ID
        campaign  --name N --description D --partner ID
        pledge    --title T --goal N --deadline DATE --signer ID --paper-count N --campaign ID
        note      --title T --body B --date DATE --kind K --attendee ID --org ID --campaign ID
                  --follow-up "TASK|DATE|PERSON_ID" --headcount N
      Dates are written YEAR-MONTH-DAY (2026-04-15).
help-list =
    aqui list KIND
      Lists the records of one kind: org, person, demand, campaign, pledge or note.
help-show =
    aqui show ID
      Shows every field of one record.
help-edit =
    aqui edit ID --FIELD VALUE…
      Changes fields of a record, with the same fields as “aqui add”.
      --remove-tag T (and --remove-org, --remove-partner, …) removes one value from a list; --done N marks follow-up N done.
help-delete =
    aqui delete ID
      Deletes a record for good.
help-search =
    aqui search WORDS
      Finds records by names, aliases, organizations, tags, titles and notes, ignoring case and accents.
help-passwd =
    aqui passwd
      Changes the vault's passphrase (the new one: at least 8 characters). The records stay as they are.
help-wipe =
    aqui wipe --yes
      Panic wipe: destroys this vault for good. Nobody can read its records again, not even with the passphrase.
help-identity =
    aqui identity [--card] [--name N]
      Shows your steward key and its fingerprint. --card prints the card to give other stewards; --name N sets the name on it.
help-steward =
    aqui steward add --name N --card CARD     add a steward from their card (or --key age1… for someone without the app)
    aqui steward list                         the stewards this vault knows
    aqui steward verify NAME [--fingerprint F]  after comparing fingerprints in person or on a call (F: what you read, checked)
    aqui steward remove NAME
    aqui steward revoke NAME [--reason TEXT]  a seized laptop: nothing goes to them, their files are refused
      --replace (with add) gives a name already there new keys, after comparing fingerprints
help-export =
    aqui export --to STEWARD… (--all | --campaign ID | --id ID… | --search WORDS) --out FILE
      Makes a file for other stewards with what you choose: only they can open it.
      --to takes the name of a steward this vault knows (aqui steward list), or an age1… key.
      --passphrase         lock it with a passphrase (at least 8 characters) instead of --to (tell it in person, never with the file)
      --include-sensitive  include people marked sensitive or without consent to share
help-import =
    aqui import FILE [--dry-run] [--accept-warnings]
      Shows what a file from another steward would change, then merges it. --dry-run only shows.
      A file with warnings (unknown sender, forwarded, old format) is refused unless --accept-warnings.
help-conflicts =
    aqui conflicts
      Lists records edited here and by another steward at the same time, field by field.
help-resolve =
    aqui resolve ID --take mine|theirs
    aqui resolve ID --take FIELD=mine FIELD=theirs…
      Keeps one version of a conflicting record, whole or field by field.
help-backup =
    aqui backup --out FILE [--passphrase] [--to STEWARD…]
      Saves the whole vault in one encrypted file. Without --passphrase it opens only with this vault's key (and that of each --to steward).
help-restore =
    aqui restore FILE --vault NEW_FOLDER [--from VAULT]
      Restores a backup into a new vault, under a new passphrase of at least 8 characters. A backup made without --passphrase needs the vault it came from: --from VAULT.
help-log =
    aqui log [--steward NAME]
      Every export, import, backup, restore and spreadsheet (CSV) in or out of this vault: when, how many of each kind, to or from whom.
      --steward NAME: only what went to or came from them.
ui-yes = Yes
ui-no = No
ui-export-add-steward = Add a steward
demo-passphrase = Its passphrase is “{ $passphrase }”, the same as in the app: it holds only fictional data.
## Consent, reports, retention and the free-text guard (issue 12)

consent-state-not-asked = Not asked
consent-state-yes = Yes
consent-state-no = No
consent-how-in-person = in person
consent-how-paper = paper form
consent-how-phone = phone
consent-how-signal = Signal
consent-how-form = online form
consent-how-other = other
consent-topic-contact = Consent to contact
consent-topic-share = Consent to share
consent-before-records = recorded before consent records existed: to confirm
field-consent-record = Consent record
field-headcount = Headcount
field-private = Private (not named in reports)
field-recorder = Recorded by
consent-script = We keep a short, encrypted record of the people we organize with, on this laptop only. May we contact you about our work? And may we share your name and how to reach you with the few other organizers who hold these records? You can say no to either, and you can change your mind at any time: just tell us.
consent-form-title = Consent to be contacted and shared
consent-form-contact = You may contact me about this work.
consent-form-share = You may share my name and how to reach me with the other organizers who keep these records.
consent-form-name = Name or nickname
consent-form-how-to-reach = How to reach me (phone, Signal or email)
consent-form-signature = Signature
consent-form-date = Date
consent-form-withdraw = You can withdraw either consent at any time by telling any organizer. We never ask for or record immigration status.
arg-consent = what was answered (--contact yes|no and/or --share yes|no)
arg-period = the period (--period 2026-Q4, --period 2026, or --from DATE --to DATE)
arg-rule = the rule (note-body, note-attendees, inactive-person or log)
arg-age = how long (90d, 6m, 2y) or off
arg-on-off = on or off
err-bad-value = “{ $value }” cannot be read here.
err-report-write = The report could not be saved to { $path }.
rec-report-write = Nothing was saved. Check that the folder exists and that you may save files in it, or choose another folder, then try again.
report-written = The report was saved to { $path }. It names no one.
guard-status-cli = Warning: this text seems to record immigration status. This app should not record immigration status. It was saved anyway: edit it if it should not stay.
guard-status = This app should not record immigration status. Keep it?

report-title-bulletin = Quarterly bulletin
report-title-annual = Annual report
report-period = { $from } – { $to }
report-period-quarter = { $year }, quarter { $quarter }
report-none = None in this period.
report-demands = Demands
report-demands-won = { $count ->
    [0] No demand won in this period.
    [one] One demand won in this period.
   *[other] { $count } demands won in this period.
}
report-demand = Demand
report-demand-status = Status at the end of the period
report-demand-changes = Changes in the period
report-pledges = Pledge drives
report-pledge-line = { $progress } of { $goal } ({ $percent }%): { $named } named, { $paper } on paper
report-pledge-deadline = Deadline: { $date }
report-pledge-met = Goal met by the deadline
report-pledge-missed = Goal not met by the deadline
report-pledge-open = Still under way
report-activity = Meetings, trainings and actions
report-activity-kind = Kind
report-held = Held
report-headcount = People who came
report-total = Total
report-orgs = Partner organizations
report-orgs-count = { $count ->
    [one] One partner organization, { $new } new in this period.
   *[other] { $count } partner organizations, { $new } new in this period.
}
report-orgs-immigrant-led = { $count ->
    [one] One of them is immigrant-led ({ $percent }%).
   *[other] { $count } of them are immigrant-led ({ $percent }%).
}
report-orgs-by-kind = By kind
report-orgs-private = { $count ->
    [one] One partner is not named, at their request.
   *[other] { $count } partners are not named, at their request.
}
report-people = People
report-people-total = People in all: { $total } · new in this period: { $new }
report-people-by-lang = By preferred language
report-lang-unknown = not recorded
report-fewer-than = fewer than { $n }
report-follow-ups = Follow-ups
report-follow-ups-line = From this period's notes — done: { $done } · still open: { $open }
report-growth = Growth month by month
report-growth-people = People
report-growth-new = New
report-growth-activities = Meetings and actions
report-footer = Made with Aquí Estamos. No one is named in this report: people appear only as counts, and counts that break people down under { $n } are shown as “fewer than { $n }”.
err-bad-period = That period cannot be read.
rec-bad-period = Write a quarter (2026-Q4), a year (2026), or two dates (2026-01-01 2026-03-31).

ui-nav-reports = Reports
ui-reports-heading = Reports
ui-reports-explain = A quarterly bulletin or an annual report with no one in it: demands, pledge drives, meetings and actions, partners, and people only as counts. Counts under 5 that break people down show as “fewer than 5”.
ui-report-period = Period
ui-report-show = Show the report
ui-report-frame = The report
ui-report-path = Save the report as
ui-report-save = Save
ui-report-print = Print
ui-report-saved = The report was saved:
ui-consent-confirm-heading = Consent to confirm
ui-consent-confirm-explain = These people were recorded before consent records existed. They keep what they had; when you next see them, ask again and record their answer.
ui-consent-open = Consent
ui-consent-heading = Consent
ui-consent-read = Read this to the person, in their language
ui-consent-how = How it was given
ui-consent-lang = In which language
ui-consent-save = Record the answer
ui-consent-withdraw = Withdraw both consents
ui-consent-form-show = Paper consent form
ui-consent-close = Close
ui-consent-history = History
ui-consent-history-empty = No consent recorded yet.
ui-consent-leave = (leave as it is)
ui-consent-how-blank = (not said)
ui-consent-saved = The answer was recorded.
ui-consent-withdrawn = Consent was withdrawn: this person stays out of exports.
ui-guard-edit = Edit the text
ui-guard-keep = Keep it

retention-rule-note-body = Note text after
retention-rule-note-attendees = Note attendee lists after
retention-rule-inactive-person = People with no activity after
retention-rule-log = Handoff history entries after
retention-off = off
retention-hold-on = A hold is on (since { $since }): no purge will run. Reason: { $reason }
retention-hold-off = No hold: purges run when they are due.
purge-counts = Due to be removed — notes that lose their text: { $bodies } · notes that lose their attendee list: { $attendees } · people with no activity: { $people } · handoff history entries that lose their names: { $log }. Dates, kinds, headcounts and totals stay.
purge-dry-run = Nothing was removed (a dry run).
purge-done = Purged. The totals of the past are unchanged.
retention-purged-person = (purged)
err-held = A hold is on: nothing was purged.
rec-held = Turn the hold off (aqui hold off) once the legal request is settled.
arg-reason = why (--reason TEXT)
rec-held-app = Turn the hold off in Settings once the legal request is settled.
ui-hold-heading = A hold is on
ui-purge-heading = Due under the retention rules
ui-purge-now = Purge now
ui-purge-later = Postpone
ui-purge-postponed = Postponed: you will be asked again at the next unlock.
ui-retention-heading = Retention
ui-retention-explain = Decide in advance how long to keep identities and text. Each rule is off until you say how long. A purge keeps what reports count: dates, kinds, headcounts and totals.
ui-retention-age-hint = How long, like 90d (days), 6m (months) or 2y (years); empty turns the rule off.
ui-hold-label = Hold: pause every purge (a subpoena or other legal request arrived)
ui-hold-reason = Reason for the hold
ui-retention-save = Save the rules
ui-retention-saved = The retention rules were saved.
backup-retention-rules = Retention rules it brings back: { $rules }.
backup-retention-hold = It brings back a hold (since { $since }): no purge will run. Reason: { $reason }
## Organizer workflows: spreadsheets, paper signatures

help-csv =
    Spreadsheets and paper signatures:
      csv import FILE --kind person|org [--map COLUMN=FIELD]… [--dry-run] [--skip-invalid]
                                          bring people or organizations in from a CSV file (preview first)
      csv export person|org --out FILE [--include-sensitive]
                                          a CSV for a phone bank or sign-up sheet (NOT encrypted)
      pledge add-batch ID --count N [--date DATE] [--by PERSON_ID]
                                          record a batch of paper signatures
      pledge sheet ID --out FILE [--lines N]
                                          a printable signature sheet (English and Spanish)
    CSV fields for people: name, first-name, last-name, alias, phone, email, signal, tags, lang, org, ignore
    CSV fields for organizations: name, kind, region, language, relationship, immigrant-led, ignore

arg-csv-command = import or export
arg-pledge-command = add-batch or sheet
arg-count = how many signatures (--count N)
arg-csv-kind = what the file holds (--kind person or --kind org)

csv-col-name = name
csv-col-alias = alias
csv-col-phone = phone
csv-col-email = email
csv-col-signal = signal
csv-col-language = language
csv-col-tags = tags
csv-col-organization = organization
csv-col-kind = type
csv-col-region = region
csv-col-languages = languages
csv-col-relationship = relationship

csv-preview-file = Read as { $encoding }, cells separated by “{ $delimiter }”, { $rows ->
    [one] one row
   *[other] { $rows } rows
  }.
csv-preview-column = { $column } → { $field }
csv-preview-ignored = Not kept (never stored): { $columns }
csv-preview-counts = New: { $new } · repeated in the file, merged: { $merged } · already here, completed: { $updated } · already here, nothing new: { $unchanged }
csv-preview-new-orgs = { $count ->
    [one] One new organization from the organization column.
   *[other] { $count } new organizations from the organization column.
}
csv-preview-invalid = { $count ->
    [one] One row has a problem:
   *[other] { $count } rows have a problem:
  }
csv-row-problem = Row { $row }, { $column }: { $problem }
csv-dry-run = Nothing was written (--dry-run).
csv-skipped = { $count ->
    [one] One row with a problem was left out (--skip-invalid).
   *[other] { $count } rows with a problem were left out (--skip-invalid).
  }
csv-imported = Imported: { $new } new, { $updated } completed. Importing the same file again adds nothing.
csv-exported = { $count ->
    [one] One row written to { $path }.
   *[other] { $count } rows written to { $path }.
}
csv-excluded = { $count ->
    [one] One person was left out (marked sensitive, or not agreed to be shared). Add --include-sensitive only if you are sure.
   *[other] { $count } people were left out (marked sensitive, or not agreed to be shared). Add --include-sensitive only if you are sure.
}
csv-not-encrypted = Careful: a CSV file is NOT encrypted. Anyone who gets this file can read it. Delete it when the phone bank is over, and do not send it by email.

err-csv-read = The file { $path } could not be read: { $reason }
rec-csv-read = Check the name of the file, or choose it again.
err-csv-folder = { $path } is a folder, not a file.
rec-csv-folder = Choose the file inside the folder (a .csv file).
err-csv-too-large = The file is too large to be a list of people (more than 64 MB).
rec-csv-too-large = Check that this is the right file, or split it in parts.
err-csv-empty = The file is empty: it has no header row.
rec-csv-empty = Save the spreadsheet again as CSV, with the column names in the first row.
err-csv-syntax = The file cannot be read as a spreadsheet (CSV): the problem is at row { $row }.
rec-csv-syntax = Open it in a spreadsheet and save it again as CSV (comma or semicolon separated).
err-csv-kind = Only people and organizations can be brought in from or written to a spreadsheet.
rec-csv-kind = Use --kind person or --kind org.
err-csv-no-column = The file has no column called “{ $column }”.
rec-csv-no-column = Write the column name as it is in the first row of the file.
err-csv-no-field = “{ $field }” is not a field a column can fill.
rec-csv-no-field = Use one of the fields listed in aqui help, or ignore to leave the column out.
err-csv-no-name = No column holds the names.
rec-csv-no-name = Say which column has the names, for example --map "Full name=name".
err-csv-bad-rows = { $count ->
    [one] One row has a problem, so nothing was imported:
   *[other] { $count } rows have a problem, so nothing was imported:
  }
rec-csv-bad-rows = Fix these rows in the spreadsheet and import again, or add --skip-invalid to import the other rows.
err-csv-write = The file { $path } could not be saved.
rec-csv-write = Nothing was saved. Check that the folder exists, that you may save files there and that the drive has space, or choose another folder.

log-action-csv-export = Spreadsheet (CSV) written
log-action-csv-import = Spreadsheet (CSV) imported

field-batch = Paper batches
field-count = Count
field-by = Collected by
pledge-batch-added = { $count ->
    [one] One paper signature added. Progress: { $progress } of { $goal }.
   *[other] { $count } paper signatures added. Progress: { $progress } of { $goal }.
}
pledge-sheet-written = The signature sheet was saved to { $path }. Open it in a browser and print it.
sheet-deadline = Until { $date }
sheet-consent = By signing, I agree that the organizers keep my name and phone to tell me about this campaign. I can ask to be removed at any time.
sheet-col-name = Name
sheet-col-phone = Phone (optional)
sheet-col-lang = Language
sheet-col-signature = Signature

ui-csv-heading = Spreadsheets (CSV)
ui-csv-explain = Bring people or organizations in from a spreadsheet (Excel, Google Sheets, an Action Network export): save it as CSV first. You see what each column becomes before anything is saved; repeated people are merged, not doubled.
ui-csv-kind = What the file holds
ui-csv-path = The CSV file
ui-choose-file = Choose a file…
ui-choose-place = Choose where…
ui-drop-hint = You can also drop the file on this window.
ui-csv-preview = Show what it would do
ui-csv-map = What each column becomes
ui-csv-col-column = Column in the file
ui-csv-col-field = Kept as
ui-csv-not-kept = — not kept —
ui-csv-invalid-head = These rows have a problem. Fix them in the spreadsheet, or leave them out:
ui-csv-skip-invalid = Import the other rows and leave these out
ui-csv-apply = Import
ui-csv-imported = The spreadsheet was imported.
ui-csv-export-heading = Create a spreadsheet
ui-csv-include-sensitive = Include people marked sensitive and people who did not agree to be shared
ui-csv-export-path = Save the spreadsheet as
ui-csv-export-go = Create the spreadsheet file
field-first-name = First name
field-last-name = Last name
field-tags = Tags

ui-picker-placeholder = Type a name to search…
ui-picker-none = Nothing found. Try another part of the name.
ui-picker-remove = Remove

door-open = Sign-in at the door
door-open-explain = A full-screen sign-in for this meeting on this laptop: each person types their own name; nobody sees anyone else's. Leaving it needs the passphrase.
door-heading = Welcome! Please sign in
door-explain = Only your name is needed. Nobody else can see what you type.
door-name = First name or nickname
door-phone = Phone (optional)
door-lang = Language
door-consent-contact = You may contact me about this work
door-consent-share = You may share my name and how to reach me with the other organizers who keep these records
door-submit = Sign in
door-leave = Leave sign-in (organizers)
door-leave-pass = Passphrase
door-leave-go = Leave
door-count = People signed in
door-thanks = Thank you! You are signed in.

drive-progress-parts = { $progress } of { $goal }: { $named } by name, { $paper } on paper
ui-drive-heading = Signatures
ui-drive-chart = Signatures over time, with the goal and the deadline
ui-drive-goal = goal
ui-drive-deadline = deadline
ui-batch-heading = Paper batches
ui-batch-date = Date
ui-batch-count = Signatures
ui-batch-by = Collected by
ui-batch-undated = before batches
ui-batch-add = Add a paper batch
ui-batch-added = The paper batch was added.
ui-sheet-print = Signature sheet to print…

ui-restore-open = Restore from a backup
ui-restore-heading = Restore from a backup
ui-restore-explain = For a lost or broken laptop: bring back everything a backup file holds into a new vault, with a new passphrase. You see what it holds before anything is saved.
ui-restore-path = The backup file
ui-restore-how = How the backup is locked
ui-restore-by-pass = With its own passphrase
ui-restore-by-vault = With the old vault's key (I still have the old vault's folder)
ui-restore-old-folder = The old vault's folder
ui-restore-key-pass = The backup's passphrase (or the old vault's)
ui-restore-place = A new folder for the restored vault (this laptop already has one)
ui-restore-new-pass = A new passphrase for the restored vault
ui-restore-preview = Show what it holds
ui-restore-go = Restore
ui-restore-done = The backup was restored. This is the restored vault.
ui-restore-done-elsewhere = The backup was restored into a new vault:
ui-show-more = Show 200 more

## Help for each command of the command line (round 2)

help-consent =
    aqui consent ID [--contact yes|no] [--share yes|no] [--how H] [--date YYYY-MM-DD] [--lang en|es] [--recorder PERSON_ID]
      Records a person's consent to be contacted and to be shared with other stewards, dated, in their history.
      H: in-person, paper, phone, signal, form or other. --lang: the language it was given in. --recorder: who recorded it.
      New people start as “not asked”; “not asked” and “no” both keep a person out of exports.
help-report =
    aqui report (--period 2026-Q4 | --period 2026 | --from YYYY-MM-DD --to YYYY-MM-DD) [--out FILE.html]
      A quarterly bulletin (or, for a year, an annual report) that names no one: counts, wins, pledge drives, meetings.
      A count under 5 that breaks people down shows as “fewer than 5”. --out writes one self-contained page to print; --json gives the figures.
help-retention =
    aqui retention
    aqui retention set RULE AGE|off
      Shows or sets how long things are kept. RULE: note-body, note-attendees, inactive-person or log.
      AGE: 90d (days), 6m (months) or 2y (years); off turns the rule off. Every rule is off until you set it.
help-purge =
    aqui purge [--dry-run]
      Removes what the retention rules say is due, in one step, after showing how much of each kind.
      Totals for reports stay. --dry-run only shows. Nothing is removed while a hold is on.
help-hold =
    aqui hold on|off [--reason TEXT]
      Pauses every purge (for example, when a legal request such as a subpoena arrives), or lifts the pause.
help-csv-topic =
    aqui csv import FILE --kind person|org [--map COLUMN=FIELD]… [--dry-run] [--skip-invalid]
      Brings people or organizations in from a spreadsheet (CSV). It first shows how the file was read,
      which column fills which field and what it would do. --map changes one column (ignore leaves it out).
      A bad row stops everything unless --skip-invalid. Importing the same file again adds nothing.
    aqui csv export person|org --out FILE [--include-sensitive]
      A CSV for a phone bank or sign-up sheet. It is NOT encrypted. People marked sensitive or without
      consent to share stay out unless --include-sensitive.
    CSV fields for people: name, first-name, last-name, alias, phone, email, signal, tags, lang, org, ignore
    CSV fields for organizations: name, kind, region, language, relationship, immigrant-led, ignore
help-pledge =
    aqui pledge add-batch ID --count N [--date YYYY-MM-DD] [--by PERSON_ID]
      Records a batch of paper signatures for a pledge drive: how many, when, and who collected them.
    aqui pledge sheet ID --out FILE [--lines N]
      Writes a printable signature sheet for the drive, in English and Spanish.
help-help =
    aqui help [COMMAND]
    aqui COMMAND --help
      Shows every command, or the help for one command.
## Replacing a steward's keys in the app (second round)
ui-steward-replace = Replace their keys
ui-steward-replace-explain = Compare the new fingerprint with them in person. Replace their keys only if they really changed them: what is sent to this name from now on goes to the new keys.
## Reports over time and the saved paper consent form (second round, issue 12)

report-pledge-chart = Progress of “{ $title }” over the period, against its goal and deadline
report-pledge-goal-mark = Goal: { $goal }
consent-form-written = The paper consent form was written to { $path }. It names no one: people fill it in by hand.
help-consent-form =
    aqui consent-form [--out FILE.html] [--lang en|es]
      The printable paper consent form, one self-contained page: in English and Spanish, or only in the language --lang names.
      Without --out, the page is printed here. No vault is opened: the form names no one.
ui-consent-form-save = Save the form
ui-consent-form-saved = The paper consent form was saved:
report-withheld = not shown (so that a small number cannot be worked out)
report-demand-with = With:
report-demand-private-partners = { $count ->
    [one] one partner not named, at their request
   *[other] { $count } partners not named, at their request
}
