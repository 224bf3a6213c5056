#!/usr/bin/env bash
# Writes the format-3 frozen fixtures (README.md here) with the `aqui` CLI of
# the build at hand, into OUT (default: a new folder under /tmp). Kept so the
# next frozen set can be made the same way; NEVER run it over the committed
# files: tests/frozen.rs checks that later builds still open those exact
# bytes. The record blob (record.lz4) is written by the ignored test
# `frozen::write_record_blob` (see tests/frozen.rs).
#   bash tests/data/frozen/format3/make.sh [target/debug/aqui] [OUT]
set -euo pipefail
A=${1:-target/debug/aqui}
OUT=${2:-$(mktemp -d /tmp/frozen3.XXXXXX)}
WORK=$(mktemp -d /tmp/frozen3-work.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
unset AQUI_PASSPHRASE_FILE AQUI_VAULT
export AQUI_EXPORT_PASSPHRASE_FILE="$WORK/file-pass"
echo "frozen fixture file" >"$WORK/file-pass"
echo "frozen fixture backup" >"$WORK/backup-pass"

a() { AQUI_PASSPHRASE="frozen fixture vault A" "$A" --lang en --vault "$WORK/a" "$@"; }
b() { AQUI_PASSPHRASE="frozen fixture vault B" "$A" --lang en --vault "$WORK/b" "$@"; }
# The id of the first record of KIND whose title is TITLE.
id_of() { # vault-fn kind title
  "$1" --json list "$2" | jq -r --arg t "$3" '[.[] | select((.name // .title) == $t) | .id][0]'
}

a demo
a identity --name Ana
b init
b identity --name Beto
a steward add --name Beto --card "$(b identity --card)"
b steward add --name Ana --card "$(a identity --card)"
a steward verify Beto --fingerprint "$(b --json identity | jq -r .fingerprint)"
b steward verify Ana --fingerprint "$(a --json identity | jq -r .fingerprint)"

# What today's build adds to the sample chapter: a tombstone, a sensitive
# person by hand, a consent answer, a paper batch, a retention rule, a CSV
# import.
maria=$(id_of a person "María Hernández")
rosa=$(id_of a person "Rosa Martínez")
note=$(id_of a note "Coalition meeting in St. Anne's basement")
drive=$(id_of a pledge "100 signatures before the Board vote")
campaign=$(id_of a campaign "End 287(g) in Riverbend County")
other_note=$(a --json list note | jq -r --arg n "$note" '[.[] | select(.id != $n) | .id][0]')
a delete "$other_note"
a add person --name "Elena Vidal" --phone "+1 555 0100 5555" --tag frozen --sensitive
a consent "$rosa" --contact yes --share yes --how paper --date 2026-11-30
a pledge add-batch "$drive" --count 12 --date 2026-11-30 --by "$maria"
a retention set note-body 2y
printf 'Nombre,Teléfono,Etiquetas\nInés Frozen,+1 555 0100 7777,csv-frozen\nOmar Frozen,+1 555 0100 8888,csv-frozen\n' >"$WORK/people.csv"
a csv import "$WORK/people.csv" --kind person --map "Nombre=name" --map "Teléfono=phone" --map "Etiquetas=tags"

a export --to Beto --all --out "$OUT/a-to-b.age"
# Vault B as it is before the import.
mkdir -p "$OUT/vault-b"
cp -a "$WORK/b/key.json" "$WORK/b"/store* "$OUT/vault-b/"
b import "$OUT/a-to-b.age"
b edit "$maria" --phone "+1 555 0100 2222"
a edit "$maria" --phone "+1 555 0100 3333"
b export --to Ana --all --out "$WORK/b-to-a.age"
a import "$WORK/b-to-a.age"
a export --passphrase --campaign "$campaign" --out "$OUT/a-campaign-pass.age"
AQUI_EXPORT_PASSPHRASE_FILE="$WORK/backup-pass" a backup --passphrase --out "$OUT/a-backup.age"
mkdir -p "$OUT/vault-a"
cp -a "$WORK/a/key.json" "$WORK/a"/store* "$OUT/vault-a/"

echo "ids: maria=$maria rosa=$rosa deleted=$other_note drive=$drive campaign=$campaign"
a --json list person | jq -r '.[] | select(.name == "Elena Vidal") | "elena=\(.id)"'
echo "fingerprints: A $(a --json identity | jq -r .fingerprint), B $(b --json identity | jq -r .fingerprint)"
echo "written to $OUT"
