//! Plaintext canary: planted names, phones and note text never reach disk
//! as plain bytes, in the vault or in the temp directory.

use crate::util::{contains, walk, Cli};

const CANARIES: &[&str] = &[
    "Zyxcanary Quetzalli",
    "Qwcanary",
    "+1 555 0147 9931",
    "canary.signal.77",
    "zyx.canary@example.org",
    "Plaintext canary: the meeting at the parish hall",
    "Canarytag",
];

#[test]
fn nothing_readable_reaches_disk() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let org = cli
        .ok(&[
            "add",
            "org",
            "--name",
            "Qwcanary Workers",
            "--region",
            "Canaryville",
        ])
        .trim()
        .to_string();
    let p = cli
        .ok(&[
            "add",
            "person",
            "--name",
            CANARIES[0],
            "--alias",
            CANARIES[1],
            "--phone",
            CANARIES[2],
            "--signal",
            CANARIES[3],
            "--email",
            CANARIES[4],
            "--org",
            &org,
            "--tag",
            CANARIES[6],
            "--sensitive",
        ])
        .trim()
        .to_string();
    cli.ok(&[
        "add",
        "note",
        "--title",
        "Parish meeting",
        "--body",
        CANARIES[5],
        "--attendee",
        &p,
    ]);
    cli.ok(&["edit", &p, "--tag", "second Canarytag edit"]);
    cli.ok(&["search", "zyxcanary"]);
    cli.ok(&["list", "person"]);

    let mut scanned = 0;
    for dir in [cli.vault(), cli.tmp()] {
        for file in walk(&dir) {
            let bytes = std::fs::read(&file).unwrap();
            scanned += bytes.len();
            for c in CANARIES
                .iter()
                .chain(&["Canaryville", "second Canarytag edit"])
            {
                assert!(
                    !contains(&bytes, c.as_bytes()),
                    "{c:?} in plain bytes in {}",
                    file.display()
                );
                // also lowercased (the search index folds text)
                let folded = aqui::vault::fold(c);
                assert!(
                    !contains(&bytes, folded.as_bytes()),
                    "{folded:?} in {}",
                    file.display()
                );
            }
        }
    }
    assert!(scanned > 0);
}

/// Every file under the vault folders and the temp folders of two laptops.
fn assert_clean(dirs: &[std::path::PathBuf], canaries: &[&str]) -> usize {
    let mut scanned = 0;
    for dir in dirs {
        for file in walk(dir) {
            let bytes = std::fs::read(&file).unwrap();
            scanned += bytes.len();
            for c in canaries {
                for form in [c.to_string(), c.to_lowercase(), aqui::vault::fold(c)] {
                    assert!(
                        !contains(&bytes, form.as_bytes()),
                        "{form:?} in plain bytes in {}",
                        file.display()
                    );
                }
            }
        }
    }
    scanned
}

/// A full handoff cycle between two laptops (identities, stewards added and
/// one removed, export, import, a conflict, exports back, the audit log, a
/// passphrase change): no steward name, own name, tag, record text or
/// conflicting edit is in any file of either vault folder or temp folder.
#[test]
fn nothing_readable_after_a_handoff_cycle() {
    let canaries = [
        "Canaryana Xolotl",
        "Canarybeto Quiroga",
        "Canarygone Tlaloc",
        "Zyxcanary Persona",
        "Canarytagx",
        "Canaryalias Aside",
        "Canaryalias Bside",
    ];
    let (a, b) = (Cli::new(), Cli::new());
    a.ok(&["init"]);
    b.ok(&["init"]);
    a.ok(&["identity", "--name", canaries[0]]);
    b.ok(&["identity", "--name", canaries[1]]);
    let card_a = a.ok(&["identity", "--card"]);
    let card_b = b.ok(&["identity", "--card"]);
    a.ok(&[
        "steward",
        "add",
        "--name",
        canaries[1],
        "--card",
        card_b.trim(),
    ]);
    b.ok(&[
        "steward",
        "add",
        "--name",
        canaries[0],
        "--card",
        card_a.trim(),
    ]);
    // A steward added, then removed: gone from the address book, and from
    // the files too.
    let gone = age::x25519::Identity::generate().to_public().to_string();
    a.ok(&["steward", "add", "--name", canaries[2], "--key", &gone]);
    a.ok(&["steward", "remove", canaries[2]]);
    let p = a
        .ok(&["add", "person", "--name", canaries[3], "--tag", canaries[4]])
        .trim()
        .to_string();
    let file = |cli: &Cli, n: &str| cli.root.path().join(n).display().to_string();
    let f1 = file(&a, "1.age");
    a.ok(&["export", "--to", canaries[1], "--all", "--out", &f1]);
    b.ok(&["import", &f1]);
    // Both sides edit the same person: B gets a conflict.
    a.ok(&["edit", &p, "--alias", canaries[5]]);
    b.ok(&["edit", &p, "--alias", canaries[6]]);
    let f2 = file(&a, "2.age");
    a.ok(&["export", "--to", canaries[1], "--all", "--out", &f2]);
    b.ok(&["import", &f2]);
    assert!(b.ok(&["conflicts"]).contains(&p), "B has a conflict");
    let f3 = file(&b, "3.age");
    b.ok(&["export", "--to", canaries[0], "--all", "--out", &f3]);
    a.ok(&["import", &f3]);
    assert!(a.ok(&["log"]).contains(canaries[1]));
    assert!(b.ok(&["log"]).contains(canaries[0]));
    b.ok(&["search", "canarytagx"]);
    let scanned = assert_clean(&[a.vault(), a.tmp(), b.vault(), b.tmp()], &canaries);
    assert!(scanned > 0);
    // And after a passphrase change (a re-key writes a fresh store).
    let new = a.root.path().join("newpass");
    std::fs::write(&new, "a brand new passphrase\n").unwrap();
    let status = a
        .cmd(&["passwd"])
        .env("AQUI_NEW_PASSPHRASE_FILE", &new)
        .status()
        .unwrap();
    assert!(status.success());
    assert_clean(&[a.vault(), a.tmp()], &canaries);
}
